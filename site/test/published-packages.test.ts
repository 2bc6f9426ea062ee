// What users get from the registry: every published package packs the same bytes twice from the
// same build (reproducible-packs.test.ts checks two builds), carries the project's LICENSE, says
// MIT, is published public with provenance (npm signs where it was built when CI publishes it), and
// declares the Node it needs only where it needs one (the collector); browser packages declare
// none, so no package manager refuses or warns on Node 20 or 22. Read from the packed package.json,
// which is what npm publish reads, for every non-private package: a new one cannot miss any of it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findWorkspaceRoot } from '../src/workspace-root.ts';

const root = findWorkspaceRoot(fileURLToPath(new URL('.', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'published-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface PackageJson {
  name: string;
  private?: boolean;
  license?: string;
  engines?: Record<string, string>;
  publishConfig?: Record<string, unknown>;
}

const published = readdirSync(join(root, 'packages'))
  .map((id) => ({ id, dir: join(root, 'packages', id) }))
  .map((p) => ({ ...p, pkg: JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) as PackageJson }))
  .filter((p) => !p.pkg.private);

/** `pnpm pack` into a fresh folder: the tarball's path. */
function pack(dir: string, into: string): string {
  const out = mkdtempSync(join(work, into));
  execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'pipe' });
  const [tarball] = readdirSync(out);
  return join(out, tarball!);
}

/** A file of the tarball, as text. */
const fileOf = (tarball: string, path: string): string => execFileSync('tar', ['-xzOf', tarball, `package/${path}`], { encoding: 'utf8' });
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('the published packages', () => {
  it('are the browser packages, core and the collector', () => {
    expect(published.map((p) => p.pkg.name)).toEqual(expect.arrayContaining(['@shims/core', '@shims/collector', '@shims/peerjs']));
  });

  it.each(published.map((p) => [p.pkg.name, p] as const))(
    '%s packs the same bytes twice, with the LICENSE, MIT, public provenance and honest engines',
    (name, p) => {
      const first = pack(p.dir, 'a-');
      const second = pack(p.dir, 'b-');
      expect(sha256(readFileSync(second)), 'the same bytes from the same build').toBe(sha256(readFileSync(first)));
      expect(fileOf(first, 'LICENSE'), "the project's LICENSE").toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
      const manifest = JSON.parse(fileOf(first, 'package.json')) as PackageJson;
      expect(manifest.license).toBe('MIT');
      // No `repository`/`homepage`/`bugs`: the project has no public URL yet. npm's provenance
      // check wants `repository` to match the CI repository: add it with that URL, and here.
      expect(manifest.publishConfig, 'public, and signed by the CI that publishes it').toEqual({ access: 'public', provenance: true });
      if (name === '@shims/collector') expect(manifest.engines).toEqual({ node: '>=22.16.0' });
      else expect(manifest.engines, 'browser code declares no Node engine').toBeUndefined();
    },
    60_000,
  );
});
