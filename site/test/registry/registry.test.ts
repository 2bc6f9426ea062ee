// Issue #23, the real registry: the release flow (`pnpm version-packages`, then `pnpm release`, as
// the root package.json defines them) runs in a clone of the repository's HEAD against a local
// Verdaccio, and a scratch app installs @shims/peerjs and @shims/core by name from it, engine-strict,
// then bundles them with esbuild. No package manager may warn about a @shims package (EBADENGINE,
// a missing peer, a bad manifest), and the bundle must hold the shim's export. Then, once, the
// installed packages at work: a PeerJS call in Chromium into the installed collector (call.ts).
//
// The whole matrix, npm, pnpm and yarn 1 on Node 20, 22 and 24, fits CI's budget: ~1.5 minutes
// warm on two cores, most of it the release's build and publish.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../workspace-copy.ts';
import { BUILD_CALL_PAGE, CALL_PAGE, playCall } from './call.ts';
import { APP_DEPENDENCIES, CALL_DEPENDENCIES, ensureMirror, ensureTools, MIRROR, type Tools } from './tools.ts';
import { startRegistry, type Registry } from './verdaccio.ts';

const work = mkdtempSync(join(tmpdir(), 'shims-registry-'));
let tools: Tools;
let registry: Registry | undefined;

/** Both streams in one, in order; a failure's message carries them, so CI's log says why. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync('sh', ['-c', '"$0" "$@" 2>&1', command, ...args], {
      cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${(error as { stdout?: string }).stdout ?? ''}`, { cause: error });
  }
}

beforeAll(async () => {
  tools = ensureTools();
  await ensureMirror(tools);
  // A copy of the mirror as storage, and no uplink: from here on nothing but 127.0.0.1 is asked.
  const storage = join(work, 'verdaccio', 'storage');
  cpSync(join(MIRROR, 'storage'), storage, { recursive: true });
  registry = await startRegistry(tools.verdaccio, join(work, 'verdaccio'), storage);
  // HEAD, not the working tree: what a release would publish, and /work/main is never written.
  const repo = join(work, 'repo');
  run('git', ['clone', '--quiet', ROOT, repo], work);
  writeFileSync(join(work, 'publish.npmrc'), `registry=${registry.url}/\n${registry.authLine}\n`);
  // Every package says `publishConfig.provenance`, which npm can honour only in a CI with an OIDC
  // identity (GitHub Actions, GitLab): here pnpm publishes through an npm that is told not to
  // (a command-line flag is the one thing npm puts above publishConfig). Nothing else differs.
  const npm = join(work, 'npm-without-provenance');
  writeFileSync(npm, '#!/bin/sh\nexec npm "$@" --provenance=false\n', { mode: 0o755 });
  const env = { NPM_CONFIG_USERCONFIG: join(work, 'publish.npmrc'), npm_config_registry: `${registry.url}/`, npm_config_npm_path: npm };
  run('pnpm', ['install', '--frozen-lockfile', '--offline'], repo, env);
  run('pnpm', ['version-packages'], repo, env);
  run('pnpm', ['release'], repo, env);
}, 300_000);

afterAll(() => {
  registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

const MATRIX = (['npm', 'pnpm', 'yarn'] as const).flatMap((manager) => (['20', '22', '24'] as const).map((node) => [manager, node] as const));
type Manager = (typeof MATRIX)[number][0];
type NodeLine = (typeof MATRIX)[number][1];

/** Bundles main.js for the browser and prints esbuild's warnings, as JSON. */
const BUILD = `import { build } from 'esbuild';
const { warnings } = await build({ entryPoints: ['main.js'], bundle: true, format: 'esm', platform: 'browser', outfile: 'out.js', logLevel: 'silent' });
console.log(JSON.stringify(warnings));
`;

/** The install command, engine-strict: npm and pnpm by flag, yarn 1 refuses a bad engine by default. */
function install(manager: Manager, app: string, env: NodeJS.ProcessEnv): string {
  const cache = join(app, '..', `${manager}-cache`);
  if (manager === 'npm') return run('node', [tools.npmCli, 'install', '--engine-strict', '--no-audit', '--no-fund', `--cache=${cache}`], app, env);
  if (manager === 'pnpm') return run('pnpm', ['install', '--engine-strict', `--store-dir=${cache}`], app, env);
  return run('node', [tools.yarnCli, 'install', '--non-interactive', `--cache-folder=${cache}`], app, env);
}

/** The version of one of our packages this run published. */
const publishedVersion = (id: string): string =>
  (JSON.parse(readFileSync(join(work, 'repo', 'packages', id, 'package.json'), 'utf8')) as { version: string }).version;

