import { readJsonText, requireTimestamp, SUCCESS, type Reply } from '../http.js';
import { customStatsBodySchema, statsBodySchema } from '../schemas.js';
import { requireBearer } from './bearer.js';
import type { RouteContext } from './context.js';
import { requireUser } from './events.js';

/** `POST stats/{appID}/conferences/{confID}/{ucID}/stats` and `/customstats`. */
export async function statsBatch(
  ctx: RouteContext,
  appID: string,
  conferenceID: string,
  ucID: string,
  kind: 'stats' | 'customstats',
): Promise<Reply> {
  const identity = requireBearer(ctx, appID);
  const { value: body, text } =
    kind === 'stats'
      ? await readJsonText(ctx.req, ctx.options.maxBodyBytes, statsBodySchema)
      : await readJsonText(ctx.req, ctx.options.maxBodyBytes, customStatsBodySchema);
  requireTimestamp(body.timestamp, ctx.options.now(), ctx.options.maxClockAheadMs);
  await requireUser(ctx, identity, conferenceID, ucID);
  const { stats, ...rest } = body;
  await ctx.storage.addStats({
    appID,
    conferenceID,
    ucID,
    connectionID: body.connectionID ?? null,
    remoteID: body.remoteID ?? null,
    kind,
    timestamp: body.timestamp,
    receivedAt: ctx.options.now(),
    stats: Array.isArray(stats) ? stats : [stats],
    body: rest,
    raw: text,
  });
  return SUCCESS;
}
