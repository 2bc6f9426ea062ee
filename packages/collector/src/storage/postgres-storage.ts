import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { deriveSeriesPoint, summarizeStats, type StatsSummary } from '../derive-series.js';
import { fabricChangeFor, nextFabricState } from '../fabric-state.js';
import { createBoundedCache } from './bounded-cache.js';
import { createPostgresGroupCommit, postgresStorageError } from './postgres-group-commit.js';
import { readRows, type Queryable } from './postgres-reads.js';
import { num, numOrNull, ROW_OVERHEAD, text, type Row } from './storage-rows.js';
import { migrate } from './postgres-schema.js';
import { deflateBatch, inflateBatch, inflateBatchBytes, splitBatch } from './raw-batch.js';
import { StorageFullError } from './storage.js';
import type { CollectorStorage, EventInput, FabricFailure, FabricState, JoinUserResult, StatsInput } from './storage.js';

export interface PostgresStorageOptions {
  /** `postgres://user:password@host:port/database` (libpq's URL form; `?sslmode=…` and the rest as pg reads them). */
  connectionString: string;
  /**
   * Size cap of the database (`pg_database_size`, checked every few seconds): past it writes fail
   * with StorageFullError. Default none (a full disk also answers StorageFullError).
   */
  maxBytes?: number;
  /** Bytes of library log lines kept: past it the oldest are deleted. Default 16 MiB. */
  maxLogBytes?: number;
  /** Connections of this collector (one writes at a time, the rest read). Default 8. */
  poolSize?: number;
}

/** Failures kept on a fabric row (its events keep them all), as in SQLite. */
const MAX_FAILURES = 50;
/** How often the size and live-fabric figures (read synchronously by /metrics) are refreshed. */
const GAUGE_INTERVAL_MS = 2000;

const newUcID = (): string => randomBytes(12).toString('base64url');

/**
 * The storage in PostgreSQL, for collectors that outgrow one machine: several collector processes
 * may share one database. It stores exactly what the SQLite storage stores, table for table
 * (postgres-schema.ts), and its reads (postgres-reads.ts) answer exactly as SQLite's do. Writes
 * share a transaction per group (postgres-group-commit.ts); none is acknowledged before COMMIT.
 * Opening it connects, checks the server's version and runs the migrations.
 */
