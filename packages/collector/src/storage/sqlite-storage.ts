import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue } from 'node:sqlite';
import { deriveSeriesPoint, summarizeStats } from '../derive-series.js';
import { fabricChangeFor, nextFabricState } from '../fabric-state.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './sqlite-schema.js';
import type {
  CollectorStorage,
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
}

type Row = Record<string, SQLOutputValue>;

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

const text = (v: SQLOutputValue | undefined): string => (typeof v === 'string' ? v : String(v ?? ''));
const textOrNull = (v: SQLOutputValue | undefined): string | null => (typeof v === 'string' ? v : null);
const numOrNull = (v: SQLOutputValue | undefined): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const num = (v: SQLOutputValue | undefined): number => numOrNull(v) ?? 0;
const json = (v: SQLOutputValue | undefined): unknown => (typeof v === 'string' ? JSON.parse(v) : null);
const limitOf = (limit: number | undefined): number => Math.min(Math.max(1, Math.floor(limit ?? DEFAULT_LIMIT)), MAX_LIMIT);

function toUser(row: Row): UserRecord {
  return {
    ucID: text(row.uc_id),
    appID: text(row.app_id),
    conferenceID: text(row.conference_id),
    userID: text(row.user_id),
    deviceID: textOrNull(row.device_id),
    endpointInfo: json(row.endpoint_info),
    joinedAt: num(row.joined_at),
  };
}

function toFabric(row: Row): FabricRecord {
  return {
    conferenceID: text(row.conference_id),
    connectionID: text(row.connection_id),
    ucID: text(row.uc_id),
    localID: text(row.user_id),
    remoteID: textOrNull(row.remote_id),
    state: text(row.state) as FabricState,
    firstSeen: num(row.first_seen),
    lastSeen: num(row.last_seen),
    setupAt: numOrNull(row.setup_at),
    setupDelayMs: numOrNull(row.setup_delay_ms),
    iceGatheringDelayMs: numOrNull(row.ice_gathering_delay_ms),
    iceConnectivityDelayMs: numOrNull(row.ice_connectivity_delay_ms),
    terminatedAt: numOrNull(row.terminated_at),
    failures: json(row.failures) as FabricFailure[],
  };
}

function toEvent(row: Row): EventRecord {
  return {
    id: num(row.id),
    conferenceID: text(row.conference_id),
    ucID: text(row.uc_id),
    connectionID: textOrNull(row.connection_id),
    eventType: text(row.event_type),
    suffix: text(row.suffix),
    timestamp: num(row.timestamp),
    receivedAt: num(row.received_at),
    body: json(row.body),
  };
}

function toPoint(row: Row): SeriesPoint {
  return {
    batchID: num(row.batch_id),
    timestamp: num(row.timestamp),
    bitrateInBps: numOrNull(row.bitrate_in_bps),
    bitrateOutBps: numOrNull(row.bitrate_out_bps),
    packetsLost: numOrNull(row.packets_lost),
    jitterMs: numOrNull(row.jitter_ms),
    rttMs: numOrNull(row.rtt_ms),
  };
}

/** A ucID travels in URLs: short, random, URL-safe. */
const newUcID = (): string => randomBytes(12).toString('base64url');

/**
 * The default storage: Node's built-in SQLite, synchronous, so a write is on disk (or in
 * memory) before the server answers. Each ingest is one transaction.
 */
