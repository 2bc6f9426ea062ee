import { HttpError, ok, type Reply } from './http.js';
import type { RouteContext } from './routes/context.js';
import { summarizeConference, type FabricData } from './fabric-summary.js';
import type { ConferenceList, ConferenceSummaryAnswer, FabricList, ListPage, ListRows } from './query-api-types.js';
import type { CollectorStorage, ConferenceSummary, FabricRecord, SeriesPoint } from './storage/storage.js';

/**
 * Read-only JSON over what was collected, for the dashboard and the operator: it needs the
 * operator credential (unless the collector runs in loopback development mode), every list
 * wrapped in an object so fields can be added. Lists are in arrival order and take
 * `?after=<id>&limit=<n>`, so a page can poll for what is new; conference routes take
 * `?appID=` and fabric routes `?ucID=`.
 */
export const QUERY_ROUTES: readonly string[] = [
  'GET /api/conferences?limit=&before=&beforeAppID=',
  'GET /api/conferences/{conferenceID}?appID=',
  'GET /api/conferences/{conferenceID}/fabrics',
  'GET /api/conferences/{conferenceID}/summary?appID=',
  'GET /api/conferences/{conferenceID}/fabrics/{connectionID}?ucID=',
  'GET /api/conferences/{conferenceID}/fabrics/{connectionID}/events?after=&limit=',
  'GET /api/conferences/{conferenceID}/fabrics/{connectionID}/stats?after=&limit=',
  'GET /api/conferences/{conferenceID}/fabrics/{connectionID}/batches?after=&limit=&raw=1',
  'GET /api/conferences/{conferenceID}/events?type=&connectionID=&ucID=&after=&limit=',
  'GET /api/logs?after=&limit=',
];

function integerParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new HttpError(400, `query parameter ${name} must be a non-negative integer`);
  return Number(raw);
}

function textParam(url: URL, name: string): string | undefined {
  const raw = url.searchParams.get(name);
  return raw === null || raw === '' ? undefined : raw;
}

async function conferenceOr404(ctx: RouteContext, conferenceID: string, appID: string | undefined): Promise<ConferenceSummary> {
  const conference = await ctx.storage.getConference(conferenceID, appID);
  if (!conference) throw new HttpError(404, `unknown conference ${conferenceID}`);
  return conference;
}

/** Every series point of a fabric, page by page (a storage bounds each read). */
async function allSeries(
  storage: CollectorStorage,
  of: { conferenceID: string; appID: string; connectionID: string; ucID: string },
): Promise<SeriesPoint[]> {
  const points: SeriesPoint[] = [];
  for (let afterID = 0; ;) {
    const page = await storage.listSeries({ ...of, afterID, limit: 1000 });
    points.push(...page);
    const last = page.at(-1);
    if (last === undefined) return points;
    afterID = last.batchID;
  }
}

/** What the summary of each fabric is made of: its record, its series, and whether callstats.js mapped media SSRCs on it. */
async function fabricData(storage: CollectorStorage, appID: string, fabric: FabricRecord): Promise<FabricData> {
  const of = { conferenceID: fabric.conferenceID, appID, connectionID: fabric.connectionID, ucID: fabric.ucID };
  const [series, ssrcMaps] = await Promise.all([allSeries(storage, of), storage.listEvents({ ...of, eventType: 'ssrcMap', limit: 1 })]);
  return { fabric, series, media: ssrcMaps.length > 0 };
}

