import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENERATED_SECTIONS, type ShimsManifest } from './manifest.ts';
import { replaceReadmeSection } from './markdown.ts';
import { entryPointName, type SdkSpec } from './vendor-name.ts';

/** The package every new vendor copies its configs and tooling from, so they cannot drift. */
export const REFERENCE_PACKAGE = 'packages/peerjs';
/** Copied verbatim from the reference package. */
export const COPIED_CONFIGS: readonly string[] = ['tsconfig.json', 'tsdown.config.ts', 'vitest.config.ts'];
/** The reference package's devDependencies a new vendor gets too (not its SDK and servers). */
const TOOLING = ['@arethetypeswrong/cli', '@shims/collector', '@shims/testkit', '@types/node', 'publint', 'tsdown', 'typescript', 'vitest'];
/** The reference package.json fields a new vendor takes as they are. */
const COPIED_FIELDS = [
  'license',
  'type',
  'sideEffects',
  'main',
  'module',
  'types',
  'exports',
  'files',
  'engines',
  'scripts',
  'dependencies',
  // `access: public` and `provenance: true`: a new vendor publishes like the others from its first
  // release (published-packages.test.ts holds every package to it).
  'publishConfig',
];

const pascal = (vendor: string): string => entryPointName(vendor).slice('monitor'.length);

/** The pending conformance test's name, as the page and the test runner show it. */
export function pendingTestName(vendor: string): string {
  return `conformance: ${vendor} — pending: write the driver in test/browser/${vendor}-driver.ts, then set DRIVER_WRITTEN in test/browser/conformance.test.ts`;
}

function manifestFor(vendor: string, sdk: SdkSpec): ShimsManifest {
  const entry = entryPointName(vendor);
  return {
    displayName: pascal(vendor),
    sdk: { package: sdk.package, range: sdk.range, tested: [] },
    entry: { export: entry, usage: `const monitoring = ${entry}(callstats, sdkObject, { conferenceID: 'room-42' });` },
    mapping: {
      sdkColumn: sdk.package,
      rows: [[`\`${entry}()\` (the scaffold: no ${sdk.package} event is hooked yet)`, 'nothing yet']],
    },
    limits: [`Pending: the shim does not hook ${sdk.package} yet, so nothing is monitored.`],
    logo: 'logo.svg',
    example: `examples/${vendor}`,
  };
}

function packageJson(root: string, vendor: string, sdk: SdkSpec): string {
  const reference = JSON.parse(readFileSync(join(root, REFERENCE_PACKAGE, 'package.json'), 'utf8')) as Record<string, unknown>;
  const referenceDev = reference.devDependencies as Record<string, string>;
  const pkg: Record<string, unknown> = {
    name: `@shims/${vendor}`,
    version: '0.0.0',
    description: `Monitor every ${sdk.package} peerconnection with callstats.js: one call.`,
  };
  for (const field of COPIED_FIELDS) if (reference[field] !== undefined) pkg[field] = reference[field];
  pkg.keywords = ['webrtc', 'callstats', 'monitoring', sdk.package];
  pkg.peerDependencies = { [sdk.package]: sdk.range };
  pkg.devDependencies = Object.fromEntries(TOOLING.filter((name) => referenceDev[name]).map((name) => [name, referenceDev[name]]));
  pkg.shims = manifestFor(vendor, sdk);
  // Key order as in the reference package: shims last, keywords before scripts.
  const order = [
    'name',
    'version',
    'description',
    'license',
    'type',
    'sideEffects',
    'main',
    'module',
    'types',
    'exports',
    'files',
    'engines',
    'keywords',
    'scripts',
    'dependencies',
    'peerDependencies',
    'devDependencies',
    'publishConfig',
    'shims',
  ];
  return `${JSON.stringify(Object.fromEntries(order.filter((k) => pkg[k] !== undefined).map((k) => [k, pkg[k]])), null, 2)}\n`;
}

