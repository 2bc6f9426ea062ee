// The PostgreSQL schema's migrations (src/storage/postgres-schema.ts) on a real server: each
// runs once and in order, a failing one leaves nothing, collectors starting together migrate one
// at a time, and a database of a newer collector is refused.
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPostgresStorage } from '../src/storage/postgres-storage.js';
import { migrate, MIGRATIONS } from '../src/storage/postgres-schema.js';
import { startPostgres, withClient } from './postgres-server.js';
import { postgresServer } from './storage-drivers.js';

const LATEST = MIGRATIONS.at(-1)!.version;

/** Runs `migrations` on `url` through one pooled client, as the storage does. */
async function migrateWith(url: string, migrations: Parameters<typeof migrate>[1]): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const client = await pool.connect();
  try {
    return await migrate(client, migrations);
  } finally {
    client.release();
    await pool.end();
  }
}

const versions = (url: string): Promise<number[]> =>
  withClient(url, async (c) =>
    (await c.query<{ version: number }>('SELECT version FROM shims_collector_schema ORDER BY version')).rows.map((r) => r.version),
  );

const columns = (url: string, table: string): Promise<string[]> =>
  withClient(url, async (c) =>
    (
      await c.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name', [table])
    ).rows.map((r) => r.column_name),
  );

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('PostgreSQL schema migrations', () => {
  it('creates every table on a new database and records each version once; a second start changes nothing', async () => {
    const url = await (await postgresServer()).createDatabase();
    const storage = await createPostgresStorage({ connectionString: url });
    open.push(storage);
    expect(await versions(url)).toEqual(MIGRATIONS.map((m) => m.version));
    const tables = await withClient(url, async (c) =>
      (await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map(
        (r) => r.tablename,
      ),
    );
    expect(tables).toEqual(['conferences', 'events', 'fabrics', 'logs', 'series', 'shims_collector_schema', 'stats_batches', 'users']);
    await storage.addLog({ appID: null, userID: null, version: null, eventType: 'log', data: 'kept', receivedAt: 1 });
    const again = await createPostgresStorage({ connectionString: url });
    open.push(again);
    expect(await versions(url)).toEqual(MIGRATIONS.map((m) => m.version));
    expect((await again.listLogs()).map((l) => l.data)).toEqual(['kept']);
  });

  it('applies only the steps a database lacks, keeping its rows', async () => {
    const url = await (await postgresServer()).createDatabase();
    const storage = await createPostgresStorage({ connectionString: url });
    await storage.joinUser({
      appID: '1',
      conferenceID: 'room',
      userID: 'alice',
      deviceID: null,
      endpointInfo: null,
      timestamp: 5,
      receivedAt: 5,
      body: {},
    });
    await storage.close();
    const next = { version: LATEST + 1, description: 'a note per fabric', sql: 'ALTER TABLE fabrics ADD COLUMN note TEXT' };
    expect(await migrateWith(url, [...MIGRATIONS, next])).toBe(LATEST + 1);
    expect(await columns(url, 'fabrics')).toContain('note');
    expect(await versions(url)).toEqual([...MIGRATIONS.map((m) => m.version), LATEST + 1]);
    // Run again: nothing to do (the ALTER would fail if it ran twice).
    expect(await migrateWith(url, [...MIGRATIONS, next])).toBe(LATEST + 1);
    const count = await withClient(url, async (c) => (await c.query('SELECT uc_id FROM users')).rowCount);
    expect(count).toBe(1);
  });

  it('refuses a database written by a newer collector, and leaves it as it was', async () => {
    const url = await (await postgresServer()).createDatabase();
    await migrateWith(url, [...MIGRATIONS, { version: LATEST + 5, description: 'future', sql: 'CREATE TABLE future (x INT)' }]);
    await expect(createPostgresStorage({ connectionString: url })).rejects.toThrow(/newer @shims\/collector \(schema \d+ > \d+\)/);
    expect(await versions(url)).toEqual([...MIGRATIONS.map((m) => m.version), LATEST + 5]);
  });

  it('rolls a failing migration back whole: no half-changed tables, the version unchanged', async () => {
    const url = await (await postgresServer()).createDatabase();
    await migrateWith(url, MIGRATIONS);
    const broken = { version: LATEST + 1, description: 'broken', sql: 'ALTER TABLE fabrics ADD COLUMN half TEXT; SELECT 1 / 0' };
    await expect(migrateWith(url, [...MIGRATIONS, broken])).rejects.toThrow(/division by zero/);
    expect(await columns(url, 'fabrics')).not.toContain('half');
    expect(await versions(url)).toEqual(MIGRATIONS.map((m) => m.version));
    // And a new database whose first migration fails is left without any table of ours.
    const fresh = await (await postgresServer()).createDatabase();
    await expect(migrateWith(fresh, [{ version: 1, description: 'broken', sql: 'CREATE TABLE a (x INT); SELECT 1 / 0' }])).rejects.toThrow();
    const tables = await withClient(fresh, async (c) => (await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rowCount);
    expect(tables).toBe(0);
  });

  it('lets collectors that start together on a new database migrate it once', async () => {
    const url = await (await postgresServer()).createDatabase();
    const storages = await Promise.all([1, 2, 3, 4].map(() => createPostgresStorage({ connectionString: url })));
    open.push(...storages);
    expect(await versions(url)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('says so when the server cannot be reached', async () => {
    const server = await postgresServer();
    const url = `postgres://postgres@127.0.0.1:${server.port + 0}/no_such_database`;
    await expect(createPostgresStorage({ connectionString: url })).rejects.toThrow(/cannot connect to PostgreSQL: .*no_such_database/);
  });
});

describe('the test server', () => {
  it('fails with what to install when the PostgreSQL binaries are missing, instead of skipping', async () => {
    const before = process.env.SHIMS_PG_BIN;
    process.env.SHIMS_PG_BIN = '/nonexistent/postgresql/bin';
    try {
      await expect(startPostgres()).rejects.toThrow(/PostgreSQL server binaries not found .*apt-get install -y postgresql/);
    } finally {
      if (before === undefined) delete process.env.SHIMS_PG_BIN;
      else process.env.SHIMS_PG_BIN = before;
    }
  });
});
