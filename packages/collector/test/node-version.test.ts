import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isNodeTooOld, LOWEST_NODE } from '../src/node-version.js';

describe('the lowest Node the collector runs on', () => {
  it('compares versions part by part', () => {
    expect(LOWEST_NODE).toBe('22.16.0');
    for (const old of ['20.20.2', '22.5.1', '22.15.9', '18.0.0']) expect(isNodeTooOld(old), old).toBe(true);
    for (const fine of ['22.16.0', '22.23.3', '23.0.0', '24.12.0', '25.1.0']) expect(isNodeTooOld(fine), fine).toBe(false);
  });

  it('matches package.json engines', async () => {
    const { default: pkg } = await import('../package.json', { with: { type: 'json' } });
    expect(pkg.engines.node).toBe(`>=${LOWEST_NODE}`);
  });

  // The built CLI, as `shims-collector` runs it, on a Node that reports itself as 20 (before any
  // import of node:sqlite): one line naming the version it needs, exit code 1, no stack trace.
  it.each(['cli.js', 'cli.cjs'])('dist/%s on an older Node exits 1 with one line', (file) => {
    const cli = fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
    expect(existsSync(cli), `${file} is built (pnpm build)`).toBe(true);
    const older = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.20.2"})';
    const run = spawnSync(process.execPath, ['--import', older, cli, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('shims-collector: needs Node.js 22.16.0 or newer (for node:sqlite); this is Node.js 20.20.2\n');
  });
});
