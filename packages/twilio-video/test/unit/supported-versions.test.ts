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
const installed = (require('twilio-video/package.json') as { version: string }).version;

describe('supported versions', () => {
  it('the peer range, the README and the tested version agree', () => {
    const range = pkg.peerDependencies['twilio-video'];
    const tested = pkg.devDependencies['twilio-video'];
    expect(range).toBe('>=2.36.0 <3.0.0');
    expect(tested).toBe(installed);
    const section = readme.slice(readme.indexOf('## Supported versions'), readme.indexOf('## Usage'));
    expect(section).toContain(`\`${range}\` (peer dependency range)`);
    expect(section).toContain(`\`${tested}\` | tested`);
    expect(read('../browser/conformance.test.ts')).toContain(`name: 'twilio-video ${tested} `);
    expect(read('../browser/twilio-driver.ts')).toContain(`twilio-video@${tested}`);
  });

  it('the README has the sections every @shims package has, in order', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['Install', 'Supported versions', 'Usage', 'Load callstats.js', 'Options', 'What is mapped', 'Limits']);
  });
});
