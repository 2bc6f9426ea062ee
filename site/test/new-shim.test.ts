import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../src/build-site.ts';
import { checkAllVendors } from '../src/manifest.ts';
import { COPIED_CONFIGS, pendingTestName, REFERENCE_PACKAGE } from '../src/scaffold.ts';
import { copyWorkspace, ROOT, type WorkspaceCopy } from './workspace-copy.ts';

const CLI = join(ROOT, 'site', 'src', 'new-shim-cli.ts');

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // INIT_CWD is what pnpm sets to where the maintainer typed the command; here, the copy.
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, INIT_CWD: cwd, FORCE_COLOR: '0' }, timeout: 180_000 });
}
const newShim = (copy: WorkspaceCopy, ...args: string[]) => run(process.execPath, [CLI, ...args], copy.root);
const output = (r: SpawnSyncReturns<string>): string => `${r.stdout}\n${r.stderr}`;

describe('pnpm new-shim acme --sdk acme-rtc@^1, in a copy of the workspace', () => {
  let copy: WorkspaceCopy;
  let acme: string;

  beforeAll(() => {
    copy = copyWorkspace({ linkInstalls: true });
    acme = join(copy.root, 'packages', 'acme');
  });
  afterAll(() => copy.remove());

  it('creates the package, the example and the changeset', () => {
    const result = newShim(copy, 'acme', '--sdk', 'acme-rtc@^1');
    expect(result.status, output(result)).toBe(0);
    for (const file of [
      'packages/acme/package.json',
      'packages/acme/src/index.ts',
      'packages/acme/README.md',
      'packages/acme/logo.svg',
      'packages/acme/test/unit/shape.test.ts',
      'packages/acme/test/browser/conformance.test.ts',
      'packages/acme/test/browser/acme-driver.ts',
      'examples/acme/package.json',
      '.changeset/acme-first-release.md',
    ]) {
      expect(existsSync(join(copy.root, file)), file).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(acme, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@shims/acme');
    expect(pkg.peerDependencies).toEqual({ 'acme-rtc': '^1' });
    expect(pkg.shims.entry.export).toBe('monitorAcme');
    expect(pkg.publishConfig, 'published public, with provenance, from its first release').toEqual({ access: 'public', provenance: true });
    expect(readFileSync(join(acme, 'src/index.ts'), 'utf8')).toContain('export { monitorAcme');
  });

  it('copies its configs from packages/peerjs, so they cannot drift', () => {
    for (const file of COPIED_CONFIGS) {
      expect(readFileSync(join(acme, file), 'utf8'), file).toBe(readFileSync(join(ROOT, REFERENCE_PACKAGE, file), 'utf8'));
    }
    const reference = JSON.parse(readFileSync(join(ROOT, REFERENCE_PACKAGE, 'package.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(join(acme, 'package.json'), 'utf8'));
    for (const field of ['exports', 'files', 'scripts', 'engines', 'sideEffects', 'main', 'module', 'types', 'publishConfig']) {
      expect(pkg[field], field).toEqual(reference[field]);
    }
  });

  it('its manifest passes the check the page and CI run', () => {
    expect(checkAllVendors(copy.root).filter((p) => p.startsWith('packages/acme'))).toEqual([]);
  });

  // The install: the new package uses the same tooling as packages/peerjs, linked here instead of
  // `pnpm install` (which would resolve acme-rtc from the registry; it is not published).
  it('builds, typechecks and lints (tsdown, tsc, publint --strict, attw --pack) at once', () => {
    symlinkSync(join(ROOT, REFERENCE_PACKAGE, 'node_modules'), join(acme, 'node_modules'));
    for (const script of ['build', 'typecheck', 'lint']) {
      const result = run('pnpm', ['run', script], acme);
      expect(result.status, `${script}:\n${output(result)}`).toBe(0);
    }
    expect(existsSync(join(acme, 'dist', 'index.d.ts'))).toBe(true);
  });

  it('its shape test passes and its conformance test is pending, by name and with the reason', () => {
    const result = run('pnpm', ['run', 'test'], acme);
    expect(result.status, output(result)).toBe(0);
    const report = JSON.parse(readFileSync(join(acme, 'test-results', 'vitest.json'), 'utf8'));
    const tests = report.testResults.flatMap((f: { assertionResults: Array<{ title: string; status: string }> }) => f.assertionResults);
    expect(tests.map((t: { title: string; status: string }) => [t.title, t.status]).sort()).toEqual([
      [pendingTestName('acme'), 'todo'],
      ['takes the base options and returns the common monitor', 'passed'],
    ]);
  });

  it('the integrations page lists it as not verified, with the pending test as the reason', () => {
    const site = buildSite({ root: copy.root, outDir: join(copy.root, 'site', 'dist') });
    expect(site.vendors.find((v) => v.id === 'acme')?.status).toMatchObject({
      state: 'not-verified',
      summary: `not verified: ${pendingTestName('acme')}`,
    });
    const html = readFileSync(site.indexFile, 'utf8');
    expect(html).toMatch(/<section class="vendor" id="vendor-acme" data-vendor="acme" data-status="not-verified">/);
    expect(html).toMatch(/id="vendor-acme"[\s\S]*?<span class="badge badge-not-verified" data-badge="not-verified">not verified<\/span>/);
  });
});

describe('pnpm new-shim refuses bad names with clear errors', () => {
  let copy: WorkspaceCopy;
  beforeAll(() => {
    copy = copyWorkspace();
  });
  afterAll(() => copy.remove());

  const cases: Array<[string[], string]> = [
    [['Acme', '--sdk', 'acme-rtc@^1'], '"Acme" has capital letters; npm package names are lowercase (try "acme")'],
    [['ac me', '--sdk', 'acme-rtc@^1'], 'is not a valid npm package name part'],
    [['Acme RTC', '--sdk', 'acme-rtc@^1'], '(try "acme-rtc")'],
    [['peerjs', '--sdk', 'peerjs@^1'], 'packages/peerjs already exists'],
    [['core', '--sdk', 'x@^1'], '"core" is reserved in this workspace'],
    [['-acme', '--sdk', 'acme-rtc@^1'], 'new-shim:'],
    [['acme'], 'give the SDK and its supported range: --sdk <npm-name>@<range>'],
    [['acme', '--sdk', 'acme-rtc'], 'expected <npm-name>@<range>'],
    [['acme', '--sdk', 'Acme RTC@^1'], '"Acme RTC" is not a valid npm package name'],
    [['acme', '--sdk', 'acme-rtc@*'], 'is unbounded'],
    [['acme', '--sdk', 'acme-rtc@>=1.2.0'], 'has no upper bound'],
    [['--sdk', 'acme-rtc@^1'], 'give the vendor name'],
  ];
  for (const [args, message] of cases) {
    it(`new-shim ${args.join(' ')}`, () => {
      const result = newShim(copy, ...args);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(message);
      expect(existsSync(join(copy.root, 'packages', 'acme'))).toBe(false);
    });
  }

  it('accepts a scoped SDK and a two-part vendor name', () => {
    const result = newShim(copy, 'acme-video', '--sdk', '@acme/rtc@>=2.1.0 <3.0.0');
    expect(result.status, output(result)).toBe(0);
    const pkg = JSON.parse(readFileSync(join(copy.root, 'packages/acme-video/package.json'), 'utf8'));
    expect(pkg.peerDependencies).toEqual({ '@acme/rtc': '>=2.1.0 <3.0.0' });
    expect(pkg.shims.entry.export).toBe('monitorAcmeVideo');
    expect(checkAllVendors(copy.root).filter((p) => p.startsWith('packages/acme-video'))).toEqual([]);
  });
});