/** `segments` are the decoded path parts after `api`. */
export async function queryApi(ctx: RouteContext, segments: string[]): Promise<Reply> {
  if (ctx.req.method !== 'GET') throw new HttpError(405, 'the query API is read-only: use GET', {}, { allow: 'GET, OPTIONS' });
  const { storage, url } = ctx;
  const maxBytes = ctx.options.maxReadBytes;
  const page = { afterID: integerParam(url, 'after'), limit: integerParam(url, 'limit'), maxBytes };
  // Conferences are per app: `?appID=` picks one when two apps use the same conference ID.
  const appID = textParam(url, 'appID');
  /**
   * A list answer is bounded by rows and bytes (`maxReadBytes`): `more: true` (present only
   * then) says rows are left after the last one (ask again with `?after=<its id>`).
   */
  const list = async <K extends keyof ListRows>(
    key: K,
    read: (q: typeof page) => Promise<ListRows[K][]>,
    idOf: (row: ListRows[K]) => number,
  ): Promise<Reply> => {
    const rows = await read(page);
    const last = rows.at(-1);
    const more = last !== undefined && (await read({ afterID: idOf(last), limit: 1, maxBytes: 1 })).length > 0;
    const answer = { [key]: rows } as ListPage<K>;
    if (more) answer.more = true;
    return ok(answer);
  };
  const [resource, conferenceID, sub, connectionID, leaf, ...rest] = segments;
  if (resource === undefined) return ok({ routes: QUERY_ROUTES });
  if (resource === 'logs' && conferenceID === undefined)
    return list(
      'logs',
      (q) => storage.listLogs(q),
      (l) => l.id,
    );
  if (resource !== 'conferences' || rest.length > 0) throw new HttpError(404, `no such query route: ${url.pathname}`);
  if (conferenceID === undefined) {
    // Newest first by pages: `?before=<conferenceID>&beforeAppID=<appID>` of a page's oldest (its
    // first row) gives the next older page; `more: true` says there is one.
    const beforeID = textParam(url, 'before');
    const before = beforeID === undefined ? undefined : await storage.getConference(beforeID, textParam(url, 'beforeAppID'));
    if (beforeID !== undefined && !before) throw new HttpError(400, `before: unknown conference ${beforeID}`);
    const conferences = await storage.listConferences({ limit: page.limit ?? 1000, ...(before ? { before } : {}) });
    const oldest = conferences[0];
    const more = oldest !== undefined && (await storage.listConferences({ limit: 1, before: oldest })).length > 0;
    return ok({ conferences, ...(more ? { more: true as const } : {}) } satisfies ConferenceList);
  }
  const conference = await conferenceOr404(ctx, conferenceID, appID);
  const scope = { conferenceID, appID: conference.appID };
  if (sub === undefined) return ok({ conference });
  if (sub === 'events' && connectionID === undefined) {
    const eventType = textParam(url, 'type');
    const byConnection = textParam(url, 'connectionID');
    const ucID = textParam(url, 'ucID');
    return list(
      'events',
      (q) =>
        storage.listEvents({
          ...scope,
          ...q,
          ...(eventType !== undefined ? { eventType } : {}),
          ...(byConnection !== undefined ? { connectionID: byConnection } : {}),
          ...(ucID !== undefined ? { ucID } : {}),
        }),
      (e) => e.id,
    );
  }
  if (sub === 'summary' && connectionID === undefined) {
    const fabrics = await storage.listFabrics(conferenceID, conference.appID);
    const data = await Promise.all(fabrics.map((f) => fabricData(storage, conference.appID, f)));
    return ok({ summary: summarizeConference(conference, data) } satisfies ConferenceSummaryAnswer);
  }
  if (sub !== 'fabrics') throw new HttpError(404, `no such query route: ${url.pathname}`);
  const fabrics = await storage.listFabrics(conferenceID, conference.appID);
  if (connectionID === undefined) return ok({ fabrics } satisfies FabricList);
  // A fabric is its user's: `?ucID=` picks one when two users reported the same connection ID
  // (else the first reported), and its events, stats and batches are that user's only.
  const ucID = textParam(url, 'ucID');
  const fabric = fabrics.find((f) => f.connectionID === connectionID && (ucID === undefined || f.ucID === ucID));
  if (!fabric) throw new HttpError(404, `unknown fabric ${connectionID} in conference ${conferenceID}`);
  const of = { ...scope, connectionID, ucID: fabric.ucID };
  if (leaf === undefined) return ok({ fabric });
  if (leaf === 'events')
    return list(
      'events',
      (q) => storage.listEvents({ ...of, ...q }),
      (e) => e.id,
    );
  if (leaf === 'stats')
    return list(
      'series',
      (q) => storage.listSeries({ ...of, ...q }),
      (p) => p.batchID,
    );
  if (leaf === 'batches') {
    // `raw`, the exact text callstats.js sent, only when asked for: it doubles the answer.
    const withRaw = url.searchParams.get('raw') === '1';
    return list(
      'batches',
      async (q) =>
        (await storage.listStatsBatches({ ...of, ...q })).map(({ raw, ...batch }) => (withRaw && raw !== undefined ? { ...batch, raw } : batch)),
      (b) => b.id,
    );
  }
  throw new HttpError(404, `no such query route: ${url.pathname}`);
}
