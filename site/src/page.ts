import type { ShimsManifest } from './manifest.ts';
import { escapeHtml, inlineMarkdown } from './markdown.ts';
import type { VerifiedStatus } from './results.ts';

/** What the page shows of one vendor: its manifest, package facts and verified status. */
export interface VendorEntry {
  id: string;
  packageName: string;
  description: string;
  manifest: ShimsManifest;
  status: VerifiedStatus;
  logoHref: string;
  exampleHref: string;
}

const BADGE_TEXT = { verified: 'verified', failing: 'failing', 'not-verified': 'not verified' } as const;

const paragraphs = (notes: string[] | undefined): string => (notes ?? []).map((n) => `<p>${inlineMarkdown(n)}</p>`).join('\n');

function statusDetails(status: VerifiedStatus, sdkPackage: string): string {
  const suites = status.suites
    .map((s) => {
      const counts = [`${s.passed} passed`, ...(s.failed ? [`${s.failed} failed`] : []), ...(s.pending ? [`${s.pending} pending`] : [])].join(', ');
      return `<li data-suite>${escapeHtml(s.name)}: ${counts}${s.realCallstats ? '; with the real callstats-js' : ''}</li>`;
    })
    .join('\n');
  const facts = [
    `<p class="status-summary">${escapeHtml(status.summary)}</p>`,
    status.suites.length ? `<ul class="suites">${suites}</ul>` : '',
    status.verifiedVersions.length
      ? `<p>Verified against <code>${escapeHtml(sdkPackage)}</code> ${status.verifiedVersions.map((v) => `<code>${escapeHtml(v)}</code>`).join(', ')}.</p>`
      : '',
    status.engines.length
      ? `<p class="engines">Verified ${status.engines
          .map((e) => `in ${escapeHtml(e.engine)} <strong data-engine="${escapeHtml(e.engine)}">${e.passed}/${e.total}</strong>`)
          .join(', ')}.</p>`
      : '',
    status.suites.length
      ? `<p>Real <code>callstats-js</code>: <strong data-real-callstats="${status.realCallstats}">${status.realCallstats ? 'yes' : 'no'}</strong>.</p>`
      : '',
    status.receiverReports
      ? `<p>RTCP receiver reports: <strong data-receiver-reports="${status.receiverReports.startsWith('yes') ? 'yes' : 'no'}">${escapeHtml(status.receiverReports)}</strong> (the server's reports come back to the browser, so it measures round-trip time, loss and jitter).</p>`
      : '',
    status.runAt
      ? `<p class="muted">Test run of <time datetime="${status.runAt}">${status.runAt.replace('T', ' ').slice(0, 16)} UTC</time>.</p>`
      : '',
  ];
  return facts.filter(Boolean).join('\n');
}

function vendorSection(v: VendorEntry): string {
  const m = v.manifest;
  const install = m.sdk.webApi ? `npm i ${v.packageName}` : `npm i ${v.packageName} ${m.sdk.package}`;
  const mapping = m.mapping.rows
    .map(([sdk, callstats]) => `<tr><td>${inlineMarkdown(sdk)}</td><td>${inlineMarkdown(callstats)}</td></tr>`)
    .join('\n');
  const tested = m.sdk.tested.map((t) => `<li><code>${escapeHtml(t.version)}</code>: ${inlineMarkdown(t.how)}</li>`).join('\n');
  return `<section class="vendor" id="vendor-${v.id}" data-vendor="${v.id}" data-status="${v.status.state}">
<div class="vendor-head">
<img class="logo" src="${v.logoHref}" alt="${escapeHtml(m.displayName)} logo" width="56" height="56">
<div class="vendor-title"><h2>${escapeHtml(m.displayName)}</h2><p class="package"><code>${escapeHtml(v.packageName)}</code></p></div>
<span class="badge badge-${v.status.state}" data-badge="${v.status.state}">${BADGE_TEXT[v.status.state]}</span>
</div>
<p class="description">${escapeHtml(v.description)}</p>
<div class="status status-${v.status.state}">
${statusDetails(v.status, m.sdk.package)}
</div>
<h3>Install</h3>
<pre><code>${escapeHtml(install)}</code></pre>
<h3>Use</h3>
<pre><code>${escapeHtml(m.entry.usage)}</code></pre>
<h3>Supported versions</h3>
<p><code>${escapeHtml(m.sdk.package)}</code> <code>${escapeHtml(m.sdk.range)}</code>, tested with:</p>
<ul>${tested}</ul>
${paragraphs(m.sdk.notes)}
<h3>What is mapped</h3>
<div class="table-wrap"><table>
<thead><tr><th>${inlineMarkdown(m.mapping.sdkColumn)}</th><th>callstats.js</th></tr></thead>
<tbody>
${mapping}
</tbody>
</table></div>
${paragraphs(m.mapping.notes)}
<h3>Limits</h3>
<ul class="limits">
${m.limits.map((l) => `<li>${inlineMarkdown(l)}</li>`).join('\n')}
</ul>
<p class="example"><a href="${v.exampleHref}">Reference example: <code>${escapeHtml(m.example)}</code></a></p>
</section>`;
}

