// The supported range is stated in several places; they must agree with what is tested: the
// newest release (the whole suite) and the oldest one the range claims (the matrix file).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const pkg = JSON.parse(read('../../package.json')) as {
  peerDependencies: Record<string, string>;
  shims: { sdk: { range: string; tested: Array<{ version: string }> } };
};
const readme = read('../../README.md');
// @twilio/voice-sdk's exports map has no `./package.json`: read the installed copy's file.
const installed = (name: string) => (JSON.parse(read(`../../node_modules/@twilio/${name}/package.json`)) as { version: string }).version;

describe('supported versions', () => {
  it('the peer range, the manifest, the README and the tested versions agree', () => {
    const range = pkg.peerDependencies['@twilio/voice-sdk'];
    expect(range).toBe('>=2.10.2 <3.0.0');
    expect(pkg.shims.sdk.range).toBe(range);
    expect(pkg.shims.sdk.tested.map((t) => t.version)).toEqual([installed('voice-sdk-2.18'), installed('voice-sdk-2.10')]);
    expect(installed('voice-sdk-2.10')).toBe('2.10.2');
    const section = readme.slice(readme.indexOf('## Supported versions'), readme.indexOf('## Usage'));
    expect(section).toContain(`\`${range}\` (peer dependency range)`);
    for (const { version } of pkg.shims.sdk.tested) expect(section).toContain(`\`${version}\` | tested`);
    expect(read('../browser/conformance.test.ts')).toContain(`name: '@twilio/voice-sdk ${installed('voice-sdk-2.18')} `);
    expect(read('../browser/page-matrix.ts')).toContain(`'${installed('voice-sdk-2.10')}'`);
  });

  it('the README has the sections every @shims package has, in order', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['Install', 'Supported versions', 'Usage', 'Load callstats.js', 'Options', 'What is mapped', 'Limits']);
  });
});
