import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAllVendors, findVendorPackages } from './manifest.ts';
import { escapeHtml } from './markdown.ts';
import { PAGE_CSS, renderPage, renderTextPage, type VendorEntry } from './page.ts';
import { readVerifiedStatus, type VerifiedStatus } from './results.ts';

export interface BuildSiteOptions {
  /** The workspace root. */
  root: string;
  /** Where the page goes; default `<root>/site/dist`. */
  outDir?: string;
  /** The results file of a vendor; default `packages/<id>/test-results/vitest.json`. */
  resultsFile?: (vendorId: string, vendorDir: string) => string;
  now?: Date;
}

export interface BuiltSite {
  outDir: string;
  indexFile: string;
  vendors: Array<{ id: string; status: VerifiedStatus }>;
}

/** An example's own files (no dependencies, no build output), shown on its page. */
function exampleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(ts|json|md)$/.test(f) && statSync(join(dir, f)).isFile())
    .sort((a, b) => (a === 'README.md' ? -1 : b === 'README.md' ? 1 : a.localeCompare(b)));
}

function examplePage(root: string, example: string): string {
  const dir = join(root, example);
  const blocks = exampleFiles(dir).map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    return `<section class="vendor" id="file-${escapeHtml(file)}"><h2><code>${escapeHtml(`${example}/${file}`)}</code></h2>\n<pre>${escapeHtml(text)}</pre></section>`;
  });
  return renderTextPage(`Reference example: ${example}`, '../index.html', blocks.join('\n'));
}

const slug = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/\s+/g, '-');

/** CONTRIBUTING.md as headings (with GitHub's anchors) and preformatted blocks. */
function contributingPage(markdown: string): string {
  const parts: string[] = [];
  let block: string[] = [];
  const flush = (): void => {
    const text = block.join('\n').trim();
    if (text) parts.push(`<pre>${escapeHtml(text)}</pre>`);
    block = [];
  };
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,3}) (.+)$/.exec(line);
    if (!heading) {
      block.push(line);
      continue;
    }
    flush();
    const level = Math.min(heading[1]!.length + 1, 3);
    parts.push(`<h${level} id="${slug(heading[2]!)}">${escapeHtml(heading[2]!)}</h${level}>`);
  }
  flush();
  return renderTextPage('Contributing', 'index.html', `<section class="get-listed">\n${parts.join('\n')}\n</section>`);
}

/**
 * Builds the integrations page from every vendor package's manifest and its latest test results.
 * Refuses to build when a manifest is missing or disagrees with its package.
 */
export function buildSite(options: BuildSiteOptions): BuiltSite {
  const { root } = options;
  const problems = checkAllVendors(root);
  if (problems.length) throw new Error(`the vendor manifests do not check out:\n${problems.join('\n')}`);
  const outDir = options.outDir ?? join(root, 'site', 'dist');
  const resultsFile = options.resultsFile ?? ((_id: string, dir: string) => join(dir, 'test-results', 'vitest.json'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'logos'), { recursive: true });
  mkdirSync(join(outDir, 'examples'), { recursive: true });

  const entries: VendorEntry[] = findVendorPackages(root).map((vendor) => {
    const manifest = vendor.manifest!;
    copyFileSync(join(vendor.dir, manifest.logo), join(outDir, 'logos', `${vendor.id}.svg`));
    writeFileSync(join(outDir, 'examples', `${vendor.id}.html`), examplePage(root, manifest.example));
    return {
      id: vendor.id,
      packageName: vendor.name,
      description: vendor.description,
      manifest,
      status: readVerifiedStatus(resultsFile(vendor.id, vendor.dir)),
      logoHref: `logos/${vendor.id}.svg`,
      exampleHref: `examples/${vendor.id}.html`,
    };
  });

  const contributing = join(root, 'CONTRIBUTING.md');
  writeFileSync(
    join(outDir, 'contributing.html'),
    contributingPage(existsSync(contributing) ? readFileSync(contributing, 'utf8') : '# Contributing\n'),
  );
  writeFileSync(join(outDir, 'integrations.css'), PAGE_CSS);
  const indexFile = join(outDir, 'index.html');
  writeFileSync(indexFile, renderPage(entries, (options.now ?? new Date()).toISOString()));
  return { outDir, indexFile, vendors: entries.map((e) => ({ id: e.id, status: e.status })) };
}
