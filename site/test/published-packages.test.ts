// What users get from the registry: every published package packs the same files twice from the
// same build (pnpm pack orders a tarball's entries, and the workspace devDependencies it rewrites
// in package.json, as its reads finish, so the tarball's bytes can differ under load; what it
// holds may not), carries the project's LICENSE, says MIT, and declares the Node it needs only where
// it needs one (the collector); browser packages declare none, so no package manager refuses or
// warns on Node 20 or 22.
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

/** Object keys sorted, all the way down: package.json compared by what it says. */
const sortedKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortedKeys)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, sortedKeys(v)]),
        )
      : value;

/**
 * Every file of the tarball with the hash of its bytes, in name order. package.json is hashed by
 * what it says: pnpm pack re-adds the workspace devDependencies it rewrites (`@shims/testkit`,
 * `@shims/collector`) in the order their lookups finish, so their order varies from pack to pack.
 */
function contentsOf(tarball: string): string[] {
  const names = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  return names.map((name) => {
    const bytes = execFileSync('tar', ['-xzOf', tarball, name]);
    return `${name} ${sha256(name === 'package/package.json' ? Buffer.from(JSON.stringify(sortedKeys(JSON.parse(bytes.toString('utf8'))))) : bytes)}`;
  });
}

describe('the published packages', () => {
  it('are the browser packages, core and the collector', () => {
    expect(published.map((p) => p.pkg.name)).toEqual(expect.arrayContaining(['@shims/core', '@shims/collector', '@shims/peerjs']));
  });

  it.each(published.map((p) => [p.pkg.name, p] as const))(
    '%s packs the same files twice, with the LICENSE, MIT and honest engines',
    (name, p) => {
      const first = pack(p.dir, 'a-');
      const second = pack(p.dir, 'b-');
      expect(contentsOf(second), 'the same files and bytes from the same build').toEqual(contentsOf(first));
      expect(fileOf(first, 'LICENSE'), "the project's LICENSE").toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
      const manifest = JSON.parse(fileOf(first, 'package.json')) as PackageJson;
      expect(manifest.license).toBe('MIT');
      if (name === '@shims/collector') expect(manifest.engines).toEqual({ node: '>=22.16.0' });
      else expect(manifest.engines, 'browser code declares no Node engine').toBeUndefined();
    },
    60_000,
  );
});
