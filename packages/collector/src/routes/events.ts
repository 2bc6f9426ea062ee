import { HttpError, ok, readJson, requireTimestamp, SUCCESS, type Reply } from '../http.js';
import { EVENT_SCHEMAS, userJoinedBodySchema } from '../schemas.js';
import type { UserRecord } from '../storage/storage.js';
import { requireBearer, type BearerIdentity } from './bearer.js';
import type { RouteContext } from './context.js';

/** `POST events/{appID}/conferences/{confID}`: userJoined. Its ucID unlocks every later event. */
export async function userJoined(ctx: RouteContext, appID: string, conferenceID: string): Promise<Reply> {
  const identity = requireBearer(ctx, appID);
  const body = await readJson(ctx.req, ctx.options.maxBodyBytes, userJoinedBodySchema);
  requireTimestamp(body.timestamp, ctx.options.now(), ctx.options.maxClockAheadMs);
  const result = await ctx.storage.joinUser({
    appID,
    conferenceID,
    userID: identity.userID,
    deviceID: body.deviceID ?? null,
    endpointInfo: body.endpointInfo ?? null,
    timestamp: body.timestamp,
    receivedAt: ctx.options.now(),
    body,
  });
  if (!result.ok) throw new HttpError(409, `conference ${conferenceID} belongs to app ${result.conflictingAppID}`);
  return ok({ status: 'success', ucID: result.user.ucID });
}

/** The ucID must come from userJoined, in this conference and app, for the token's user. */
export async function requireUser(ctx: RouteContext, identity: BearerIdentity, conferenceID: string, ucID: string): Promise<UserRecord> {
  const user = await ctx.storage.findUser(conferenceID, ucID);
  if (!user || user.appID !== identity.appID) throw new HttpError(404, `unknown ucID ${ucID} in conference ${conferenceID}: send userJoined first`);
  if (user.userID !== identity.userID) throw new HttpError(403, `ucID ${ucID} belongs to another user`);
  return user;
}

export function isEventSuffix(suffix: string): boolean {
  return Object.hasOwn(EVENT_SCHEMAS, suffix);
}

/** `POST events/{appID}/conferences/{confID}/{ucID}/events/<suffix>`. */
export async function conferenceEvent(ctx: RouteContext, appID: string, conferenceID: string, ucID: string, suffix: string): Promise<Reply> {
  const identity = requireBearer(ctx, appID);
  const schema = EVENT_SCHEMAS[suffix];
  if (!schema) throw new HttpError(404, `unknown event suffix ${suffix}`);
  const body = await readJson(ctx.req, ctx.options.maxBodyBytes, schema);
  requireTimestamp(body.timestamp, ctx.options.now(), ctx.options.maxClockAheadMs);
  await requireUser(ctx, identity, conferenceID, ucID);
  await ctx.storage.addEvent({
    appID,
    conferenceID,
    ucID,
    connectionID: body.connectionID ?? null,
    remoteID: body.remoteID ?? null,
    suffix,
    eventType: body.eventType,
    timestamp: body.timestamp,
    receivedAt: ctx.options.now(),
    body,
  });
  return SUCCESS;
}
