import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readmeSection } from './markdown.ts';

/**
 * The `shims` field of a vendor package's package.json: the one place that describes the shim.
 * The README's "Supported versions", "What is mapped" and "Limits" sections are generated from
 * it (`pnpm --filter @shims/site readme`), and the page is built from it.
 */
export interface ShimsManifest {
  /** The SDK's name as people know it, e.g. `PeerJS`. */
  displayName: string;
  sdk: {
    /**
     * The SDK's npm name; its range is `peerDependencies[package]`, repeated here and checked. With
     * `webApi`, the browser API the shim works on instead (`RTCPeerConnection`): no peer dependency.
     */
    package: string;
    range: string;
    /** The shim works on a web API, not an npm SDK (`@shims/webrtc`): nothing to install beside it. */
    webApi?: boolean;
    /** The exact versions the tests run against, and how (Markdown, after "tested: "). */
    tested: Array<{ version: string; how: string }>;
    /** Markdown paragraphs after the versions table. */
    notes?: string[];
  };
  entry: {
    /** The one `monitor…` function `src/index.ts` exports. */
    export: string;
    /** The one line an app adds (it appears verbatim in the README's Usage). */
    usage: string;
  };
  mapping: {
    /** The heading of the SDK column, e.g. `PeerJS`. */
    sdkColumn: string;
    /** Markdown cells: [what the SDK does, what callstats.js is told]. */
    rows: Array<[string, string]>;
    notes?: string[];
  };
  /** Markdown, one item per limit (line breaks as in the README). */
  limits: string[];
  /** An SVG file in the package, e.g. `logo.svg`. */
  logo: string;
  /** The reference app, from the repository root, e.g. `examples/peerjs`. */
  example: string;
}

export interface VendorPackage {
  /** The folder name under packages/, e.g. `peerjs`. */
  id: string;
  dir: string;
  name: string;
  description: string;
  peerDependencies: Record<string, string>;
  /** Undefined when the package has no `shims` field yet (the check then fails). */
  manifest: ShimsManifest | undefined;
}

/** Infrastructure packages: everything else under packages/ is a vendor shim. */
const NOT_VENDORS = new Set(['core', 'collector', 'testkit']);

/** Every vendor package under `<root>/packages`, sorted by folder name. */
export function findVendorPackages(root: string): VendorPackage[] {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir)
    .filter((id) => !NOT_VENDORS.has(id) && existsSync(join(packagesDir, id, 'package.json')))
    .sort()
    .map((id) => {
      const dir = join(packagesDir, id);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        description?: string;
        peerDependencies?: Record<string, string>;
        shims?: ShimsManifest;
      };
      return {
        id,
        dir,
        name: pkg.name ?? '',
        description: pkg.description ?? '',
        peerDependencies: pkg.peerDependencies ?? {},
        manifest: pkg.shims,
      };
    });
}

const cellRow = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const paragraphs = (notes: string[] | undefined): string => (notes?.length ? `\n\n${notes.join('\n\n')}` : '');

/** The README's "Supported versions" section, from the manifest. */
export function renderSupportedVersions(manifest: ShimsManifest): string {
  const table = [
    cellRow([manifest.sdk.package, 'status']),
    '| --- | --- |',
    cellRow([`\`${manifest.sdk.range}\` (${manifest.sdk.webApi ? 'the browser API' : 'peer dependency range'})`, 'supported']),
    ...manifest.sdk.tested.map((t) => cellRow([`\`${t.version}\``, `tested: ${t.how}`])),
  ];
  return table.join('\n') + paragraphs(manifest.sdk.notes);
}

/** The README's "What is mapped" section, from the manifest. */
export function renderWhatIsMapped(manifest: ShimsManifest): string {
  const table = [cellRow([manifest.mapping.sdkColumn, 'callstats.js']), '| --- | --- |', ...manifest.mapping.rows.map((row) => cellRow(row))];
  return table.join('\n') + paragraphs(manifest.mapping.notes);
}

/** The README's "Limits" section, from the manifest. */
export function renderLimits(manifest: ShimsManifest): string {
  return manifest.limits.map((limit) => `- ${limit.replace(/\n/g, '\n  ')}`).join('\n');
}

/**
 * The README's "Load callstats.js" section: the same in every vendor README (the page settings
 * the real callstats.js needs against @shims/collector), so an app developer reading any one of
 * them can load the client the shim reports to. The collector's README says why each is needed.
 */
