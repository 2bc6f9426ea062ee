import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { backup as sqliteBackup, DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { deriveSeriesPoint, summarizeStats, type StatsSummary } from '../derive-series.js';
import { createBoundedCache } from './bounded-cache.js';
import { deflateBatch, inflateBatch, inflateBatchBytes, splitBatch } from './raw-batch.js';
import { fabricChangeFor, nextFabricState } from '../fabric-state.js';
import { createGroupCommit, isFull } from './group-commit.js';
import { MIGRATE_1_TO_2_SQL, MIGRATE_2_TO_3_SQL, MIGRATE_3_TO_4_SQL, SCHEMA_SQL, SCHEMA_VERSION } from './sqlite-schema.js';
import { StorageFullError } from './storage.js';
import {
  json,
  len,
  limitOf,
  MAX_LIMIT,
  num,
  numOrNull,
  ROW_OVERHEAD,
  text,
  textOrNull,
  toEvent,
  toFabric,
  toPoint,
  toUser,
  type Row,
} from './storage-rows.js';
import type {
  CollectorStorage,
  ConferencePage,
  ConferenceSummary,
  EventInput,
  EventQuery,
  EventRecord,
  FabricFailure,
  FabricRecord,
  FabricState,
  JoinUserInput,
  JoinUserResult,
  LogInput,
  LogRecord,
  PageQuery,
  SeriesPoint,
  SeriesQuery,
  StatsBatchRecord,
  StatsInput,
  UserRecord,
  UserSummary,
} from './storage.js';

export interface SqliteStorageOptions {
  /** A database file (its directory is created), or `:memory:` (the default). */
  file?: string;
  /** Size cap of the database (`max_page_count`): past it writes fail with StorageFullError. */
  maxBytes?: number;
  /** Bytes of library log lines kept: past it the oldest are deleted. Default 16 MiB. */
  maxLogBytes?: number;
}

/** Failures kept on a fabric row (its events keep them all). */
const MAX_FAILURES = 50;

/** A ucID travels in URLs: short, random, URL-safe. */
const newUcID = (): string => randomBytes(12).toString('base64url');

/**
 * A stats batch with its summary (`summarizeStats(stats)`) already made: the writer thread gets
 * the text and that summary, so it never parses the batch again (sqlite-worker-storage.ts).
 */
export type SummarizedStatsInput = StatsInput & { summary?: StatsSummary };

/**
 * The default storage: Node's built-in SQLite, so a write is on disk (or in memory) before the
 * server answers. The ingests of one event-loop turn share one transaction (group commit), each
 * in a savepoint of its own.
 */
export function createSqliteStorage(
  options: SqliteStorageOptions = {},
): CollectorStorage & { addStats(input: SummarizedStatsInput): Promise<number> } {
  const file = options.file ?? ':memory:';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  // A file has two connections (the writer thread's and the reads'), and may have another
  // process's: a lock another one holds for a moment is waited for, not an error.
  db.exec('PRAGMA busy_timeout = 5000');
  const version = num(db.prepare('PRAGMA user_version').get()?.user_version);
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file} was written by a newer @shims/collector (schema ${version} > ${SCHEMA_VERSION})`);
  }
  // A new database reclaims deleted pages incrementally (retention); set before any table.
  if (version === 0) db.exec('PRAGMA auto_vacuum = INCREMENTAL');
  if (file !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  if (version === 1) {
    db.exec('PRAGMA foreign_keys = OFF');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATE_1_TO_2_SQL);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      db.close();
      throw error;
    }
    // Once: from now on retention reclaims space incrementally.
    db.exec('PRAGMA auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  }
  if (version === 2) db.exec(MIGRATE_2_TO_3_SQL);
  if (version === 2 || version === 3) db.exec(MIGRATE_3_TO_4_SQL);
  db.exec('PRAGMA foreign_keys = ON');
  db.exec(SCHEMA_SQL);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  const pageSize = num(db.prepare('PRAGMA page_size').get()?.page_size);
  if (options.maxBytes !== undefined) db.exec(`PRAGMA max_page_count = ${Math.max(16, Math.floor(options.maxBytes / pageSize))}`);
  const maxLogBytes = options.maxLogBytes ?? 16 * 1024 * 1024;

  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const prepare = (sql: string): ReturnType<DatabaseSync['prepare']> => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const one = (sql: string, ...params: SQLInputValue[]): Row | undefined => prepare(sql).get(...params);
  const all = (sql: string, ...params: SQLInputValue[]): Row[] => prepare(sql).all(...params);
  const run = (sql: string, ...params: SQLInputValue[]): number => Number(prepare(sql).run(...params).lastInsertRowid);

  /**
   * Rows in id order until `limit` rows or `maxBytes` of their JSON text (at least one row):
   * a read of many large rows can not build an answer bigger than the budget.
   */
  /**
   * One fabric's rows of `table` after `query.afterID` (by `idColumn`), of the query's app and
   * user when it names them: the filter the series and the stats batches share.
   */
  function fabricRows(table: 'series' | 'stats_batches', idColumn: 'batch_id' | 'id', bytesOf: (row: Row) => number, query: SeriesQuery): Row[] {
    return page(
      `SELECT * FROM ${table} WHERE conference_id = ? AND connection_id = ? AND ${idColumn} > ? AND (? IS NULL OR app_id = ?) AND (? IS NULL OR uc_id = ?) ORDER BY ${idColumn} LIMIT ?`,
      bytesOf,
      query,
      query.conferenceID,
      query.connectionID,
      query.afterID ?? 0,
      ...appFilter(query.appID),
      query.ucID ?? null,
      query.ucID ?? null,
    );
  }

  function page(sql: string, bytesOf: (row: Row) => number, query: PageQuery, ...params: SQLInputValue[]): Row[] {
    const limit = limitOf(query.limit);
    const budget = query.maxBytes ?? Number.POSITIVE_INFINITY;
    const rows: Row[] = [];
    let bytes = 0;
    for (const row of prepare(sql).iterate(...params, limit) as Iterable<Row>) {
      bytes += bytesOf(row) + ROW_OVERHEAD;
      if (rows.length > 0 && bytes > budget) break;
      rows.push(row);
    }
    return rows;
  }

  /**
   * One write, all or nothing. A full disk makes SQLite roll the transaction back itself
   * (then a second ROLLBACK would fail and hide the cause): the error says "disk full".
   */
  function transaction<T>(work: () => T): T {
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      if (isFull(error)) throw new StorageFullError();
      throw error;
    }
  }

  // Ingest writes share a transaction per event-loop turn (group-commit.ts); purge has its own.
  const group = createGroupCommit(db);
  /** Each fabric's last stats summary, for the next batch's deltas (a parse of 12 KB saved). */
  const summaries = createBoundedCache<{ batchID: number; summary: StatsSummary }>(100_000);

  let logBytes = num(one('SELECT COALESCE(SUM(LENGTH(data)), 0) + COUNT(*) * ? AS n FROM logs', ROW_OVERHEAD)?.n);

  function touchConference(appID: string, conferenceID: string, timestamp: number): void {
    run(
      'UPDATE conferences SET first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?) WHERE app_id = ? AND conference_id = ?',
      timestamp,
      timestamp,
      appID,
      conferenceID,
    );
  }

  /** Creates the user's fabric as pending on its first event, or moves its first/last seen. */
  function touchFabric(input: {
    appID: string;
    conferenceID: string;
    ucID: string;
    connectionID: string;
    remoteID: string | null;
    timestamp: number;
  }): Row {
    run(
      `INSERT INTO fabrics (uc_id, connection_id, app_id, conference_id, remote_id, state, first_seen, last_seen)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (uc_id, connection_id) DO UPDATE SET
         remote_id = COALESCE(fabrics.remote_id, excluded.remote_id),
         first_seen = MIN(fabrics.first_seen, excluded.first_seen),
         last_seen = MAX(fabrics.last_seen, excluded.last_seen)`,
      input.ucID,
      input.connectionID,
      input.appID,
      input.conferenceID,
      input.remoteID,
      input.timestamp,
      input.timestamp,
    );
    return one('SELECT * FROM fabrics WHERE uc_id = ? AND connection_id = ?', input.ucID, input.connectionID)!;
  }

  function applyFabricChange(fabric: Row, input: EventInput): void {
    const change = fabricChangeFor(input.suffix, input.body);
    if (!change.state) return;
    const state = nextFabricState(text(fabric.state) as FabricState, change.state);
    const failures = json(fabric.failures) as FabricFailure[];
    if (change.failure) {
      // The fabric row keeps a bounded summary (the full bodies are in events): the last
      // MAX_FAILURES failures, each message cut at 4 KiB.
      const message = change.failure.message === null ? null : change.failure.message.slice(0, 4096);
      failures.push({ timestamp: input.timestamp, ...change.failure, message });
      if (failures.length > MAX_FAILURES) failures.splice(0, failures.length - MAX_FAILURES);
    }
    run(
      `UPDATE fabrics SET state = ?, failures = ?,
         setup_at = COALESCE(?, setup_at), setup_delay_ms = COALESCE(?, setup_delay_ms),
         ice_gathering_delay_ms = COALESCE(?, ice_gathering_delay_ms),
         ice_connectivity_delay_ms = COALESCE(?, ice_connectivity_delay_ms),
         terminated_at = COALESCE(terminated_at, ?)
       WHERE uc_id = ? AND connection_id = ?`,
      state,
      JSON.stringify(failures),
      change.setup ? input.timestamp : null,
      change.setup?.delayMs ?? null,
      change.setup?.iceGatheringDelayMs ?? null,
      change.setup?.iceConnectivityDelayMs ?? null,
      change.terminated ? input.timestamp : null,
      input.ucID,
      input.connectionID,
    );
  }

  function insertEvent(input: EventInput): number {
    return run(
      `INSERT INTO events (app_id, conference_id, uc_id, connection_id, event_type, suffix, timestamp, received_at, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      input.appID,
      input.conferenceID,
      input.ucID,
      input.connectionID,
      input.eventType,
      input.suffix,
      input.timestamp,
      input.receivedAt,
      JSON.stringify(input.body),
    );
  }

  function usersOf(keys: { appID: string; conferenceID: string }[]): Map<string, UserSummary[]> {
    const byConference = new Map<string, UserSummary[]>();
    const rows = all(
      `SELECT u.* FROM users u JOIN json_each(?) k ON u.app_id = k.value ->> 0 AND u.conference_id = k.value ->> 1 ORDER BY u.joined_at, u.rowid`,
      JSON.stringify(keys.map((k) => [k.appID, k.conferenceID])),
    );
    for (const row of rows) {
      const key = `${text(row.app_id)}\n${text(row.conference_id)}`;
      const list = byConference.get(key) ?? [];
      list.push({
        ucID: text(row.uc_id),
        userID: text(row.user_id),
        deviceID: textOrNull(row.device_id),
        endpointInfo: json(row.endpoint_info),
        joinedAt: num(row.joined_at),
      });
      byConference.set(key, list);
    }
    return byConference;
  }

  function conferences(where: string, order: string, ...params: SQLInputValue[]): ConferenceSummary[] {
    const rows = all(
      `SELECT c.*, (SELECT COUNT(*) FROM fabrics f WHERE f.app_id = c.app_id AND f.conference_id = c.conference_id) AS fabric_count
       FROM conferences c ${where} ${order}`,
      ...params,
    );
    const users = usersOf(rows.map((r) => ({ appID: text(r.app_id), conferenceID: text(r.conference_id) })));
    return rows.map((row) => ({
      conferenceID: text(row.conference_id),
      appID: text(row.app_id),
      firstSeen: num(row.first_seen),
      lastSeen: num(row.last_seen),
      users: users.get(`${text(row.app_id)}\n${text(row.conference_id)}`) ?? [],
      fabricCount: num(row.fabric_count),
    }));
  }

  /** The optional app filter of a read: `(? IS NULL OR app_id = ?)`. */
  const appFilter = (appID: string | undefined): SQLInputValue[] => [appID ?? null, appID ?? null];

  /** Deletes the oldest log lines until the kept ones fit in `maxLogBytes` (with 10% headroom). */
  function trimLogs(): void {
    if (logBytes <= maxLogBytes) return;
    const target = maxLogBytes * 0.9;
    let freed = 0;
    let lastID = 0;
    for (const row of prepare('SELECT id, LENGTH(data) AS n FROM logs ORDER BY id').iterate() as Iterable<Row>) {
      freed += num(row.n) + ROW_OVERHEAD;
      lastID = num(row.id);
      if (logBytes - freed <= target) break;
    }
    run('DELETE FROM logs WHERE id <= ?', lastID);
    logBytes -= freed;
  }

  /**
   * Inserts a batch. With its exact text (`raw`) it is kept deflated (raw-batch.ts) and `stats`
   * and `body` stay empty; a fabric's first such stats batch becomes the dictionary of its later
   * ones (`raw_base`). Without it (a caller of the storage API), as JSON text as before.
   */
  function insertBatch(input: StatsInput, fabric: Row | undefined): number {
    const insert = (stats: string, body: string, raw: Uint8Array | null, base: number | null): number =>
      run(
        `INSERT INTO stats_batches (app_id, conference_id, uc_id, connection_id, kind, timestamp, received_at, stats, body, raw, raw_base)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        input.appID,
        input.conferenceID,
        input.ucID,
        input.connectionID,
        input.kind,
        input.timestamp,
        input.receivedAt,
        stats,
        body,
        raw,
        base,
      );
    if (input.raw === undefined) return insert(JSON.stringify(input.stats), JSON.stringify(input.body), null, null);
    const baseID = input.kind === 'stats' && fabric ? numOrNull(fabric.raw_base) : null;
    const dictionary = baseID === null ? undefined : rawText(baseID);
    if (dictionary === undefined) {
      const id = insert('', '', deflateBatch(input.raw), null);
      if (input.kind === 'stats' && fabric)
        run('UPDATE fabrics SET raw_base = ? WHERE uc_id = ? AND connection_id = ?', id, input.ucID, input.connectionID);
      return id;
    }
    return insert('', '', deflateBatch(input.raw, dictionary), baseID);
  }

  /** The exact text of a stored raw batch (a dictionary), or undefined when it is gone. */
  function rawText(id: number): Buffer | undefined {
    const row = one('SELECT raw, raw_base FROM stats_batches WHERE id = ?', id);
    if (!row || !(row.raw instanceof Uint8Array)) return undefined;
    const base = numOrNull(row.raw_base);
    return inflateBatchBytes(row.raw, base === null ? undefined : rawText(base));
  }

  /** A stored batch's text and its split parts: from `raw` when kept that way, else the JSON columns. */
  function batchContent(row: Row): { stats: unknown[]; body: unknown; raw?: string } {
    if (!(row.raw instanceof Uint8Array)) return { stats: json(row.stats) as unknown[], body: json(row.body) };
    const base = numOrNull(row.raw_base);
    const raw = inflateBatch(row.raw, base === null ? undefined : rawText(base));
    return { ...splitBatch(raw), raw };
  }

  /**
   * The summary of the fabric's batch before `id` (this user's only): from memory when the
   * remembered one was made from that very batch id, else read and parsed again. A batch rolled
   * back after it was remembered cannot mislead: a later batch of the fabric that reuses its id
   * looks up the batch before itself, and replaces the remembered one once stored.
   */
  function previousSummary(ucID: string, connectionID: string, id: number): StatsSummary | undefined {
    const previous = one(
      `SELECT id FROM stats_batches WHERE uc_id = ? AND connection_id = ? AND kind = 'stats' AND id < ? ORDER BY id DESC LIMIT 1`,
      ucID,
      connectionID,
      id,
    );
    if (!previous) return undefined;
    const remembered = summaries.get(`${ucID}\n${connectionID}`);
    if (remembered?.batchID === num(previous.id)) return remembered.summary;
    const row = one('SELECT stats, body, raw, raw_base FROM stats_batches WHERE id = ?', num(previous.id))!;
    return summarizeStats(batchContent(row).stats);
  }

  let closed = false;

  return {
    async joinUser(input: JoinUserInput): Promise<JoinUserResult> {
      return group.write(() => {
        const conference = one('SELECT app_id FROM conferences WHERE app_id = ? AND conference_id = ?', input.appID, input.conferenceID);
        if (!conference) {
          run(
            'INSERT INTO conferences (app_id, conference_id, first_seen, last_seen) VALUES (?, ?, ?, ?)',
            input.appID,
            input.conferenceID,
            input.timestamp,
            input.timestamp,
          );
        } else {
          touchConference(input.appID, input.conferenceID, input.timestamp);
        }
        let row = one('SELECT * FROM users WHERE app_id = ? AND conference_id = ? AND user_id = ?', input.appID, input.conferenceID, input.userID);
        const created = !row;
        if (!row) {
          const ucID = newUcID();
          run(
            'INSERT INTO users (uc_id, app_id, conference_id, user_id, device_id, endpoint_info, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            ucID,
            input.appID,
            input.conferenceID,
            input.userID,
            input.deviceID,
            JSON.stringify(input.endpointInfo ?? null),
            input.timestamp,
          );
          row = one('SELECT * FROM users WHERE uc_id = ?', ucID)!;
        }
        const user = toUser(row);
        insertEvent({
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

    async findUser(conferenceID: string, ucID: string): Promise<UserRecord | undefined> {
      const row = one('SELECT * FROM users WHERE conference_id = ? AND uc_id = ?', conferenceID, ucID);
      return row ? toUser(row) : undefined;
    },

    async addEvent(input: EventInput): Promise<number> {
      return group.write(() => {
        const id = insertEvent(input);
        touchConference(input.appID, input.conferenceID, input.timestamp);
        if (input.connectionID !== null) {
          applyFabricChange(touchFabric({ ...input, connectionID: input.connectionID }), input);
        }
        return id;
      });
    },

    async addStats(input: SummarizedStatsInput): Promise<number> {
      return group.write(() => {
        touchConference(input.appID, input.conferenceID, input.timestamp);
        const fabric = input.connectionID === null ? undefined : touchFabric({ ...input, connectionID: input.connectionID });
        const id = insertBatch(input, fabric);
        if (input.connectionID === null || input.kind !== 'stats') return id;
        const current = input.summary ?? summarizeStats(input.stats);
        if (current.packetsSent > 0) {
          run(
            `UPDATE fabrics SET sending_batches = sending_batches + 1, report_batches = report_batches + ? WHERE uc_id = ? AND connection_id = ?`,
            current.receiverReports > 0 ? 1 : 0,
            input.ucID,
            input.connectionID,
          );
        }
        const point = deriveSeriesPoint({
          batchID: id,
          timestamp: input.timestamp,
          current,
          previous: previousSummary(input.ucID, input.connectionID, id),
          baselineTimestamp: numOrNull(fabric!.setup_at),
        });
        summaries.remember(`${input.ucID}\n${input.connectionID}`, { batchID: id, summary: current });
        if (point) {
          run(
            `INSERT INTO series (batch_id, app_id, conference_id, uc_id, connection_id, timestamp, bitrate_in_bps, bitrate_out_bps, packets_lost, jitter_ms, rtt_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          );
        }
        return id;
      });
    },

    async addLog(input: LogInput): Promise<number> {
      return group.write(() => {
        const data = JSON.stringify(input.data ?? null);
        const id = run(
          'INSERT INTO logs (app_id, user_id, version, event_type, data, received_at) VALUES (?, ?, ?, ?, ?, ?)',
          input.appID,
          input.userID,
          input.version,
          input.eventType,
          data,
          input.receivedAt,
        );
        logBytes += data.length + ROW_OVERHEAD;
        trimLogs();
        return id;
      });
    },

    async listConferences(options: ConferencePage = {}): Promise<ConferenceSummary[]> {
      // The newest `limit` (older than `before` when given: keyset paging on first seen, then
      // creation order), returned oldest first as before.
      const before = options.before;
      return conferences(
        `WHERE c.rowid IN (SELECT rowid FROM conferences
           WHERE (? IS NULL OR (first_seen, rowid) < (SELECT first_seen, rowid FROM conferences WHERE app_id = ? AND conference_id = ?))
           ORDER BY first_seen DESC, rowid DESC LIMIT ?)`,
        'ORDER BY c.first_seen, c.rowid',
        before ? 1 : null,
        before?.appID ?? null,
        before?.conferenceID ?? null,
        limitOf(options.limit),
      );
    },

    async getConference(conferenceID: string, appID?: string): Promise<ConferenceSummary | undefined> {
      return conferences(
        'WHERE c.conference_id = ? AND (? IS NULL OR c.app_id = ?)',
        'ORDER BY c.first_seen, c.rowid LIMIT 1',
        conferenceID,
        ...appFilter(appID),
      )[0];
    },

    async listFabrics(conferenceID: string, appID?: string): Promise<FabricRecord[]> {
      return all(
        `SELECT f.*, u.user_id FROM fabrics f JOIN users u USING (uc_id) WHERE f.conference_id = ? AND (? IS NULL OR f.app_id = ?) ORDER BY f.first_seen, f.rowid LIMIT ?`,
        conferenceID,
        ...appFilter(appID),
        MAX_LIMIT,
      ).map(toFabric);
    },

    async listEvents(query: EventQuery): Promise<EventRecord[]> {
      const where = ['conference_id = ?', 'id > ?', '(? IS NULL OR app_id = ?)'];
      const params: SQLInputValue[] = [query.conferenceID, query.afterID ?? 0, ...appFilter(query.appID)];
      if (query.connectionID !== undefined) {
        where.push('connection_id = ?');
        params.push(query.connectionID);
      }
      if (query.ucID !== undefined) {
        where.push('uc_id = ?');
        params.push(query.ucID);
      }
      if (query.eventType !== undefined) {
        where.push('event_type = ?');
        params.push(query.eventType);
      }
      return page(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, (r) => len(r.body), query, ...params).map(toEvent);
    },

    async listSeries(query: SeriesQuery): Promise<SeriesPoint[]> {
      return fabricRows('series', 'batch_id', () => 0, query).map(toPoint);
    },

    async listStatsBatches(query: SeriesQuery): Promise<StatsBatchRecord[]> {
      // A deflated batch counts as the text it inflates to (about ten times its size).
      const bytesOf = (r: Row): number => len(r.stats) + len(r.body) + (r.raw instanceof Uint8Array ? r.raw.length * 12 : 0);
      return fabricRows('stats_batches', 'id', bytesOf, query).map((row) => ({
        id: num(row.id),
        appID: text(row.app_id),
        conferenceID: text(row.conference_id),
        ucID: text(row.uc_id),
        connectionID: textOrNull(row.connection_id),
        kind: text(row.kind) as StatsBatchRecord['kind'],
        timestamp: num(row.timestamp),
        receivedAt: num(row.received_at),
        ...batchContent(row),
      }));
    },

    async listLogs(query: PageQuery = {}): Promise<LogRecord[]> {
      return page('SELECT * FROM logs WHERE id > ? ORDER BY id LIMIT ?', (r) => len(r.data), query, query.afterID ?? 0).map((row) => ({
        id: num(row.id),
        appID: textOrNull(row.app_id),
        userID: textOrNull(row.user_id),
        version: textOrNull(row.version),
        eventType: text(row.event_type),
        data: json(row.data),
        receivedAt: num(row.received_at),
      }));
    },

    async purge(receivedBefore: number): Promise<{ deleted: number }> {
      const deleted = transaction(() => {
        let count = 0;
        const del = (sql: string): void => {
          count += Number(prepare(sql).run(receivedBefore).changes);
        };
        // A batch that is the dictionary of a kept batch stays with it (raw-batch.ts).
        const gone = 'received_at < ? AND id NOT IN (SELECT raw_base FROM stats_batches WHERE raw_base IS NOT NULL AND received_at >= ?)';
        count += Number(
          prepare(`DELETE FROM series WHERE batch_id IN (SELECT id FROM stats_batches WHERE ${gone})`).run(receivedBefore, receivedBefore).changes,
        );
        count += Number(prepare(`DELETE FROM stats_batches WHERE ${gone}`).run(receivedBefore, receivedBefore).changes);
        del('DELETE FROM events WHERE received_at < ?');
        del('DELETE FROM logs WHERE received_at < ?');
        // A conference goes (users and fabrics with it) once nothing of it is left.
        count += Number(
          prepare(
            `DELETE FROM conferences WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.app_id = conferences.app_id AND e.conference_id = conferences.conference_id)
             AND NOT EXISTS (SELECT 1 FROM stats_batches b WHERE b.app_id = conferences.app_id AND b.conference_id = conferences.conference_id)`,
          ).run().changes,
        );
        return count;
      });
      logBytes = num(one('SELECT COALESCE(SUM(LENGTH(data)), 0) + COUNT(*) * ? AS n FROM logs', ROW_OVERHEAD)?.n);
      reclaim();
      return { deleted };
    },

    async backup(path: string): Promise<void> {
      mkdirSync(dirname(path), { recursive: true });
      await sqliteBackup(db, path);
    },

    sizeBytes(): number {
      const pages = num(one('PRAGMA page_count')?.page_count) - num(one('PRAGMA freelist_count')?.freelist_count);
      return pages * pageSize;
    },

    liveFabrics(): number {
      return num(one("SELECT COUNT(*) AS n FROM fabrics WHERE state = 'setup'")?.n);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      group.flush();
      db.close();
    },
  };

  /**
   * Gives deleted pages back to the file system: incremental vacuum where the database was
   * made with it, else one VACUUM; then the WAL is truncated.
   */
  function reclaim(): void {
    const mode = num(one('PRAGMA auto_vacuum')?.auto_vacuum);
    if (mode === 2) db.exec('PRAGMA incremental_vacuum');
    else db.exec('VACUUM');
    if (file !== ':memory:') db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }
}
