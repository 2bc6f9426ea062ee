import { ok, readJson, type Reply } from '../http.js';
import { configBodySchema } from '../schemas.js';
import { requireBearer } from './bearer.js';
import type { RouteContext } from './context.js';

/**
 * App settings: `GET config/{appID}/configurations[/internal]` and the sender config the
 * library posts. `{}` means "no overrides", which is all a local collector has to say.
 */
export async function appSettings(ctx: RouteContext, appID: string): Promise<Reply> {
  requireBearer(ctx, appID);
  if (ctx.req.method === 'POST') await readJson(ctx.req, ctx.options.maxBodyBytes, configBodySchema);
  return ok({});
}
