// Issue #23, the real registry: the release flow (`pnpm version-packages`, then `pnpm release`, as
// the root package.json defines them) runs in a clone of the repository's HEAD against a local
// Verdaccio, and a scratch app installs @shims/peerjs and @shims/core by name from it, engine-strict,
// then bundles them with esbuild. No package manager may warn about a @shims package (EBADENGINE,
// a missing peer, a bad manifest), and the bundle must hold the shim's export.
//
// The whole matrix, npm, pnpm and yarn 1 on Node 20, 22 and 24, fits CI's budget: ~1.5 minutes
// warm on two cores, most of it the release's build and publish.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../workspace-copy.ts';
import { APP_DEPENDENCIES, ensureMirror, ensureTools, MIRROR, type Tools } from './tools.ts';
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
  const env = { NPM_CONFIG_USERCONFIG: join(work, 'publish.npmrc'), npm_config_registry: `${registry.url}/` };
  run('pnpm', ['install', '--frozen-lockfile', '--offline'], repo, env);
  run('pnpm', ['version-packages'], repo, env);
  run('pnpm', ['release'], repo, env);
}, 300_000);

afterAll(() => {
  registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

const MATRIX = (['npm', 'pnpm', 'yarn'] as const).flatMap((manager) => (['20', '22', '24'] as const).map((node) => [manager, node] as const));

/** Bundles main.js for the browser and prints esbuild's warnings, as JSON. */
const BUILD = `import { build } from 'esbuild';
const { warnings } = await build({ entryPoints: ['main.js'], bundle: true, format: 'esm', platform: 'browser', outfile: 'out.js', logLevel: 'silent' });
console.log(JSON.stringify(warnings));
`;

/** The install command, engine-strict: npm and pnpm by flag, yarn 1 refuses a bad engine by default. */
function install(manager: (typeof MATRIX)[number][0], app: string, env: NodeJS.ProcessEnv): string {
  const cache = join(app, '..', `${manager}-cache`);
  if (manager === 'npm') return run('node', [tools.npmCli, 'install', '--engine-strict', '--no-audit', '--no-fund', `--cache=${cache}`], app, env);
  if (manager === 'pnpm') return run('pnpm', ['install', '--engine-strict', `--store-dir=${cache}`], app, env);
  return run('node', [tools.yarnCli, 'install', '--non-interactive', `--cache-folder=${cache}`], app, env);
}

describe('the packages installed by name from a registry', () => {
  it.each(MATRIX)('%s on Node %s installs @shims/peerjs and @shims/core without a warning about them, and they bundle', (manager, node) => {
    const app = join(work, `app-${manager}-${node}`, 'app');
    mkdirSync(app, { recursive: true });
    const peerjs = JSON.parse(readFileSync(join(work, 'repo', 'packages', 'peerjs', 'package.json'), 'utf8')) as { version: string };
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'scratch-app',
        version: '1.0.0',
        private: true,
        dependencies: { '@shims/peerjs': peerjs.version, '@shims/core': '*', ...APP_DEPENDENCIES },
      }),
    );
    // The app's own .npmrc: npm, pnpm and yarn 1 all read it, so every name resolves at Verdaccio.
    writeFileSync(join(app, '.npmrc'), `registry=${registry!.url}/\n`);
    writeFileSync(
      join(app, 'main.js'),
      "import { monitorPeerJs } from '@shims/peerjs';\nimport * as core from '@shims/core';\nexport { monitorPeerJs, core };\n",
    );
    const env = {
      PATH: `${tools.nodeBin[node]}${delimiter}${process.env.PATH}`,
      NPM_CONFIG_USERCONFIG: join(app, '.npmrc'),
      npm_config_registry: `${registry!.url}/`,
    };
    expect(run('node', ['--version'], app, env)).toMatch(new RegExp(`^v${node}\\.`));

    const output = install(manager, app, env);
    expect(output, 'no engine complaint').not.toMatch(/EBADENGINE|incompatible with this module|Unsupported engine/i);
    const aboutUs = output.split('\n').filter((line) => /warn/i.test(line) && line.includes('@shims/'));
    expect(aboutUs, 'no warning names a @shims package').toEqual([]);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', '@shims', 'peerjs', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version, 'the version this run published').toBe(peerjs.version);

    // esbuild's JS API: its bin is rewritten by a postinstall script, which npm 11 and pnpm 10 skip.
    writeFileSync(join(app, 'build.mjs'), BUILD);
    expect(run('node', ['build.mjs'], app, env), 'esbuild warns about nothing').toBe('[]\n');
    const bundle = readFileSync(join(app, 'out.js'), 'utf8');
    expect(bundle).toMatch(/function monitorPeerJs\(/);
    expect(bundle).toMatch(/export \{[^}]*monitorPeerJs/);
  });
});