const GET_LISTED = `<section class="get-listed" id="get-listed">
<h2>Get listed</h2>
<p>A third-party integration is listed here once its package is in this workspace, and shown as verified once its conformance suite passes here. It needs:</p>
<ul>
<li><strong>The code</strong>: a package <code>packages/&lt;vendor&gt;</code> publishing <code>@shims/&lt;vendor&gt;</code>, with one <code>monitor…</code> entry point, the SDK as a bounded peer dependency, and the conformance suite of <code>@shims/testkit</code> running the SDK in real Chromium against real servers.</li>
<li><strong>Instructions</strong>: a README with the sections Install, Supported versions, Usage, Options, What is mapped and Limits (three of them generated from the manifest), and a reference app in <code>examples/&lt;vendor&gt;</code>.</li>
<li><strong>A logo</strong>: an SVG in the package, named by the <code>shims</code> manifest in its <code>package.json</code>.</li>
</ul>
<p>To submit one: run <code>pnpm new-shim &lt;vendor&gt; --sdk &lt;npm-name&gt;@&lt;range&gt;</code>, which writes all of the above with the conformance test pending (the page then shows it as not verified); write the driver and the shim; run the tests; open a pull request. The checklist is in <a href="contributing.html#adding-a-vendor">CONTRIBUTING.md, "Adding a vendor"</a>.</p>
</section>`;

export const PAGE_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1f24;background:#f4f6f8}
header.site,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header.site{padding-top:1.5rem}
h1{font-size:1.9rem;margin:0 0 .5rem}
h2{font-size:1.35rem;margin:0}
h3{font-size:1rem;margin:1.25rem 0 .4rem}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:1rem 0}
nav a{display:inline-block;padding:.3rem .7rem;border-radius:999px;background:#fff;border:1px solid #d0d7de;text-decoration:none;color:#0b4f9c}
a{color:#0b4f9c}
code{font:0.9em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
pre{background:#1b1f24;color:#f0f3f6;padding:.75rem;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
pre code{color:inherit}
.vendor,.get-listed{background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:1.25rem;margin:1.25rem 0;overflow-wrap:anywhere}
.vendor-head{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1rem}
.vendor-title{flex:1 1 12rem;min-width:0}
.logo{flex:none;width:56px;height:56px}
.package{margin:0;color:#57606a}
.badge{flex:none;display:inline-block;padding:.25rem .75rem;border-radius:999px;font-weight:600;font-size:.9rem;border:1px solid}
.badge-verified{background:#dafbe1;color:#116329;border-color:#4ac26b}
.badge-failing{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.badge-not-verified{background:#eaeef2;color:#424a53;border-color:#afb8c1}
.status{border-left:4px solid #afb8c1;padding:.25rem .75rem;margin:1rem 0;background:#f6f8fa}
.status p{margin:.3rem 0}
.status-verified{border-color:#4ac26b}
.status-failing{border-color:#ff8182}
.suites{margin:.3rem 0;padding-left:1.25rem}
.muted{color:#57606a;font-size:.9rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.95rem}
th,td{border:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f8fa}
.limits li{margin:.2rem 0}
footer{padding-bottom:2rem;color:#57606a;font-size:.9rem}
@media (max-width:40rem){h1{font-size:1.5rem}.vendor,.get-listed{padding:1rem}table{font-size:.9rem}}
`;

/** The integrations page: every vendor, then how to get listed. */
export function renderPage(vendors: VendorEntry[], generatedAt: string): string {
  const nav = vendors.map((v) => `<li><a href="#vendor-${v.id}">${escapeHtml(v.manifest.displayName)}</a></li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Integrations: shims for callstats.js</title>
<link rel="stylesheet" href="integrations.css">
</head>
<body>
<header class="site">
<h1>Integrations</h1>
<p>Each shim connects a WebRTC SDK to the callstats.js monitoring client with one call. The verified status comes from each package's latest conformance run in this workspace, not from this text.</p>
<nav aria-label="Vendors"><ul>
${nav}
<li><a href="#get-listed">Get listed</a></li>
</ul></nav>
</header>
<main>
${vendors.map(vendorSection).join('\n')}
${GET_LISTED}
</main>
<footer><p>Generated by <code>pnpm integrations</code> on <time datetime="${generatedAt}">${generatedAt.replace('T', ' ').slice(0, 16)} UTC</time> from each package's <code>shims</code> manifest and <code>test-results/vitest.json</code>.</p></footer>
</body>
</html>
`;
}

/** A plain page around preformatted text blocks and headings (an example's files, CONTRIBUTING.md). */
export function renderTextPage(title: string, backHref: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${backHref.replace(/index\.html$/, '')}integrations.css">
</head>
<body>
<header class="site"><p><a href="${backHref}">← Integrations</a></p><h1>${escapeHtml(title)}</h1></header>
<main>
${body}
</main>
</body>
</html>
`;
}