function shimSource(vendor: string, sdk: SdkSpec): string {
  const entry = entryPointName(vendor);
  const Name = pascal(vendor);
  const Options = `${entry[0]!.toUpperCase()}${entry.slice(1)}Options`;
  return `import { createShimMonitor, invalidArgument, shimMonitor, type CallstatsClient, type ShimMonitor, type ShimMonitorOptions } from '@shims/core';

/** What ${sdk.package} knows of the remote side of a pc (a peer id, a session...): \`remoteUserID\` takes it. */
export type ${Name}Remote = string;

/** \`remoteUserID\` default: the remote side as text. */
export interface ${Options} extends ShimMonitorOptions<${Name}Remote> {}

/** \`fabricFor(object)\`: the fabric of a ${sdk.package} object (its call, session...), while it is monitored. */
export interface ${Name}Monitor extends ShimMonitor<object> {}

const SOURCE = '@shims/${vendor}';
const WHERE = '${entry}';

/**
 * Monitors every peerconnection of a ${sdk.package} object with callstats.js.
 *
 * Scaffolded by \`pnpm new-shim\`: it validates its arguments and creates the monitor, but hooks
 * nothing yet. Follow "Writing a shim" in @shims/core's README: find where ${sdk.package} builds its
 * RTCPeerConnection and call \`monitor.addFabric(pc, { remoteUserID: monitor.userOf(remote) })\`
 * there, before the pc's first event; change the SDK's objects only through the monitor
 * (\`patchMethod\`, \`listenOn\`, \`createScope\`), which undoes it all at \`dispose()\`.
 */
export function ${entry}(client: CallstatsClient, sdkObject: object, options: ${Options}): ${Name}Monitor {
  if (typeof sdkObject !== 'object' || sdkObject === null) throw invalidArgument(WHERE, 'sdkObject', 'must be a ${sdk.package} object', sdkObject);
  const monitor = createShimMonitor<${Name}Remote>(client, options, SOURCE);
  return shimMonitor(monitor, (_object: object) => undefined);
}
`;
}

function shapeTest(vendor: string): string {
  const entry = entryPointName(vendor);
  const Name = pascal(vendor);
  const Options = `${entry[0]!.toUpperCase()}${entry.slice(1)}Options`;
  return `import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { ${entry}, type ${Name}Monitor, type ${Name}Remote, type ${Options} } from '../../src/index.ts';

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor', () => {
    expectTypeOf<${Options}>().toExtend<ShimMonitorOptions<${Name}Remote>>();
    expectTypeOf<${Name}Monitor>().toExtend<ShimMonitor<object>>();
    const monitor = ${entry}(new RecordingCallstats(), {}, { conferenceID: 'c' });
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
    monitor.dispose();
  });
});
`;
}

function indexSource(vendor: string): string {
  const entry = entryPointName(vendor);
  return `export { ${entry}, type ${entry[0]!.toUpperCase()}${entry.slice(1)}Options, type ${pascal(vendor)}Monitor, type ${pascal(vendor)}Remote } from './${vendor}-shim.js';\n`;
}

function conformanceTest(vendor: string, sdk: SdkSpec): string {
  return `import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance } from '@shims/testkit';
import { it } from 'vitest';

// Pending until ./${vendor}-driver.ts starts a real ${sdk.package} call: then set this to true,
// put the tested version in the name (the integrations page reads the SDK version there), and
// start the servers the call needs in \`config\` (see packages/peerjs/test/browser).
const DRIVER_WRITTEN = false;

if (DRIVER_WRITTEN) {
  describeConformance({
    name: '${sdk.package} <x.y.z>',
    entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
    collector: createCollector,
    // Who calls getUserMedia in the driver's call: { by: 'sdk' } when ${sdk.package} captures (report
    // its failure with monitor.reportMediaError or core's watchMediaDevices), else { by: 'app', why: '…' }.
    media: { by: 'sdk' },
  });
} else {
  it.todo(${JSON.stringify(pendingTestName(vendor))});
}
`;
}

function driverSource(vendor: string, sdk: SdkSpec): string {
  const entry = entryPointName(vendor);
  return `import type { ConformanceDriver, DriverCall, DriverContext } from '@shims/testkit/page';

/**
 * The conformance driver for ${sdk.package}: starts one call between two endpoints in the page,
 * with \`${entry}(context.client, …)\` attached when \`context.client\` is not null.
 * See packages/peerjs/test/browser/peerjs-driver.ts for a complete one.
 */
export function ${entry.slice('monitor'.length, 'monitor'.length + 1).toLowerCase()}${entry.slice('monitor'.length + 1)}Driver(): ConformanceDriver {
  return {
    name: '${sdk.package}@<x.y.z>',
    startCall(_context: DriverContext): DriverCall {
      throw new Error('the ${vendor} conformance driver is not written yet (CONTRIBUTING.md, "Adding a vendor")');
    },
  };
}
`;
}

function pageSource(vendor: string): string {
  const driver = `${entryPointName(vendor)
    .slice('monitor'.length, 'monitor'.length + 1)
    .toLowerCase()}${entryPointName(vendor).slice('monitor'.length + 1)}Driver`;
  return `import { exposeConformance } from '@shims/testkit/page';
import { ${driver} } from './${vendor}-driver.ts';

exposeConformance(${driver}());
`;
}

