// Issue #23: the same commit gives the same tarballs. Every published package is built from
// scratch and packed in two copies of the workspace, at two different paths (so no absolute path
// or build time may leak into a file), and each pair of tarballs must have the same SHA-256. The
// cause this guards against was pnpm's, not the build's: see the root .pnpmfile.cjs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyWorkspace, ROOT } from './workspace-copy.ts';

const published = readdirSync(join(ROOT, 'packages'))
  .map((id) => JSON.parse(readFileSync(join(ROOT, 'packages', id, 'package.json'), 'utf8')) as { name: string; private?: boolean })
  .filter((pkg) => !pkg.private)
  .map((pkg) => pkg.name);

const filters = published.flatMap((name) => ['--filter', name]);
const removeAfter: Array<() => void> = [];
afterAll(() => removeAfter.forEach((remove) => remove()));

/**
 * Two copies of the workspace's files (no dist) at two paths, the second copied from the first, so
 * both hold the same sources even while someone edits the checkout.
 */
function twoCopies(): [string, string] {
  const first = copyWorkspace({ linkInstalls: true });
  const second = mkdtempSync(join(tmpdir(), 'shims-workspace-twin-'));
  removeAfter.push(first.remove, () => rmSync(second, { recursive: true, force: true }));
  // verbatimSymlinks: the node_modules links keep pointing at the real installs.
  cpSync(first.root, second, { recursive: true, verbatimSymlinks: true });
  return [first.root, second];
}

/** Builds every published package in `root`. */
function build(root: string): void {
  // The packages' own build script (tsdown), not turbo: turbo's cache would hand back the last dist.
  execFileSync('pnpm', ['--recursive', '--workspace-concurrency=1', ...filters, 'run', 'build'], { cwd: root, stdio: 'pipe' });
}

/** Every published package of `root` packed into a new folder: tarball name → SHA-256. */
function pack(root: string, into: string): Map<string, string> {
  const out = join(root, into);
  mkdirSync(out);
  execFileSync('pnpm', ['--recursive', ...filters, 'pack', '--pack-destination', out], { cwd: root, stdio: 'pipe' });
  return new Map(
    readdirSync(out).map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(join(out, file)))
        .digest('hex'),
    ]),
  );
}

describe('the published packages, built and packed twice from the same commit', () => {
  it('are the same bytes', () => {
    const [a, b] = twoCopies();
    build(a);
    build(b);
    // Two packs of each build as well: the race that was the cause showed in about one pack in four.
    const [first, ...others] = [pack(a, 'packed-1'), pack(a, 'packed-2'), pack(b, 'packed-1'), pack(b, 'packed-2')];
    expect([...first.keys()].length, 'one tarball per published package').toBe(published.length);
    const differing = others.flatMap((other) => [...first].filter(([file, sha]) => other.get(file) !== sha).map(([file]) => file));
    expect([...new Set(differing)], 'tarballs whose bytes differ from one pack to another').toEqual([]);
  }, 120_000);
});
