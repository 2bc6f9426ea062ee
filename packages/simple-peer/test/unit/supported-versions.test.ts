// The supported range is stated in three places; they must agree with what is tested.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const pkg = JSON.parse(read('../../package.json')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const readme = read('../../README.md');
const installed = (require('simple-peer/package.json') as { version: string }).version;

describe('supported versions', () => {
  it('the peer range, the README and the tested version agree', () => {
    const range = pkg.peerDependencies['simple-peer'];
    const tested = pkg.devDependencies['simple-peer'];
    expect(range).toBe('^9.11.0');
    expect(tested).toBe(installed);
    const section = readme.slice(readme.indexOf('## Supported versions'), readme.indexOf('## Usage'));
    expect(section).toContain(`\`${range}\` (peer dependency range)`);
    expect(section).toContain(`\`${tested}\` | tested`);
    expect(read('../browser/conformance.test.ts')).toContain(`name: 'simple-peer ${tested}'`);
    expect(read('../browser/simple-peer-driver.ts')).toContain(`simple-peer@${tested}`);
  });

  it('the README has the sections every @shims package has, in order', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['Install', 'Supported versions', 'Usage', 'Load callstats.js', 'Options', 'What is mapped', 'Limits']);
  });
});