export function createSqliteStorage(options: SqliteStorageOptions = {}): CollectorStorage {
  const file = options.file ?? ':memory:';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA foreign_keys = ON');
  if (file !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  const version = num((db.prepare('PRAGMA user_version').get() as Row | undefined)?.user_version);
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file} was written by a newer @shims/collector (schema ${version} > ${SCHEMA_VERSION})`);
  }
  db.exec(SCHEMA_SQL);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);

  const one = (sql: string, ...params: SQLInputValue[]): Row | undefined => db.prepare(sql).get(...params) as Row | undefined;
  const all = (sql: string, ...params: SQLInputValue[]): Row[] => db.prepare(sql).all(...params) as Row[];
  const run = (sql: string, ...params: SQLInputValue[]): number => Number(db.prepare(sql).run(...params).lastInsertRowid);

  function transaction<T>(work: () => T): T {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  function touchConference(conferenceID: string, timestamp: number): void {
    run('UPDATE conferences SET first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?) WHERE conference_id = ?', timestamp, timestamp, conferenceID);
  }

  /** Creates the fabric as pending on its first event, or moves its first/last seen. */
  function touchFabric(conferenceID: string, connectionID: string, ucID: string, remoteID: string | null, timestamp: number): Row {
    run(
      `INSERT INTO fabrics (conference_id, connection_id, uc_id, remote_id, state, first_seen, last_seen)
       VALUES (?, ?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (conference_id, connection_id) DO UPDATE SET
         remote_id = COALESCE(fabrics.remote_id, excluded.remote_id),
         first_seen = MIN(fabrics.first_seen, excluded.first_seen),
         last_seen = MAX(fabrics.last_seen, excluded.last_seen)`,
      conferenceID, connectionID, ucID, remoteID, timestamp, timestamp,
    );
    return one('SELECT * FROM fabrics WHERE conference_id = ? AND connection_id = ?', conferenceID, connectionID)!;
  }

  function applyFabricChange(fabric: Row, input: EventInput): void {
    const change = fabricChangeFor(input.suffix, input.body);
    if (!change.state) return;
    const state = nextFabricState(text(fabric.state) as FabricState, change.state);
    const failures = json(fabric.failures) as FabricFailure[];
    if (change.failure) failures.push({ timestamp: input.timestamp, ...change.failure });
    run(
      `UPDATE fabrics SET state = ?, failures = ?,
         setup_at = COALESCE(?, setup_at), setup_delay_ms = COALESCE(?, setup_delay_ms),
         ice_gathering_delay_ms = COALESCE(?, ice_gathering_delay_ms),
         ice_connectivity_delay_ms = COALESCE(?, ice_connectivity_delay_ms),
         terminated_at = COALESCE(terminated_at, ?)
       WHERE conference_id = ? AND connection_id = ?`,
      state, JSON.stringify(failures),
      change.setup ? input.timestamp : null, change.setup?.delayMs ?? null,
      change.setup?.iceGatheringDelayMs ?? null, change.setup?.iceConnectivityDelayMs ?? null,
      change.terminated ? input.timestamp : null,
      input.conferenceID, input.connectionID,
    );
  }

  function insertEvent(input: EventInput): number {
    return run(
      `INSERT INTO events (conference_id, uc_id, connection_id, event_type, suffix, timestamp, received_at, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      input.conferenceID, input.ucID, input.connectionID, input.eventType, input.suffix, input.timestamp, input.receivedAt, JSON.stringify(input.body),
    );
  }

  function usersOf(conferenceIDs: string[]): Map<string, UserSummary[]> {
    const byConference = new Map<string, UserSummary[]>();
    const rows = all(`SELECT * FROM users WHERE conference_id IN (SELECT value FROM json_each(?)) ORDER BY joined_at, rowid`, JSON.stringify(conferenceIDs));
    for (const row of rows) {
      const list = byConference.get(text(row.conference_id)) ?? [];
      list.push({ ucID: text(row.uc_id), userID: text(row.user_id), deviceID: textOrNull(row.device_id), endpointInfo: json(row.endpoint_info), joinedAt: num(row.joined_at) });
      byConference.set(text(row.conference_id), list);
    }
    return byConference;
  }

  function conferences(where: string, ...params: SQLInputValue[]): ConferenceSummary[] {
    const rows = all(
      `SELECT c.*, (SELECT COUNT(*) FROM fabrics f WHERE f.conference_id = c.conference_id) AS fabric_count
       FROM conferences c ${where} ORDER BY c.first_seen, c.rowid`,
      ...params,
    );
    const users = usersOf(rows.map((r) => text(r.conference_id)));
    return rows.map((row) => ({
      conferenceID: text(row.conference_id),
      appID: text(row.app_id),
      firstSeen: num(row.first_seen),
      lastSeen: num(row.last_seen),
      users: users.get(text(row.conference_id)) ?? [],
      fabricCount: num(row.fabric_count),
    }));
  }

  let closed = false;

  return {
    async joinUser(input: JoinUserInput): Promise<JoinUserResult> {
      return transaction(() => {
        const conference = one('SELECT app_id FROM conferences WHERE conference_id = ?', input.conferenceID);
        if (conference && text(conference.app_id) !== input.appID) return { ok: false, conflictingAppID: text(conference.app_id) };
        if (!conference) {
          run('INSERT INTO conferences (conference_id, app_id, first_seen, last_seen) VALUES (?, ?, ?, ?)', input.conferenceID, input.appID, input.timestamp, input.timestamp);
        } else {
          touchConference(input.conferenceID, input.timestamp);
        }
        let row = one('SELECT u.*, c.app_id FROM users u JOIN conferences c USING (conference_id) WHERE u.conference_id = ? AND u.user_id = ?', input.conferenceID, input.userID);
        const created = !row;
        if (!row) {
          const ucID = newUcID();
          run(
            'INSERT INTO users (uc_id, conference_id, user_id, device_id, endpoint_info, joined_at) VALUES (?, ?, ?, ?, ?, ?)',
            ucID, input.conferenceID, input.userID, input.deviceID, JSON.stringify(input.endpointInfo ?? null), input.timestamp,
          );
          row = one('SELECT u.*, c.app_id FROM users u JOIN conferences c USING (conference_id) WHERE u.uc_id = ?', ucID)!;
        }
        const user = toUser(row);
        insertEvent({
          conferenceID: input.conferenceID, ucID: user.ucID, connectionID: null, remoteID: null, suffix: '',
          eventType: typeof input.body.eventType === 'string' ? input.body.eventType : 'userJoined',
          timestamp: input.timestamp, receivedAt: input.receivedAt, body: input.body,
        });
        return { ok: true, user, created };
      });
    },

    async findUser(conferenceID: string, ucID: string): Promise<UserRecord | undefined> {
      const row = one('SELECT u.*, c.app_id FROM users u JOIN conferences c USING (conference_id) WHERE u.conference_id = ? AND u.uc_id = ?', conferenceID, ucID);
      return row ? toUser(row) : undefined;
    },

    async addEvent(input: EventInput): Promise<number> {
      return transaction(() => {
        const id = insertEvent(input);
        touchConference(input.conferenceID, input.timestamp);
        if (input.connectionID !== null) {
          applyFabricChange(touchFabric(input.conferenceID, input.connectionID, input.ucID, input.remoteID, input.timestamp), input);
        }
        return id;
      });
    },

    async addStats(input: StatsInput): Promise<number> {
      return transaction(() => {
        const id = run(
          `INSERT INTO stats_batches (conference_id, uc_id, connection_id, kind, timestamp, received_at, stats, body)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          input.conferenceID, input.ucID, input.connectionID, input.kind, input.timestamp, input.receivedAt, JSON.stringify(input.stats), JSON.stringify(input.body),
        );
        touchConference(input.conferenceID, input.timestamp);
        if (input.connectionID === null) return id;
        const fabric = touchFabric(input.conferenceID, input.connectionID, input.ucID, input.remoteID, input.timestamp);
        if (input.kind !== 'stats') return id;
        const previous = one(
          `SELECT stats FROM stats_batches WHERE conference_id = ? AND connection_id = ? AND kind = 'stats' AND id < ? ORDER BY id DESC LIMIT 1`,
          input.conferenceID, input.connectionID, id,
        );
        const point = deriveSeriesPoint({
          batchID: id,
          timestamp: input.timestamp,
          current: summarizeStats(input.stats),
          previous: previous ? summarizeStats(json(previous.stats) as unknown[]) : undefined,
          baselineTimestamp: numOrNull(fabric.setup_at),
        });
        if (point) {
          run(
            `INSERT INTO series (batch_id, conference_id, connection_id, timestamp, bitrate_in_bps, bitrate_out_bps, packets_lost, jitter_ms, rtt_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            id, input.conferenceID, input.connectionID, point.timestamp, point.bitrateInBps, point.bitrateOutBps, point.packetsLost, point.jitterMs, point.rttMs,
          );
        }
        return id;
      });
    },

    async addLog(input: LogInput): Promise<number> {
      return run(
        'INSERT INTO logs (app_id, user_id, version, event_type, data, received_at) VALUES (?, ?, ?, ?, ?, ?)',
        input.appID, input.userID, input.version, input.eventType, JSON.stringify(input.data ?? null), input.receivedAt,
      );
    },

    async listConferences(): Promise<ConferenceSummary[]> {
      return conferences('');
    },

    async getConference(conferenceID: string): Promise<ConferenceSummary | undefined> {
      return conferences('WHERE c.conference_id = ?', conferenceID)[0];
    },

    async listFabrics(conferenceID: string): Promise<FabricRecord[]> {
      return all(
        `SELECT f.*, u.user_id FROM fabrics f JOIN users u USING (uc_id) WHERE f.conference_id = ? ORDER BY f.first_seen, f.rowid`,
        conferenceID,
      ).map(toFabric);
    },

    async listEvents(query: EventQuery): Promise<EventRecord[]> {
      const where = ['conference_id = ?', 'id > ?'];
      const params: SQLInputValue[] = [query.conferenceID, query.afterID ?? 0];
      if (query.connectionID !== undefined) (where.push('connection_id = ?'), params.push(query.connectionID));
      if (query.ucID !== undefined) (where.push('uc_id = ?'), params.push(query.ucID));
      if (query.eventType !== undefined) (where.push('event_type = ?'), params.push(query.eventType));
      return all(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, ...params, limitOf(query.limit)).map(toEvent);
    },

    async listSeries(query: SeriesQuery): Promise<SeriesPoint[]> {
      return all(
        'SELECT * FROM series WHERE conference_id = ? AND connection_id = ? AND batch_id > ? ORDER BY batch_id LIMIT ?',
        query.conferenceID, query.connectionID, query.afterID ?? 0, limitOf(query.limit),
      ).map(toPoint);
    },

    async listStatsBatches(query: SeriesQuery): Promise<StatsBatchRecord[]> {
      return all(
        'SELECT * FROM stats_batches WHERE conference_id = ? AND connection_id = ? AND id > ? ORDER BY id LIMIT ?',
        query.conferenceID, query.connectionID, query.afterID ?? 0, limitOf(query.limit),
      ).map((row) => ({
        id: num(row.id),
        conferenceID: text(row.conference_id),
        ucID: text(row.uc_id),
        connectionID: textOrNull(row.connection_id),
        kind: text(row.kind) as StatsBatchRecord['kind'],
        timestamp: num(row.timestamp),
        receivedAt: num(row.received_at),
        stats: json(row.stats) as unknown[],
        body: json(row.body),
      }));
    },

    async listLogs(options: { afterID?: number; limit?: number } = {}): Promise<LogRecord[]> {
      return all('SELECT * FROM logs WHERE id > ? ORDER BY id LIMIT ?', options.afterID ?? 0, limitOf(options.limit)).map((row) => ({
        id: num(row.id),
        appID: textOrNull(row.app_id),
        userID: textOrNull(row.user_id),
        version: textOrNull(row.version),
        eventType: text(row.event_type),
        data: json(row.data),
        receivedAt: num(row.received_at),
      }));
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
