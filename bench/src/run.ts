// `pnpm bench` (full) and `pnpm bench --quick` (tiny counts, what CI runs): every benchmark in one
// run, a table on stdout, and (full mode) bench/results/latest.json, bench/RESULTS.md and the chart.
//
// This entry builds what the bench measures, then loads the benchmarks (measure.ts). It imports
// nothing that needs a build: the benchmarks import built packages (@shims/core's dist, through
// @shims/testkit), and an ES module's imports are resolved before any line of it runs, so in a
// fresh clone a static import of them failed before the build could start.
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { COLLECTOR_STORAGES, type CollectorStorage } from './collector-deployment.ts';
import { discoverShimPackages } from './discover.ts';
import { REPO_ROOT } from './paths.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const build = !args.includes('--no-build');
// Measuring the collector alone (nothing written but the table): --collector-only, with
// --fabrics <n> and --seconds <n> to change the run's size and --storage <set-ups> (comma-separated:
// sqlite, postgres, postgres-x2) to pick what is measured.
const collectorOnly = args.includes('--collector-only');
const valueOf = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const sized = (flag: string): number | undefined => (valueOf(flag) === undefined ? undefined : Number(valueOf(flag)));
const storages = valueOf('--storage')?.split(',');
const valued = ['--fabrics', '--seconds', '--storage'];
const flags = ['--quick', '--no-build', '--collector-only', ...valued];
const unknown = args.filter((a, i) => !flags.includes(a) && !valued.includes(args[i - 1] ?? ''));
const badStorage = storages?.filter((s) => !COLLECTOR_STORAGES.includes(s as CollectorStorage)) ?? [];
const problem =
  unknown.length > 0
    ? `unknown option(s) ${unknown.join(' ')}`
    : badStorage.length > 0
      ? `unknown storage ${badStorage.join(', ')}`
      : storages && !collectorOnly
        ? '--storage goes with --collector-only'
        : undefined;
if (problem) {
  console.error(
    `${problem}; usage: pnpm bench [--quick] [--no-build] [--collector-only [--fabrics <n>] [--seconds <n>] [--storage ${COLLECTOR_STORAGES.join('|')}[,…]]]`,
  );
  process.exit(2);
}

/** Builds every measured package's dist/ through turbo (cached when nothing changed). */
function buildPackages(): void {
  const filters = [...discoverShimPackages().map((p) => p.name), '@shims/collector'].flatMap((name) => ['--filter', name]);
  const turbo = join(REPO_ROOT, 'node_modules', '.bin', 'turbo');
  const result = spawnSync(turbo, ['run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
  if (result.status !== 0) {
    console.error('[bench] the build failed; fix it or run with --no-build to measure the dist/ already there');
    process.exit(result.status ?? 1);
  }
}

const onlyLoopback = (): boolean => Object.keys(networkInterfaces()).every((name) => name === 'lo' || name.startsWith('jv'));

/**
 * As root, the browser benchmarks run in a loopback-only network namespace, like `.ci/run`, so
 * no call packet can leave the machine; returns the exit status of that run, or undefined when
 * this process should run the bench itself.
 */
function inLoopbackNamespace(): number | undefined {
  if (process.env.SHIMS_BENCH_NETNS === '1' || onlyLoopback() || process.getuid?.() !== 0) return undefined;
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return undefined;
  const setUp =
    'ip link set lo up && ip link add jv0 type veth peer name jv1 && ip addr add 127.0.0.2/32 dev jv0 && ip link set jv1 up && ip link set jv0 up';
  const self = [process.execPath, ...process.execArgv, process.argv[1]!, ...args.filter((a) => a !== '--no-build'), '--no-build'];
  const result = spawnSync('unshare', ['-n', 'sh', '-c', `${setUp} && exec "$@"`, 'bench', ...self], {
    stdio: 'inherit',
    env: { ...process.env, SHIMS_BENCH_NETNS: '1' },
  });
  return result.status ?? 1;
}

if (build) buildPackages();
const status = inLoopbackNamespace();
if (status !== undefined) process.exit(status);

const { measure } = await import('./measure.ts');
await measure({
  quick,
  collectorOnly,
  fabrics: sized('--fabrics'),
  seconds: sized('--seconds'),
  storages: storages as CollectorStorage[] | undefined,
});
