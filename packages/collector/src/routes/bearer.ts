import { HttpError } from '../http.js';
import type { RouteContext } from './context.js';

export interface BearerIdentity {
  appID: string;
  /** Decoded (the token carries it URL-encoded). */
  userID: string;
}

/**
 * Every REST call (config, events, stats) needs a bearer token this collector issued, not
 * expired, for the URL's app. The library re-authenticates only when an answer's `msg` is
 * "Token has expired", so every token failure says that in `msg` (a restarted collector's
 * old tokens then heal themselves) while `message` tells the real reason.
 */
export function requireBearer(ctx: RouteContext, appID: string): BearerIdentity {
  const deny = (message: string): HttpError => new HttpError(401, message, { msg: 'Token has expired' }, { 'www-authenticate': 'Bearer' });
  const header = ctx.req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw deny('missing bearer token: authenticate first');
  const verdict = ctx.tokens.verify(match[1]!, ctx.options.now());
  if (!verdict.ok) throw deny(verdict.reason);
  if (String(verdict.value.appID) !== appID) throw deny(`bearer token is for app ${verdict.value.appID}, not ${appID}`);
  let userID: string;
  try {
    userID = decodeURIComponent(verdict.value.userID);
  } catch {
    throw deny('bearer token userID is malformed');
  }
  return { appID, userID };
}