function renderLoadCallstats(): string {
  return [
    "The shim reports to the callstats.js client of your page. callstats.io's servers are gone; run",
    '[`@shims/collector`](../collector/README.md) (`npx shims-collector --app 123456789:my-app-secret`',
    'prints these settings with its own URL) and load the client from the `callstats-js` package:',
    '',
    '```html',
    '<script>window.csioproxy = true; window.module = { exports: {} };</script>',
    '<script src="callstats.min.js"></script>',
    '<script>',
    "  delete window.module; // only for the bundle's bare module.exports",
    '  const callstats = new window.callstats();',
    "  const base = 'http://127.0.0.1:8088/';",
    "  callstats.setProxyConfig({ authServiceURL: base + 'auth/', collectorURL: base + 'collector/',",
    "    restEventURL: base + 'events/', restStatsURL: base + 'stats/', appSettingsURL: base + 'config/' });",
    "  callstats.initialize('123456789', 'my-app-secret', 'alice', onInit, onStats,",
    '    { disablePrecalltest: true, collectIP: false, collectHeadsetStats: false, collectLegacyStats: false });',
    '</script>',
    '```',
    '',
    'Why each setting is needed: the collector\'s README, "Pointing callstats.js at it".',
  ].join('\n');
}

/** The README sections generated from the manifest, by heading. */
export const GENERATED_SECTIONS: ReadonlyArray<[string, (manifest: ShimsManifest) => string]> = [
  ['Supported versions', renderSupportedVersions],
  ['Load callstats.js', renderLoadCallstats],
  ['What is mapped', renderWhatIsMapped],
  ['Limits', renderLimits],
];

/** Every vendor README has these sections, in this order. */
const README_SECTIONS: readonly string[] = ['Install', 'Supported versions', 'Usage', 'Load callstats.js', 'Options', 'What is mapped', 'Limits'];

const HOW_TO_FIX = 'see CONTRIBUTING.md, "Adding a vendor"';

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** The shape of the manifest: what is missing or of the wrong type, by field path. */
function shapeProblems(m: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const str = (path: string, value: unknown): void => {
    if (!isNonEmptyString(value)) problems.push(`shims.${path} must be a non-empty string`);
  };
  const strings = (path: string, value: unknown, optional: boolean): void => {
    if (value === undefined && optional) return;
    if (!Array.isArray(value) || !value.every(isNonEmptyString)) problems.push(`shims.${path} must be an array of non-empty strings`);
  };
  const sdk = (m.sdk ?? {}) as Record<string, unknown>;
  const entry = (m.entry ?? {}) as Record<string, unknown>;
  const mapping = (m.mapping ?? {}) as Record<string, unknown>;
  str('displayName', m.displayName);
  str('sdk.package', sdk.package);
  str('sdk.range', sdk.range);
  if (sdk.webApi !== undefined && typeof sdk.webApi !== 'boolean') problems.push('shims.sdk.webApi must be true or absent');
  const tested = sdk.tested;
  if (!Array.isArray(tested) || !tested.every((t) => isNonEmptyString(t?.version) && /^\d+\.\d+\.\d+/.test(t.version) && isNonEmptyString(t?.how))) {
    problems.push('shims.sdk.tested must be an array (empty until a version is tested) of { version: "<exact x.y.z>", how: "<where and how>" }');
  }
  strings('sdk.notes', sdk.notes, true);
  str('entry.export', entry.export);
  str('entry.usage', entry.usage);
  str('mapping.sdkColumn', mapping.sdkColumn);
  const rows = mapping.rows;
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r) && r.length === 2 && r.every(isNonEmptyString))) {
    problems.push('shims.mapping.rows must be a non-empty array of [SDK event, callstats.js call] string pairs');
  }
  strings('mapping.notes', mapping.notes, true);
  strings('limits', m.limits, false);
  str('logo', m.logo);
  str('example', m.example);
  return problems;
}