/** A scratch app in its own folder, resolving every name at Verdaccio; its folder and the env to run its tools in. */
function createApp(name: string, node: NodeLine, dependencies: Record<string, string>): { app: string; env: NodeJS.ProcessEnv } {
  const app = join(work, name, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true, dependencies }));
  // The app's own .npmrc: npm, pnpm and yarn 1 all read it, so every name resolves at Verdaccio.
  writeFileSync(join(app, '.npmrc'), `registry=${registry!.url}/\n`);
  const env = {
    PATH: `${tools.nodeBin[node]}${delimiter}${process.env.PATH}`,
    NPM_CONFIG_USERCONFIG: join(app, '.npmrc'),
    npm_config_registry: `${registry!.url}/`,
  };
  expect(run('node', ['--version'], app, env)).toMatch(new RegExp(`^v${node}\\.`));
  return { app, env };
}

describe('the packages installed by name from a registry', () => {
  it.each(MATRIX)('%s on Node %s installs @shims/peerjs and @shims/core without a warning about them, and they bundle', (manager, node) => {
    const version = publishedVersion('peerjs');
    const { app, env } = createApp(`app-${manager}-${node}`, node, { '@shims/peerjs': version, '@shims/core': '*', ...APP_DEPENDENCIES });
    writeFileSync(
      join(app, 'main.js'),
      "import { monitorPeerJs } from '@shims/peerjs';\nimport * as core from '@shims/core';\nexport { monitorPeerJs, core };\n",
    );

    const output = install(manager, app, env);
    expect(output, 'no engine complaint').not.toMatch(/EBADENGINE|incompatible with this module|Unsupported engine/i);
    const aboutUs = output.split('\n').filter((line) => /warn/i.test(line) && line.includes('@shims/'));
    expect(aboutUs, 'no warning names a @shims package').toEqual([]);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', '@shims', 'peerjs', 'package.json'), 'utf8')) as {
      version: string;
      publishConfig?: unknown;
    };
    expect(installed.version, 'the version this run published').toBe(version);
    expect(installed.publishConfig, 'what CI publishes with').toEqual({ access: 'public', provenance: true });

    // esbuild's JS API: its bin is rewritten by a postinstall script, which npm 11 and pnpm 10 skip.
    writeFileSync(join(app, 'build.mjs'), BUILD);
    expect(run('node', ['build.mjs'], app, env), 'esbuild warns about nothing').toBe('[]\n');
    const bundle = readFileSync(join(app, 'out.js'), 'utf8');
    expect(bundle).toMatch(/function monitorPeerJs\(/);
    expect(bundle).toMatch(/export \{[^}]*monitorPeerJs/);
  });

  // Once, not per cell: the matrix proves each manager and Node installs and bundles the same
  // packages; what runs in the browser is that bundle. npm on Node 24: the manager most apps use,
  // and the Node the installed @shims/collector runs on here (it needs 22.16 or later).
  it('npm on Node 24: a real PeerJS call in Chromium, monitored by the installed @shims/peerjs, reaches the installed @shims/collector', async () => {
    const { app, env } = createApp('app-call', '24', {
      '@shims/peerjs': publishedVersion('peerjs'),
      '@shims/core': publishedVersion('core'),
      '@shims/collector': publishedVersion('collector'),
      ...APP_DEPENDENCIES,
      peer: CALL_DEPENDENCIES.peer!,
    });
    install('npm', app, env);
    writeFileSync(join(app, 'call.js'), CALL_PAGE);
    writeFileSync(join(app, 'build-call.mjs'), BUILD_CALL_PAGE);
    expect(run('node', ['build-call.mjs'], app, env), 'esbuild warns about nothing').toBe('');

    const { setups, terminations, pageErrors, failedRequests } = await playCall(app);
    // One pc each side: alice's to bob and bob's to alice, set up and ended, as callstats.js sent them.
    expect(setups.map((e) => e.body.remoteID).sort(), 'fabricSetup per side, named by remote user').toEqual(['alice', 'bob']);
    expect(new Set(setups.map((e) => e.connectionID)).size, 'two pcs').toBe(2);
    expect(terminations.map((e) => e.connectionID).sort()).toEqual(setups.map((e) => e.connectionID).sort());
    expect(failedRequests, 'no request of the call failed').toEqual([]);
    // Chromium logs a 404 with no URL for the /favicon.ico it asks the harness's server for as
    // the page loads; failedRequests holds every failed request from the call's start, with its URL.
    const errors = pageErrors.filter((error) => !error.startsWith('Failed to load resource: the server responded with a status of 404'));
    expect(errors, 'nothing failed in the page').toEqual([]);
  }, 120_000);
});
