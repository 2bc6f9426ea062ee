// The README says that after set-up every command it shows works as the first one in a fresh
// clone (`pnpm demo`, `pnpm check`, `pnpm bench`, `pnpm integrations`, `pnpm new-shim`). Each is
// run here as the first command in a clone of its own: `git clone` of this checkout's HEAD (what
// is committed, not the working tree's edits) and `pnpm install --offline` from the store the
// workspace's own install filled, so nothing is built and no test has run there. `pnpm bench` once
// failed exactly so: its entry imported the built packages before building them.
// `pnpm check` is not run again: CI runs it as the first command in a fresh clone. The commands
// run side by side, each in its own clone (the bench's and the demo's builds overlap).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './workspace-copy.ts';

const clones: string[] = [];
afterAll(() => {
  for (const clone of clones) rmSync(clone, { recursive: true, force: true });
});

// The clone's own turbo and pnpm must not take this run's task settings (turbo passes TURBO_* to
// the tasks it runs, this one among them; SHIMS_TEST_REPORT names this run's report).
const env = Object.fromEntries(
  Object.entries({ ...process.env, FORCE_COLOR: '0' }).filter(([name]) => !/^TURBO_(?!TELEMETRY)|^SHIMS_TEST_REPORT$/.test(name)),
);

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after 4 minutes), without blocking the other tests. */
function run(cwd: string, command: string, args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, timeout: 240_000 });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, ...out }));
  });
}
const output = (result: Result): string => `${result.stdout}\n${result.stderr}`.slice(-4_000);

/** A clone of HEAD with the workspace installed, as after `./shims setup`: nothing built. */
async function freshClone(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'shims-clone-'));
  clones.push(root);
  const clone = await run(ROOT, 'git', ['clone', '--quiet', '--no-local', ROOT, root]);
  expect(clone.status, output(clone)).toBe(0);
  const install = await run(root, 'pnpm', ['install', '--offline', '--frozen-lockfile']);
  expect(install.status, output(install)).toBe(0);
  expect(existsSync(join(root, 'packages', 'core', 'dist')), 'nothing built yet').toBe(false);
  return root;
}

describe.concurrent('each README command as the first one in a fresh clone', () => {
  it('pnpm integrations writes the page, every vendor "not verified" (no suite has run there)', async () => {
    const root = await freshClone();
    const result = await run(root, 'pnpm', ['integrations']);
    expect(result.status, output(result)).toBe(0);
    expect(result.stdout).toMatch(/peerjs\s+not verified/);
    expect(existsSync(join(root, 'site', 'dist', 'index.html'))).toBe(true);
  });

  it('pnpm new-shim creates a vendor package', async () => {
    const root = await freshClone();
    const result = await run(root, 'pnpm', ['new-shim', 'acme', '--sdk', 'acme-rtc@^1']);
    expect(result.status, output(result)).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'packages', 'acme', 'package.json'), 'utf8')).name).toBe('@shims/acme');
  });

  // The smallest run that still builds what the bench measures and loads every benchmark (the
  // whole bench is minutes; `pnpm bench --quick` runs as the bench package's own test).
  it('pnpm bench builds what it measures first, then measures (the collector, briefly)', async () => {
    const root = await freshClone();
    const result = await run(root, 'pnpm', ['bench', '--collector-only', '--fabrics', '20', '--seconds', '1', '--storage', 'sqlite']);
    expect(result.status, output(result)).toBe(0);
    expect(result.stdout).toMatch(/acknowledged, missing after kill -9 \| \*\*0\*\* \(20 stored\)/);
  });

  it('pnpm demo --check builds what the call needs, then makes the call and checks the dashboard', async () => {
    const root = await freshClone();
    const result = await run(root, 'pnpm', ['demo', '--check']);
    expect(result.status, output(result)).toBe(0);
  });
});
