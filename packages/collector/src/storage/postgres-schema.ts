import type { PoolClient } from 'pg';

/**
 * Tables of the PostgreSQL storage: the layout of SQLite's schema 4 (sqlite-schema.ts), so both
 * drivers answer alike. Bodies stay JSON *text*, not jsonb: jsonb reorders keys and drops
 * duplicates, and the query API must give back what SQLite gives back. Timestamps are epoch ms
 * as `double precision` (the library's are fractional). `seq` columns stand for SQLite's rowid:
 * the creation order the lists sort by after a timestamp.
 *
 * Each migration runs once, in order, in one transaction with the version it brings recorded in
 * `shims_collector_schema`; a migration is never edited once released, a change is a new entry.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'conferences, users, fabrics, events, stats batches (raw text deflated), series and logs',
    sql: `
CREATE TABLE conferences (
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  first_seen DOUBLE PRECISION NOT NULL,
  last_seen DOUBLE PRECISION NOT NULL,
  seq BIGSERIAL NOT NULL UNIQUE,
  PRIMARY KEY (app_id, conference_id)
);
CREATE INDEX conferences_by_first_seen ON conferences (first_seen, seq);
CREATE INDEX conferences_by_id ON conferences (conference_id);
CREATE TABLE users (
  uc_id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  device_id TEXT,
  endpoint_info TEXT,
  joined_at DOUBLE PRECISION NOT NULL,
  seq BIGSERIAL NOT NULL,
  UNIQUE (app_id, conference_id, user_id),
  FOREIGN KEY (app_id, conference_id) REFERENCES conferences (app_id, conference_id) ON DELETE CASCADE
);
CREATE TABLE fabrics (
  uc_id TEXT NOT NULL REFERENCES users (uc_id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  remote_id TEXT,
  state TEXT NOT NULL,
  first_seen DOUBLE PRECISION NOT NULL,
  last_seen DOUBLE PRECISION NOT NULL,
  setup_at DOUBLE PRECISION,
  setup_delay_ms DOUBLE PRECISION,
  ice_gathering_delay_ms DOUBLE PRECISION,
  ice_connectivity_delay_ms DOUBLE PRECISION,
  terminated_at DOUBLE PRECISION,
  failures TEXT NOT NULL DEFAULT '[]',
  sending_batches INTEGER NOT NULL DEFAULT 0,
  report_batches INTEGER NOT NULL DEFAULT 0,
  raw_base BIGINT,
  seq BIGSERIAL NOT NULL,
  PRIMARY KEY (uc_id, connection_id)
);
CREATE INDEX fabrics_by_conference ON fabrics (conference_id, app_id);
CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  uc_id TEXT NOT NULL,
  connection_id TEXT,
  event_type TEXT NOT NULL,
  suffix TEXT NOT NULL,
  timestamp DOUBLE PRECISION NOT NULL,
  received_at DOUBLE PRECISION NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX events_by_conference ON events (conference_id, id);
CREATE INDEX events_by_fabric ON events (conference_id, connection_id, id);
CREATE INDEX events_by_type ON events (conference_id, event_type, id);
CREATE INDEX events_by_arrival ON events (received_at);
CREATE INDEX events_by_owner ON events (app_id, conference_id);
CREATE TABLE stats_batches (
  id BIGSERIAL PRIMARY KEY,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  uc_id TEXT NOT NULL,
  connection_id TEXT,
  kind TEXT NOT NULL,
  timestamp DOUBLE PRECISION NOT NULL,
  received_at DOUBLE PRECISION NOT NULL,
  stats TEXT NOT NULL,
  body TEXT NOT NULL,
  raw BYTEA,
  raw_base BIGINT
);
-- Already deflated (raw-batch.ts): TOAST's own compression would only cost CPU.
ALTER TABLE stats_batches ALTER COLUMN raw SET STORAGE EXTERNAL;
CREATE INDEX stats_by_fabric ON stats_batches (conference_id, connection_id, kind, id);
CREATE INDEX stats_by_user ON stats_batches (uc_id, connection_id, kind, id);
CREATE INDEX stats_by_arrival ON stats_batches (received_at);
CREATE INDEX stats_by_owner ON stats_batches (app_id, conference_id);
CREATE INDEX stats_by_base ON stats_batches (raw_base) WHERE raw_base IS NOT NULL;
CREATE TABLE series (
  batch_id BIGINT PRIMARY KEY REFERENCES stats_batches (id) ON DELETE CASCADE,
  app_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  uc_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  timestamp DOUBLE PRECISION NOT NULL,
  bitrate_in_bps DOUBLE PRECISION,
  bitrate_out_bps DOUBLE PRECISION,
  packets_lost DOUBLE PRECISION,
  jitter_ms DOUBLE PRECISION,
  rtt_ms DOUBLE PRECISION
);
CREATE INDEX series_by_fabric ON series (conference_id, connection_id, batch_id);
CREATE TABLE logs (
  id BIGSERIAL PRIMARY KEY,
  app_id TEXT,
  user_id TEXT,
  version TEXT,
  event_type TEXT NOT NULL,
  data TEXT,
  received_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX logs_by_arrival ON logs (received_at);
`,
  },
];

/** An arbitrary constant: the advisory lock key that makes collectors starting together migrate one at a time. */
const MIGRATION_LOCK = 0x5_c011_ec7;

/**
 * Brings the database to the last of `migrations` and returns its version. Several collectors
 * may start at once against one database: a transaction-scoped advisory lock lets one migrate
 * while the others wait, then see the work done. A database of a newer collector is refused
 * (its tables may mean something this code does not know), and a failing migration leaves
 * nothing behind (the whole run is one transaction: PostgreSQL's DDL is transactional).
 */
export async function migrate(client: PoolClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS shims_collector_schema (
      version INTEGER PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const current = Number((await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM shims_collector_schema')).rows[0]?.v ?? 0);
    if (current > latest) throw new Error(`the database was written by a newer @shims/collector (schema ${current} > ${latest})`);
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO shims_collector_schema (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
    }
    await client.query('COMMIT');
    return Math.max(current, latest);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