function checkLogo(vendor: VendorPackage, logo: string): string[] {
  const path = join(vendor.dir, logo);
  if (!logo.endsWith('.svg')) return [`shims.logo must be an SVG file in the package, got ${JSON.stringify(logo)}`];
  if (!existsSync(path)) return [`shims.logo: no file ${logo} in packages/${vendor.id}`];
  const svg = readFileSync(path, 'utf8');
  const problems: string[] = [];
  if (!/<svg[\s>]/.test(svg) || !/viewBox=/.test(svg)) problems.push(`shims.logo: ${logo} is not an SVG with a viewBox`);
  // The page shows it with <img>, but it is also opened on its own: nothing active in it.
  if (/<script|\son\w+=|href="(?!#)/i.test(svg)) problems.push(`shims.logo: ${logo} must not contain scripts, event handlers or external links`);
  if (statSync(path).size > 16_384) problems.push(`shims.logo: ${logo} is larger than 16 KiB`);
  return problems;
}

/** True when src/index.ts exports `name` (a re-export or a declaration). */
function exportsName(source: string, name: string): boolean {
  const escaped = name.replace(/[$]/g, '\\$');
  const reExport = new RegExp(`export\\s*\\{[^}]*\\b${escaped}\\b[^}]*\\}`);
  const declaration = new RegExp(`export\\s+(?:async\\s+)?(?:function|const|let)\\s+${escaped}\\b`);
  return reExport.test(source) || declaration.test(source);
}

/**
 * Everything wrong with a vendor package's manifest, as sentences naming the package; empty
 * when it is complete and agrees with package.json, src/index.ts, its files and its README.
 */
export function checkVendor(root: string, vendor: VendorPackage): string[] {
  const where = `packages/${vendor.id}`;
  const m = vendor.manifest;
  if (m === undefined) {
    return [`${where}: package.json has no "shims" manifest, so the integrations page cannot list it (${HOW_TO_FIX}; \`pnpm new-shim\` writes one)`];
  }
  if (typeof m !== 'object' || m === null) return [`${where}: package.json "shims" must be an object`];
  const shape = shapeProblems(m as unknown as Record<string, unknown>);
  if (shape.length) return shape.map((p) => `${where}: ${p}`);
  const problems: string[] = [];
  if (vendor.name !== `@shims/${vendor.id}`) problems.push(`package name must be @shims/${vendor.id}, got ${JSON.stringify(vendor.name)}`);
  const peerRange = vendor.peerDependencies[m.sdk.package];
  if (m.sdk.webApi === true) {
    if (Object.keys(vendor.peerDependencies).length > 0) problems.push('shims.sdk.webApi: a shim of a web API has no peerDependencies');
  } else if (peerRange === undefined) {
    problems.push(`shims.sdk.package ${JSON.stringify(m.sdk.package)} is not in peerDependencies`);
  } else if (peerRange !== m.sdk.range) {
    problems.push(
      `shims.sdk.range ${JSON.stringify(m.sdk.range)} differs from peerDependencies[${JSON.stringify(m.sdk.package)}] ${JSON.stringify(peerRange)}`,
    );
  }
  if (!/^monitor[A-Z]\w*$/.test(m.entry.export))
    problems.push(`shims.entry.export must be the monitor… entry point, got ${JSON.stringify(m.entry.export)}`);
  const indexPath = join(vendor.dir, 'src', 'index.ts');
  if (!existsSync(indexPath)) problems.push('src/index.ts is missing');
  else if (!exportsName(readFileSync(indexPath, 'utf8'), m.entry.export))
    problems.push(`src/index.ts does not export ${m.entry.export} (shims.entry.export)`);
  if (!m.entry.usage.includes(`${m.entry.export}(`)) problems.push(`shims.entry.usage must call ${m.entry.export}(…)`);
  if (m.entry.usage.includes('\n')) problems.push('shims.entry.usage must be one line');
  problems.push(...checkLogo(vendor, m.logo));
  if (!existsSync(join(root, m.example, 'package.json'))) problems.push(`shims.example: no package at ${m.example} (it needs a package.json)`);
  problems.push(...checkReadme(vendor, m));
  return problems.map((p) => `${where}: ${p}`);
}

function checkReadme(vendor: VendorPackage, m: ShimsManifest): string[] {
  const path = join(vendor.dir, 'README.md');
  if (!existsSync(path)) return ['README.md is missing'];
  const readme = readFileSync(path, 'utf8');
  const problems: string[] = [];
  const headings = readme
    .split('\n')
    .filter((l) => /^## /.test(l))
    .map((l) => l.slice(3).trim());
  const order = headings.filter((h) => README_SECTIONS.includes(h));
  if (order.join('|') !== README_SECTIONS.join('|')) {
    problems.push(`README.md must have the sections ${README_SECTIONS.join(', ')} in this order; it has ${order.join(', ') || 'none of them'}`);
  }
  for (const [title, render] of GENERATED_SECTIONS) {
    const actual = readmeSection(readme, title);
    if (actual !== undefined && actual !== render(m)) {
      problems.push(
        `README.md "${title}" differs from the manifest: edit package.json "shims", then run \`pnpm --filter @shims/site readme\` to regenerate it`,
      );
    }
  }
  const usage = readmeSection(readme, 'Usage');
  if (usage !== undefined && !usage.includes(m.entry.usage)) problems.push('README.md "Usage" does not show shims.entry.usage verbatim');
  return problems;
}

/** Every problem with every vendor package of the workspace. */
export function checkAllVendors(root: string): string[] {
  return findVendorPackages(root).flatMap((vendor) => checkVendor(root, vendor));
}
