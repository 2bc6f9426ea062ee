// The storage drivers the shared storage tests run against: SQLite and PostgreSQL (a real server,
// started once per test file on first use, a fresh database per test). A suite written once runs
// over both with `describe.each(STORAGE_DRIVERS)`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { CollectorOptions } from '../src/index.js';
import { createPostgresStorage } from '../src/storage/postgres-storage.js';
import { createSqliteStorage } from '../src/storage/sqlite-storage.js';
import { createSqliteWorkerStorage } from '../src/storage/sqlite-worker-storage.js';
import type { CollectorStorage } from '../src/storage/storage.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

export interface StorageDriver {
  name: string;
  /** A new, empty storage, closed after the test. */
  open(options?: DriverOptions): Promise<CollectorStorage>;
  /**
   * Options for createCollector that make it own a new, empty storage of this driver. The
   * same `place` gives the same database again (a restart).
   */
  collectorOptions(place?: StoragePlace): Promise<Pick<CollectorOptions, 'dataDir' | 'database'>>;
  /** Somewhere a storage of this driver lives across a restart. */
  newPlace(): Promise<StoragePlace>;
}

/** What every driver takes (the rest differs). */
interface DriverOptions {
  maxLogBytes?: number;
}

/** A data directory (SQLite) or a database URL (PostgreSQL). */
type StoragePlace = { dataDir: string } | { database: string };

let server: Promise<PostgresServer> | undefined;
/** The file's PostgreSQL server, started on first use (files that never ask start none). */
export function postgresServer(): Promise<PostgresServer> {
  server ??= startPostgres();
  return server;
}
afterAll(async () => {
  if (server) await (await server.catch(() => undefined))?.stop();
  server = undefined;
});

const opened: CollectorStorage[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'storage-driver-'));
  dirs.push(dir);
  return dir;
};
const keep = (storage: CollectorStorage): CollectorStorage => {
  opened.push(storage);
  return storage;
};

export const SQLITE: StorageDriver = {
  name: 'SQLite',
  open: async (options) => keep(createSqliteStorage({ ...options })),
  newPlace: async () => ({ dataDir: tempDir() }),
  collectorOptions: async (place) => place ?? {},
};

/** SQLite in a file, its writes on the writer thread: what the CLI runs. */
export const SQLITE_FILE: StorageDriver = {
  name: 'SQLite file (writer thread)',
  open: async (options) => keep(createSqliteWorkerStorage({ ...options, file: join(tempDir(), 'collector.sqlite') })),
  newPlace: async () => ({ dataDir: tempDir() }),
  collectorOptions: async (place) => place ?? { dataDir: tempDir() },
};

export const POSTGRES: StorageDriver = {
  name: 'PostgreSQL',
  open: async (options) => keep(await createPostgresStorage({ ...options, connectionString: await (await postgresServer()).createDatabase() })),
  newPlace: async () => ({ database: await (await postgresServer()).createDatabase() }),
  collectorOptions: async (place) => place ?? { database: await (await postgresServer()).createDatabase() },
};

export const STORAGE_DRIVERS: StorageDriver[] = [SQLITE, POSTGRES];
