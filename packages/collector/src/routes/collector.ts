import { ok, readJson, SUCCESS, type Reply } from '../http.js';
import { genericsBodySchema } from '../schemas.js';
import type { RouteContext } from './context.js';

/** `GET collector/clockSync`: the library calls it five times and keeps its offset. */
export function clockSync(ctx: RouteContext): Reply {
  return ok({ now: ctx.options.now() });
}

/**
 * `POST collector/generics`: the library's own log lines. No auth (it sends them before it has
 * a token), so bounded four ways: `maxLogBodyBytes` per line, a rate per client address,
 * `maxLogStorageBytes` kept (the oldest lines go first), and `Content-Type: application/json`
 * only (callstats.js 3.73.16 sets it on its XHR): 415 for the types a web page may send
 * cross-origin without a CORS preflight, so a page the developer opens cannot post here unasked.
 */
export async function generics(ctx: RouteContext): Promise<Reply> {
  const body = await readJson(ctx.req, ctx.options.maxLogBodyBytes, genericsBodySchema, true);
  await ctx.storage.addLog({
    appID: body.appID === undefined || body.appID === null ? null : String(body.appID),
    userID: body.userID ?? null,
    version: body.version ?? null,
    eventType: body.eventType,
    data: body.data,
    receivedAt: ctx.options.now(),
  });
  return SUCCESS;
}
