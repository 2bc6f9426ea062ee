// `shims-collector --database postgres://…`: the CLI keeps what it collects in PostgreSQL (a real
// server), says where without printing a password, and refuses what cannot work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIO } from '../src/run-cli.js';
import { join } from './helpers.js';
import { withClient } from './postgres-server.js';
import { postgresServer } from './storage-drivers.js';

function fakeIO(): CliIO & { output: string[]; errors: string[] } {
  const output: string[] = [];
  const errors: string[] = [];
  return { output, errors, out: (t) => output.push(t), err: (t) => errors.push(t), onSignal: () => {} };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
function tempDir(): string {
  const dir = mkdtempSync(joinPath(tmpdir(), 'shims-cli-pg-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('shims-collector --database', () => {
  it('stores in PostgreSQL and prints the URL without its password', async () => {
    const url = await (await postgresServer()).createDatabase();
    // The trust-auth server ignores the password; it is there to be hidden.
    const withPassword = url.replace('postgres@', 'postgres:s3cret-pw@');
    const io = fakeIO();
    const run = await runCli(
      ['--port', '0', '--data-dir', tempDir(), '--database', withPassword, '--app', '123456789:test-secret', '--dev-open-reads', '--quiet'],
      io,
    );
    expect(run.exitCode, io.errors.join('')).toBeUndefined();
    cleanups.push(() => run.stop());
    const printed = io.output.join('');
    expect(printed).toContain(`storage:   PostgreSQL ${withPassword.replace('s3cret-pw', '***')}`);
    expect(printed).not.toContain('s3cret-pw');
    await join(run.collector!, 'alice', 'cli-room');
    const rows = await withClient(url, async (c) => (await c.query<{ conference_id: string }>('SELECT conference_id FROM conferences')).rows);
    expect(rows).toEqual([{ conference_id: 'cli-room' }]);
  });

  it('takes the URL from SHIMS_COLLECTOR_DATABASE', async () => {
    const url = await (await postgresServer()).createDatabase();
    const io = fakeIO();
    const run = await runCli(['--port', '0', '--data-dir', tempDir(), '--accept-any-token', '--dev-open-reads', '--quiet'], io, {
      SHIMS_COLLECTOR_DATABASE: url,
    });
    cleanups.push(() => run.stop());
    expect(io.output.join('')).toContain(`storage:   PostgreSQL ${url}`);
  });

  it.each([
    [['--database', 'mysql://127.0.0.1/db'], /database must be a postgres:\/\//],
    [['--database', 'postgres://postgres@127.0.0.1:1/db'], /cannot connect to PostgreSQL/],
    [['--database', 'postgres://postgres@127.0.0.1:1/db', '--memory'], /--database and --memory exclude each other/],
  ])('exits 1 with the reason for %j', async (argv, message) => {
    const io = fakeIO();
    const run = await runCli(['--port', '0', '--data-dir', tempDir(), '--accept-any-token', '--dev-open-reads', ...argv], io);
    expect(run.exitCode).toBe(1);
    expect(io.errors.join('')).toMatch(message);
  });
});
