import { HttpError, ok, type Reply } from './http.js';
import type { RouteContext } from './routes/context.js';
import type { ConferenceSummary } from './storage/storage.js';

/**
 * Read-only JSON over what was collected, for a dashboard that is a static page: no auth
 * (the collector listens on loopback), CORS like every route, every list wrapped in an object
 * so fields can be added. Lists are in arrival order and take `?after=<id>&limit=<n>`, so a
 * page can poll for what is new.
 */
export const QUERY_ROUTES: readonly string[] = [
  'GET /api/conferences',
  'GET /api/conferences/{conferenceID}',
  'GET /api/conferences/{conferenceID}/fabrics',
  'GET /api/conferences/{conferenceID}/fabrics/{connectionID}',
  'GET /api/conferences/{conferenceID}/fabrics/{connectionID}/events?after=&limit=',
  'GET /api/conferences/{conferenceID}/fabrics/{connectionID}/stats?after=&limit=',
  'GET /api/conferences/{conferenceID}/fabrics/{connectionID}/batches?after=&limit=',
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

async function conferenceOr404(ctx: RouteContext, conferenceID: string): Promise<ConferenceSummary> {
  const conference = await ctx.storage.getConference(conferenceID);
  if (!conference) throw new HttpError(404, `unknown conference ${conferenceID}`);
  return conference;
}

/** `segments` are the decoded path parts after `api`. */
export async function queryApi(ctx: RouteContext, segments: string[]): Promise<Reply> {
  if (ctx.req.method !== 'GET') throw new HttpError(405, 'the query API is read-only: use GET', {}, { allow: 'GET, OPTIONS' });
  const { storage, url } = ctx;
  const page = { afterID: integerParam(url, 'after'), limit: integerParam(url, 'limit') };
  const [resource, conferenceID, sub, connectionID, leaf, ...rest] = segments;
  if (resource === undefined) return ok({ routes: QUERY_ROUTES });
  if (resource === 'logs' && conferenceID === undefined) return ok({ logs: await storage.listLogs(page) });
  if (resource !== 'conferences' || rest.length > 0) throw new HttpError(404, `no such query route: ${url.pathname}`);
  if (conferenceID === undefined) return ok({ conferences: await storage.listConferences() });
  const conference = await conferenceOr404(ctx, conferenceID);
  if (sub === undefined) return ok({ conference });
  if (sub === 'events' && connectionID === undefined) {
    const eventType = textParam(url, 'type');
    const byConnection = textParam(url, 'connectionID');
    const ucID = textParam(url, 'ucID');
    return ok({
      events: await storage.listEvents({
        conferenceID,
        ...page,
        ...(eventType !== undefined ? { eventType } : {}),
        ...(byConnection !== undefined ? { connectionID: byConnection } : {}),
        ...(ucID !== undefined ? { ucID } : {}),
      }),
    });
  }
  if (sub !== 'fabrics') throw new HttpError(404, `no such query route: ${url.pathname}`);
  const fabrics = await storage.listFabrics(conferenceID);
  if (connectionID === undefined) return ok({ fabrics });
  const fabric = fabrics.find((f) => f.connectionID === connectionID);
  if (!fabric) throw new HttpError(404, `unknown fabric ${connectionID} in conference ${conferenceID}`);
  if (leaf === undefined) return ok({ fabric });
  if (leaf === 'events') return ok({ events: await storage.listEvents({ conferenceID, connectionID, ...page }) });
  if (leaf === 'stats') return ok({ series: await storage.listSeries({ conferenceID, connectionID, ...page }) });
  if (leaf === 'batches') return ok({ batches: await storage.listStatsBatches({ conferenceID, connectionID, ...page }) });
  throw new HttpError(404, `no such query route: ${url.pathname}`);
}
