import type { QueryResult, QueryResultRow } from 'pg';
import type { CollectorStorage, ConferenceSummary, PageQuery, SeriesQuery, StatsBatchRecord, UserSummary } from './storage.js';
import { json, len, limitOf, MAX_LIMIT, num, ROW_OVERHEAD, text, textOrNull, toEvent, toFabric, toPoint, toUser, type Row } from './storage-rows.js';

/** A pool or one of its clients: reads run on the pool, writes on their group's client. */
export interface Queryable {
  query<R extends QueryResultRow = Row>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

type Reads = Pick<
  CollectorStorage,
  'findUser' | 'listConferences' | 'getConference' | 'listFabrics' | 'listEvents' | 'listSeries' | 'listStatsBatches' | 'listLogs'
>;

// The same limits and byte accounting as sqlite-storage.ts (storage-rows.ts), so a page ends at the same row.
/** Rows fetched per round trip of a page: a page of 10,000 large rows is never held twice. */
const CHUNK = 500;

/** The read half of the PostgreSQL storage: every list answers as sqlite-storage.ts's does. */
export function readRows(
  db: Queryable,
  batchContent: (db: Queryable, row: Row) => Promise<{ stats: unknown[]; body: unknown; raw?: string }>,
): Reads {
  /**
   * Rows of `from` (a FROM and WHERE with `params` as $1…) in `idColumn` order after
   * `query.afterID`, until `limit` rows or `maxBytes` of their text (at least one row). Fetched
   * by chunks on the id, as SQLite's iterator reads row by row: a budget stops the reading.
   */
  async function page(from: string, idColumn: string, params: unknown[], query: PageQuery, bytesOf: (row: Row) => number): Promise<Row[]> {
    const limit = limitOf(query.limit);
    const budget = query.maxBytes ?? Number.POSITIVE_INFINITY;
    const rows: Row[] = [];
    let bytes = 0;
    let after = query.afterID ?? 0;
    // Bounded: every pass but the last adds a whole chunk of rows, and a page holds at most MAX_LIMIT.
    for (let pass = 0; pass <= MAX_LIMIT && rows.length < limit; pass++) {
      const want = Math.min(CHUNK, limit - rows.length);
      const n = params.length;
      const chunk = (
        await db.query<Row>(`SELECT * ${from} AND ${idColumn} > $${n + 1} ORDER BY ${idColumn} LIMIT $${n + 2}`, [...params, after, want])
      ).rows;
      for (const row of chunk) {
        bytes += bytesOf(row) + ROW_OVERHEAD;
        if (rows.length > 0 && bytes > budget) return rows;
        rows.push(row);
      }
      if (chunk.length < want) break;
      after = num(chunk.at(-1)![idColumn]);
    }
    return rows;
  }

  /** One fabric's rows of `table`, of the query's app and user when it names them. */
  function fabricRows(
    table: 'series' | 'stats_batches',
    idColumn: 'batch_id' | 'id',
    bytesOf: (row: Row) => number,
    query: SeriesQuery,
  ): Promise<Row[]> {
    return page(
      `FROM ${table} WHERE conference_id = $1 AND connection_id = $2 AND ($3::text IS NULL OR app_id = $3) AND ($4::text IS NULL OR uc_id = $4)`,
      idColumn,
      [query.conferenceID, query.connectionID, query.appID ?? null, query.ucID ?? null],
      query,
      bytesOf,
    );
  }

  async function usersOf(rows: Row[]): Promise<Map<string, UserSummary[]>> {
    const byConference = new Map<string, UserSummary[]>();
    if (rows.length === 0) return byConference;
    const users = await db.query<Row>(
      `SELECT * FROM users WHERE (app_id, conference_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY joined_at, seq`,
      [rows.map((r) => text(r.app_id)), rows.map((r) => text(r.conference_id))],
    );
    for (const row of users.rows) {
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

  async function conferences(where: string, order: string, params: unknown[]): Promise<ConferenceSummary[]> {
    const { rows } = await db.query<Row>(
      `SELECT c.*, (SELECT COUNT(*) FROM fabrics f WHERE f.app_id = c.app_id AND f.conference_id = c.conference_id) AS fabric_count
       FROM conferences c ${where} ${order}`,
      params,
    );
    const users = await usersOf(rows);
    return rows.map((row) => ({
      conferenceID: text(row.conference_id),
      appID: text(row.app_id),
      firstSeen: num(row.first_seen),
      lastSeen: num(row.last_seen),
      users: users.get(`${text(row.app_id)}\n${text(row.conference_id)}`) ?? [],
      fabricCount: num(row.fabric_count),
    }));
  }

  return {
    async findUser(conferenceID, ucID) {
      const row = (await db.query<Row>('SELECT * FROM users WHERE conference_id = $1 AND uc_id = $2', [conferenceID, ucID])).rows[0];
      return row ? toUser(row) : undefined;
    },

    listConferences(options = {}) {
      // The newest `limit` (older than `before` when given: keyset paging on first seen, then
      // creation order), returned oldest first, as SQLite does.
      const before = options.before;
      return conferences(
        `WHERE c.seq IN (SELECT seq FROM conferences
           WHERE ($1::text IS NULL OR (first_seen, seq) < (SELECT first_seen, seq FROM conferences WHERE app_id = $1 AND conference_id = $2))
           ORDER BY first_seen DESC, seq DESC LIMIT $3)`,
        'ORDER BY c.first_seen, c.seq',
        [before?.appID ?? null, before?.conferenceID ?? null, limitOf(options.limit)],
      );
    },

    async getConference(conferenceID, appID) {
      return (
        await conferences('WHERE c.conference_id = $1 AND ($2::text IS NULL OR c.app_id = $2)', 'ORDER BY c.first_seen, c.seq LIMIT 1', [
          conferenceID,
          appID ?? null,
        ])
      )[0];
    },

    async listFabrics(conferenceID, appID) {
      const { rows } = await db.query<Row>(
        `SELECT f.*, u.user_id FROM fabrics f JOIN users u USING (uc_id)
         WHERE f.conference_id = $1 AND ($2::text IS NULL OR f.app_id = $2) ORDER BY f.first_seen, f.seq LIMIT $3`,
        [conferenceID, appID ?? null, MAX_LIMIT],
      );
      return rows.map(toFabric);
    },

    async listEvents(query) {
      const where = ['conference_id = $1', '($2::text IS NULL OR app_id = $2)'];
      const params: unknown[] = [query.conferenceID, query.appID ?? null];
      for (const [column, value] of [
        ['connection_id', query.connectionID],
        ['uc_id', query.ucID],
        ['event_type', query.eventType],
      ] as const) {
        if (value === undefined) continue;
        params.push(value);
        where.push(`${column} = $${params.length}`);
      }
      return (await page(`FROM events WHERE ${where.join(' AND ')}`, 'id', params, query, (r) => len(r.body))).map(toEvent);
    },

    async listSeries(query) {
      return (await fabricRows('series', 'batch_id', () => 0, query)).map(toPoint);
    },

    async listStatsBatches(query) {
      // A deflated batch counts as the text it inflates to (about ten times its size), as in SQLite.
      const bytesOf = (r: Row): number => len(r.stats) + len(r.body) + (r.raw instanceof Uint8Array ? r.raw.length * 12 : 0);
      const rows = await fabricRows('stats_batches', 'id', bytesOf, query);
      const records: StatsBatchRecord[] = [];
      for (const row of rows) {
        records.push({
          id: num(row.id),
          appID: text(row.app_id),
          conferenceID: text(row.conference_id),
          ucID: text(row.uc_id),
          connectionID: textOrNull(row.connection_id),
          kind: text(row.kind) as StatsBatchRecord['kind'],
          timestamp: num(row.timestamp),
          receivedAt: num(row.received_at),
          ...(await batchContent(db, row)),
        });
      }
      return records;
    },

    async listLogs(query = {}) {
      return (await page('FROM logs WHERE TRUE', 'id', [], query, (r) => len(r.data))).map((row) => ({
        id: num(row.id),
        appID: textOrNull(row.app_id),
        userID: textOrNull(row.user_id),
        version: textOrNull(row.version),
        eventType: text(row.event_type),
        data: json(row.data),
        receivedAt: num(row.received_at),
      }));
    },
  };
}