function readme(vendor: string, sdk: SdkSpec, manifest: ShimsManifest): string {
  const skeleton = `# @shims/${vendor}

Monitor every ${sdk.package} peerconnection with callstats.js: one call.

## Install

\`\`\`sh
npm i @shims/${vendor}
\`\`\`

\`${sdk.package}\` is a peer dependency: the shim uses the object you already have and imports nothing from it.

## Supported versions

## Usage

\`\`\`ts
import { ${manifest.entry.export} } from '@shims/${vendor}';

${manifest.entry.usage}
// ... later, to stop monitoring (the calls go on): monitoring.dispose();
\`\`\`

\`callstats\` is your initialized callstats.js client (\`new callstats()\` + \`initialize(...)\`).
\`${manifest.entry.export}\` returns \`{ fabricFor(object), fabrics(), dispose() }\` (also \`Symbol.dispose\`).

## Load callstats.js

## Options

| option | default | meaning |
| --- | --- | --- |
| \`conferenceID\` | (required) | the conference every pc belongs to |
| \`remoteUserID\` | the remote side as text | a user ID, or a function of what ${sdk.package} knows of the remote side |
| \`collectSDP\` | \`false\` | attach SDP to reported errors (it carries IP addresses) |
| \`logger\` | \`console.warn\`, once per kind | where failures of the monitoring itself go: a function (\`console.warn\`) or an object with \`warn\` |

## What is mapped

## Limits
`;
  return GENERATED_SECTIONS.reduce((text, [title, render]) => replaceReadmeSection(text, title, render(manifest)), skeleton);
}

function logo(vendor: string): string {
  const letters =
    pascal(vendor)
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 2) || vendor.slice(0, 2);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img" aria-label="${vendor} (placeholder logo)">
  <title>${vendor} (placeholder logo: replace with the vendor's SVG)</title>
  <rect width="64" height="64" rx="14" fill="#57606a"/>
  <text x="32" y="41" font-family="Arial, Helvetica, sans-serif" font-size="24" font-weight="700" fill="#fff" text-anchor="middle">${letters}</text>
</svg>
`;
}

function examplePackageJson(vendor: string, sdk: SdkSpec): string {
  return `${JSON.stringify(
    {
      name: `@example/${vendor}`,
      version: '0.0.0',
      private: true,
      description: `Reference app: a ${sdk.package} call monitored by callstats.js through @shims/${vendor} (pending).`,
      type: 'module',
      dependencies: { [`@shims/${vendor}`]: 'workspace:*' },
    },
    null,
    2,
  )}\n`;
}

function exampleReadme(vendor: string, sdk: SdkSpec): string {
  return `# examples/${vendor}

Pending: the reference app for \`@shims/${vendor}\`. Write \`app.ts\` (a ${sdk.package} call with
the shim attached) and \`run.ts\` (starts the servers it needs, runs it in headless Chromium with
the real callstats-js and checks what \`@shims/collector\` received), with \`start\` and \`test\`
scripts, like [examples/peerjs](../peerjs).
`;
}

function changeset(vendor: string, sdk: SdkSpec): string {
  return `---
"@shims/${vendor}": minor
---

First release: \`${entryPointName(vendor)}\` monitors ${sdk.package} (${sdk.range}) with callstats.js.
`;
}

/** Writes packages/<vendor>, examples/<vendor> and a changeset; returns the files, from the root. */
export function scaffoldVendor(root: string, vendor: string, sdk: SdkSpec): string[] {
  const manifest = manifestFor(vendor, sdk);
  const pkg = `packages/${vendor}`;
  const files: Record<string, string> = {
    [`${pkg}/package.json`]: packageJson(root, vendor, sdk),
    ...Object.fromEntries(COPIED_CONFIGS.map((file) => [`${pkg}/${file}`, readFileSync(join(root, REFERENCE_PACKAGE, file), 'utf8')])),
    [`${pkg}/src/index.ts`]: indexSource(vendor),
    [`${pkg}/src/${vendor}-shim.ts`]: shimSource(vendor, sdk),
    [`${pkg}/test/unit/shape.test.ts`]: shapeTest(vendor),
    [`${pkg}/test/browser/conformance.test.ts`]: conformanceTest(vendor, sdk),
    [`${pkg}/test/browser/${vendor}-driver.ts`]: driverSource(vendor, sdk),
    [`${pkg}/test/browser/page.ts`]: pageSource(vendor),
    [`${pkg}/README.md`]: readme(vendor, sdk, manifest),
    [`${pkg}/logo.svg`]: logo(vendor),
    // npm puts a package root's LICENSE in its tarball: every published package carries the project's.
    [`${pkg}/LICENSE`]: readFileSync(join(root, 'LICENSE'), 'utf8'),
    [`examples/${vendor}/package.json`]: examplePackageJson(vendor, sdk),
    [`examples/${vendor}/README.md`]: exampleReadme(vendor, sdk),
    [`.changeset/${vendor}-first-release.md`]: changeset(vendor, sdk),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text, { flag: 'wx' });
  }
  return Object.keys(files);
}