export async function createPostgresStorage(options: PostgresStorageOptions): Promise<CollectorStorage> {
  // Loaded here, not at the top: a collector on SQLite never loads the PostgreSQL client.
  const { Pool: PgPool } = await import('pg');
  const pool: Pool = new PgPool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 8,
    application_name: 'shims-collector',
    // Bounded waits: a statement stuck behind a lock fails instead of holding a request forever.
    statement_timeout: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server closed (restart, idle timeout) is dropped by the pool; without
  // this listener that would be an uncaught 'error' event.
  pool.on('error', () => {});
  const setup = await pool.connect().catch(async (error: unknown) => {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to PostgreSQL: ${(error as Error).message}`);
  });
  try {
    // Before 12, PostgreSQL printed doubles with 15 digits unless told otherwise: timestamps
    // would come back changed. Older servers are refused rather than answered differently.
    const version = Number((await setup.query<{ server_version_num: string }>('SHOW server_version_num')).rows[0]?.server_version_num);
    if (!(version >= 120000)) throw new Error(`PostgreSQL 12 or later is needed (the server is ${version})`);
    await migrate(setup);
  } catch (error) {
    setup.release();
    await pool.end().catch(() => {});
    throw error;
  }
  setup.release();

  const maxLogBytes = options.maxLogBytes ?? 16 * 1024 * 1024;
  const group = createPostgresGroupCommit(pool);
  const reads = readRows(pool, batchContent);
  /** Each fabric's last stats summary, for the next batch's deltas (a parse of 12 KB saved). */
  const summaries = createBoundedCache<{ batchID: number; summary: StatsSummary }>(100_000);

  let logBytes = await logBytesIn(pool);
  let sizeBytes = 0;
  let liveFabrics = 0;
  async function refreshGauges(): Promise<void> {
    const row = (
      await pool.query<Row>(`SELECT pg_database_size(current_database()) AS size, (SELECT COUNT(*) FROM fabrics WHERE state = 'setup') AS live`)
    ).rows[0]!;
    sizeBytes = num(row.size);
    liveFabrics = num(row.live);
  }
  await refreshGauges();
  const gauges = setInterval(() => void refreshGauges().catch(() => {}), GAUGE_INTERVAL_MS);
  gauges.unref();

  /** A write is refused whole while the database is past its cap (SQLite's max_page_count). */
  function checkSize(): void {
    if (options.maxBytes !== undefined && sizeBytes > options.maxBytes) throw new StorageFullError();
  }
  const write = <T>(key: { appID: string; conferenceID: string } | undefined, work: (c: PoolClient) => Promise<T>): Promise<T> => {
    try {
      checkSize();
    } catch (error) {
      return Promise.reject(error);
    }
    return group.write(key, work);
  };

  const one = async (c: Queryable, sql: string, params: unknown[]): Promise<Row | undefined> => (await c.query<Row>(sql, params)).rows[0];
  const idOf = async (c: Queryable, sql: string, params: unknown[]): Promise<number> => num((await one(c, sql, params))?.id);

  async function touchConference(c: Queryable, appID: string, conferenceID: string, timestamp: number): Promise<void> {
    await c.query(
      'UPDATE conferences SET first_seen = LEAST(first_seen, $1), last_seen = GREATEST(last_seen, $1) WHERE app_id = $2 AND conference_id = $3',
      [timestamp, appID, conferenceID],
    );
  }

  /** Creates the user's fabric as pending on its first event, or moves its first/last seen; the row after. */
  async function touchFabric(
    c: Queryable,
    input: { appID: string; conferenceID: string; ucID: string; connectionID: string; remoteID: string | null; timestamp: number },
  ): Promise<Row> {
    return (await one(
      c,
      `INSERT INTO fabrics (uc_id, connection_id, app_id, conference_id, remote_id, state, first_seen, last_seen)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6)
       ON CONFLICT (uc_id, connection_id) DO UPDATE SET
         remote_id = COALESCE(fabrics.remote_id, excluded.remote_id),
         first_seen = LEAST(fabrics.first_seen, excluded.first_seen),
         last_seen = GREATEST(fabrics.last_seen, excluded.last_seen)
       RETURNING *`,
      [input.ucID, input.connectionID, input.appID, input.conferenceID, input.remoteID, input.timestamp],
    ))!;
  }

  async function applyFabricChange(c: Queryable, fabric: Row, input: EventInput): Promise<void> {
    const change = fabricChangeFor(input.suffix, input.body);
    if (!change.state) return;
    const state = nextFabricState(text(fabric.state) as FabricState, change.state);
    const failures = JSON.parse(text(fabric.failures)) as FabricFailure[];
    if (change.failure) {
      // A bounded summary, as in SQLite: the last MAX_FAILURES failures, messages cut at 4 KiB.
      const message = change.failure.message === null ? null : change.failure.message.slice(0, 4096);
      failures.push({ timestamp: input.timestamp, ...change.failure, message });
      if (failures.length > MAX_FAILURES) failures.splice(0, failures.length - MAX_FAILURES);
    }
    await c.query(
      `UPDATE fabrics SET state = $1, failures = $2,
         setup_at = COALESCE($3, setup_at), setup_delay_ms = COALESCE($4, setup_delay_ms),
         ice_gathering_delay_ms = COALESCE($5, ice_gathering_delay_ms),
         ice_connectivity_delay_ms = COALESCE($6, ice_connectivity_delay_ms),
         terminated_at = COALESCE(terminated_at, $7)
       WHERE uc_id = $8 AND connection_id = $9`,
      [
        state,
        JSON.stringify(failures),
        change.setup ? input.timestamp : null,
        change.setup?.delayMs ?? null,
        change.setup?.iceGatheringDelayMs ?? null,
        change.setup?.iceConnectivityDelayMs ?? null,
        change.terminated ? input.timestamp : null,
        input.ucID,
        input.connectionID,
      ],
    );
  }

  function insertEvent(c: Queryable, input: EventInput): Promise<number> {
    return idOf(
      c,
      `INSERT INTO events (app_id, conference_id, uc_id, connection_id, event_type, suffix, timestamp, received_at, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        input.appID,
        input.conferenceID,
        input.ucID,
        input.connectionID,
        input.eventType,
        input.suffix,
        input.timestamp,
        input.receivedAt,
        JSON.stringify(input.body),
      ],
    );
  }

  /** The exact text of a stored raw batch (a dictionary), or undefined when it is gone. */
  async function rawText(c: Queryable, id: number): Promise<Buffer | undefined> {
    const row = await one(c, 'SELECT raw, raw_base FROM stats_batches WHERE id = $1', [id]);
    if (!row || !(row.raw instanceof Uint8Array)) return undefined;
    const base = numOrNull(row.raw_base);
    return inflateBatchBytes(row.raw, base === null ? undefined : await rawText(c, base));
  }

  /** A stored batch's text and its split parts: from `raw` when kept that way, else the JSON columns. */
  async function batchContent(c: Queryable, row: Row): Promise<{ stats: unknown[]; body: unknown; raw?: string }> {
    if (!(row.raw instanceof Uint8Array)) return { stats: JSON.parse(text(row.stats)) as unknown[], body: JSON.parse(text(row.body)) };
    const base = numOrNull(row.raw_base);
    const raw = inflateBatch(row.raw, base === null ? undefined : await rawText(c, base));
    return { ...splitBatch(raw), raw };
  }

  /** As sqlite-storage.ts's insertBatch: deflated against the fabric's first batch when `raw` is given. */
  async function insertBatch(c: Queryable, input: StatsInput, fabric: Row | undefined): Promise<number> {
    const insert = (stats: string, body: string, raw: Buffer | null, base: number | null): Promise<number> =>
      idOf(
        c,
        `INSERT INTO stats_batches (app_id, conference_id, uc_id, connection_id, kind, timestamp, received_at, stats, body, raw, raw_base)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [input.appID, input.conferenceID, input.ucID, input.connectionID, input.kind, input.timestamp, input.receivedAt, stats, body, raw, base],
      );
    if (input.raw === undefined) return insert(JSON.stringify(input.stats), JSON.stringify(input.body), null, null);
    const baseID = input.kind === 'stats' && fabric ? numOrNull(fabric.raw_base) : null;
    const dictionary = baseID === null ? undefined : await rawText(c, baseID);
    if (dictionary === undefined) {
      const id = await insert('', '', deflateBatch(input.raw), null);
      if (input.kind === 'stats' && fabric)
        await c.query('UPDATE fabrics SET raw_base = $1 WHERE uc_id = $2 AND connection_id = $3', [id, input.ucID, input.connectionID]);
      return id;
    }
    return insert('', '', deflateBatch(input.raw, dictionary), baseID);
  }

  /**
   * The summary of the fabric's batch before `id` (this user's only): from memory when the
   * remembered one was made from that very batch, else read and parsed again. Ids are never
   * reused in PostgreSQL, so a remembered summary of a batch rolled back never matches.
   */
  async function previousSummary(c: Queryable, ucID: string, connectionID: string, id: number): Promise<StatsSummary | undefined> {
    const previous = await one(
      c,
      `SELECT id FROM stats_batches WHERE uc_id = $1 AND connection_id = $2 AND kind = 'stats' AND id < $3 ORDER BY id DESC LIMIT 1`,
      [ucID, connectionID, id],
    );
    if (!previous) return undefined;
    const remembered = summaries.get(`${ucID}\n${connectionID}`);
    if (remembered?.batchID === num(previous.id)) return remembered.summary;
    const row = (await one(c, 'SELECT stats, body, raw, raw_base FROM stats_batches WHERE id = $1', [num(previous.id)]))!;
    return summarizeStats((await batchContent(c, row)).stats);
  }

  /**
   * Deletes the oldest log lines until the kept ones fit in `maxLogBytes` (10 % headroom). The
   * count is this process's; other collectors add lines too, so past the cap it is read again.
   */
  async function trimLogs(c: Queryable): Promise<void> {
    if (logBytes <= maxLogBytes) return;
    logBytes = await logBytesIn(c);
    if (logBytes <= maxLogBytes) return;
    const target = maxLogBytes * 0.9;
    const row =
      (await one(
        c,
        `SELECT id, freed FROM (SELECT id, SUM(COALESCE(LENGTH(data), 0) + $1) OVER (ORDER BY id) AS freed FROM logs) t
         WHERE $2 - freed <= $3 ORDER BY id LIMIT 1`,
        [ROW_OVERHEAD, logBytes, target],
      )) ?? (await one(c, 'SELECT MAX(id) AS id, $1::float8 AS freed FROM logs', [logBytes]));
    await c.query('DELETE FROM logs WHERE id <= $1', [num(row?.id)]);
    logBytes -= num(row?.freed);
  }

  let closing: Promise<void> | undefined;

  return {
    ...reads,

    joinUser(input): Promise<JoinUserResult> {
      return write(input, async (c) => {
        await c.query(
          `INSERT INTO conferences (app_id, conference_id, first_seen, last_seen) VALUES ($1, $2, $3, $3)
           ON CONFLICT (app_id, conference_id) DO UPDATE SET
             first_seen = LEAST(conferences.first_seen, excluded.first_seen), last_seen = GREATEST(conferences.last_seen, excluded.last_seen)`,
          [input.appID, input.conferenceID, input.timestamp],
        );
        // Another collector may join the same user at the same moment: the unique key decides.
        let row = await one(
          c,
          `INSERT INTO users (uc_id, app_id, conference_id, user_id, device_id, endpoint_info, joined_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (app_id, conference_id, user_id) DO NOTHING RETURNING *`,
          [newUcID(), input.appID, input.conferenceID, input.userID, input.deviceID, JSON.stringify(input.endpointInfo ?? null), input.timestamp],
        );
        const created = row !== undefined;
        row ??= (await one(c, 'SELECT * FROM users WHERE app_id = $1 AND conference_id = $2 AND user_id = $3', [
          input.appID,
          input.conferenceID,
          input.userID,
        ]))!;
        const user = {
          ucID: text(row.uc_id),
          appID: text(row.app_id),
          conferenceID: text(row.conference_id),
          userID: text(row.user_id),
          deviceID: typeof row.device_id === 'string' ? row.device_id : null,
          endpointInfo: typeof row.endpoint_info === 'string' ? (JSON.parse(row.endpoint_info) as unknown) : null,
          joinedAt: num(row.joined_at),
        };
        await insertEvent(c, {
          appID: input.appID,
          conferenceID: input.conferenceID,
          ucID: user.ucID,
          connectionID: null,
          remoteID: null,
          suffix: '',
          eventType: typeof input.body.eventType === 'string' ? input.body.eventType : 'userJoined',
          timestamp: input.timestamp,
          receivedAt: input.receivedAt,
          body: input.body,
        });
        return { ok: true, user, created };
      });
    },

    addEvent(input) {
      return write(input, async (c) => {
        const id = await insertEvent(c, input);
        await touchConference(c, input.appID, input.conferenceID, input.timestamp);
        if (input.connectionID !== null) {
          await applyFabricChange(c, await touchFabric(c, { ...input, connectionID: input.connectionID }), input);
        }
        return id;
      });
    },

    addStats(input) {
      return write(input, async (c) => {
        await touchConference(c, input.appID, input.conferenceID, input.timestamp);
        const fabric = input.connectionID === null ? undefined : await touchFabric(c, { ...input, connectionID: input.connectionID });
        const id = await insertBatch(c, input, fabric);
        if (input.connectionID === null || input.kind !== 'stats') return id;
        const current = summarizeStats(input.stats);
        if (current.packetsSent > 0) {
          await c.query(
            'UPDATE fabrics SET sending_batches = sending_batches + 1, report_batches = report_batches + $1 WHERE uc_id = $2 AND connection_id = $3',
            [current.receiverReports > 0 ? 1 : 0, input.ucID, input.connectionID],
          );
        }
        const point = deriveSeriesPoint({
          batchID: id,
          timestamp: input.timestamp,
          current,
          previous: await previousSummary(c, input.ucID, input.connectionID, id),
          baselineTimestamp: numOrNull(fabric!.setup_at),
        });
        summaries.remember(`${input.ucID}\n${input.connectionID}`, { batchID: id, summary: current });
        if (point) {
          await c.query(
            `INSERT INTO series (batch_id, app_id, conference_id, uc_id, connection_id, timestamp, bitrate_in_bps, bitrate_out_bps, packets_lost, jitter_ms, rtt_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [
              id,
              input.appID,
              input.conferenceID,
              input.ucID,
              input.connectionID,
              point.timestamp,
              point.bitrateInBps,
              point.bitrateOutBps,
              point.packetsLost,
              point.jitterMs,
              point.rttMs,
            ],
          );
        }
        return id;
      });
    },

    addLog(input) {
      const data = JSON.stringify(input.data ?? null);
      return write(undefined, async (c) => {
        const id = await idOf(
          c,
          'INSERT INTO logs (app_id, user_id, version, event_type, data, received_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [input.appID, input.userID, input.version, input.eventType, data, input.receivedAt],
        );
        logBytes += data.length + ROW_OVERHEAD;
        await trimLogs(c);
        return id;
      });
    },

    async purge(receivedBefore) {
      // Its own transaction beside the groups, as SQLite's purge beside its group commit.
      const c = await pool.connect();
      const ignore = (): void => {};
      c.on('error', ignore);
      try {
        await c.query('BEGIN');
        let count = 0;
        const del = async (sql: string, params: unknown[]): Promise<void> => {
          count += (await c.query(sql, params)).rowCount ?? 0;
        };
        // A batch that is the dictionary of a kept batch stays with it (raw-batch.ts).
        const gone = 'received_at < $1 AND id NOT IN (SELECT raw_base FROM stats_batches WHERE raw_base IS NOT NULL AND received_at >= $1)';
        await del(`DELETE FROM series WHERE batch_id IN (SELECT id FROM stats_batches WHERE ${gone})`, [receivedBefore]);
        await del(`DELETE FROM stats_batches WHERE ${gone}`, [receivedBefore]);
        await del('DELETE FROM events WHERE received_at < $1', [receivedBefore]);
        await del('DELETE FROM logs WHERE received_at < $1', [receivedBefore]);
        // A conference goes (users and fabrics with it) once nothing of it is left.
        await del(
          `DELETE FROM conferences c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.app_id = c.app_id AND e.conference_id = c.conference_id)
           AND NOT EXISTS (SELECT 1 FROM stats_batches b WHERE b.app_id = c.app_id AND b.conference_id = c.conference_id)`,
          [],
        );
        await c.query('COMMIT');
        // Freed space is reused by PostgreSQL's autovacuum; a VACUUM FULL would lock the tables.
        logBytes = await logBytesIn(c);
        return { deleted: count };
      } catch (error) {
        await c.query('ROLLBACK').catch(() => {});
        throw postgresStorageError(error);
      } finally {
        c.removeListener('error', ignore);
        c.release();
      }
    },

    sizeBytes: () => sizeBytes,
    liveFabrics: () => liveFabrics,

    close() {
      closing ??= (async () => {
        clearInterval(gauges);
        await group.drain();
        await pool.end();
      })();
      return closing;
    },
  };
}

async function logBytesIn(c: Queryable): Promise<number> {
  const row = (await c.query<Row>('SELECT COALESCE(SUM(LENGTH(data)), 0) + COUNT(*) * $1 AS n FROM logs', [ROW_OVERHEAD])).rows[0];
  return num(row?.n);
}
