// The supported range is stated in three places; they must agree with what is tested.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const pkg = JSON.parse(read('../../package.json')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  shims: { sdk: { range: string; tested: Array<{ version: string }> } };
};
const readme = read('../../README.md');
// The SDK's exports do not include ./package.json: read it from this package's node_modules.
const installed = (JSON.parse(read('../../node_modules/@openai/agents-realtime/package.json')) as { version: string }).version;

describe('supported versions', () => {
  it('the peer range, the manifest, the README and the tested version agree', () => {
    const range = pkg.peerDependencies['@openai/agents-realtime'];
    const tested = pkg.devDependencies['@openai/agents-realtime'];
    expect(range).toBe('^0.20.0');
    expect(pkg.shims.sdk.range).toBe(range);
    expect(tested).toBe(installed);
    expect(pkg.shims.sdk.tested.map((t) => t.version)).toEqual([tested]);
    const section = readme.slice(readme.indexOf('## Supported versions'), readme.indexOf('## Usage'));
    expect(section).toContain(`\`${range}\` (peer dependency range)`);
    expect(section).toContain(`\`${tested}\` | tested`);
    expect(read('../browser/conformance.test.ts')).toContain(`name: '@openai/agents-realtime ${tested} `);
    expect(read('../browser/openai-realtime-driver.ts')).toContain(`SDK_VERSION = '${tested}'`);
  });

  it('the README has the sections every @shims package has, in order', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['Install', 'Supported versions', 'Usage', 'Load callstats.js', 'Options', 'What is mapped', 'Limits']);
  });
});
