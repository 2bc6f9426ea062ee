import { HttpError, readBody, type Reply } from '../http.js';
import { authFormSchema, describeIssues } from '../schemas.js';
import { verifyAppJwt, type AccessClaims } from '../token.js';
import type { RouteContext } from './context.js';

/**
 * The error shape callstats.js acts on: action 2 ("report error") ends in
 * `csInitCallback("authError", errorReason)` instead of a retry loop.
 */
export function authErrorBody(reason: string): Record<string, unknown> {
  return { 'urn:x-callstats:auth:errorActions': [{ action: 2, params: { errorReason: reason } }] };
}

async function checkCode(ctx: RouteContext, code: string, userID: string, appID: string): Promise<void> {
  const { options } = ctx;
  if (options.acceptAnyToken) return;
  const app = options.apps.get(appID);
  let reason = `unknown appID ${appID}`;
  if (app?.secret !== undefined) {
    const verdict = verifyAppJwt(
      code,
      app.secret,
      {
        userID,
        appID,
        ...(app.keyId !== undefined ? { keyId: app.keyId } : {}),
        ...(app.requireExp === true ? { requireExp: true } : {}),
        ...(app.maxJwtLifetimeSeconds !== undefined ? { maxLifetimeSeconds: app.maxJwtLifetimeSeconds } : {}),
      },
      options.now(),
    );
    if (verdict.ok) return;
    reason = verdict.reason;
  }
  if (options.verifyToken) {
    let accepted: boolean;
    try {
      accepted = (await options.verifyToken(code, userID, appID)) === true;
    } catch {
      throw new HttpError(400, 'token verification failed');
    }
    if (accepted) return;
    reason = app?.secret !== undefined ? reason : 'token rejected';
  }
  throw new HttpError(400, reason);
}

/** `POST auth/authenticate`: form-encoded OAuth-like exchange of the app's JWT for a bearer token. */
export async function authenticate(ctx: RouteContext): Promise<Reply> {
  const { options } = ctx;
  try {
    const form = Object.fromEntries(new URLSearchParams(await readBody(ctx.req, options.maxBodyBytes)));
    const parsed = authFormSchema.safeParse(form);
    if (!parsed.success) throw new HttpError(400, `invalid request: ${describeIssues(parsed.error)}`);
    const clientId = parsed.data.client_id;
    const at = clientId.lastIndexOf('@');
    const userID = clientId.slice(0, at);
    const appID = clientId.slice(at + 1);
    if (!Number.isSafeInteger(Number(appID))) throw new HttpError(400, 'invalid request: appID out of range');
    await checkCode(ctx, parsed.data.code, userID, appID);
    const claims: AccessClaims = {
      appID: Number(appID),
      userID: encodeURIComponent(userID),
      expiry: new Date(options.now() + options.tokenTtlSeconds * 1000).toISOString(),
      ...(options.submissionInterval !== undefined ? { submissionInterval: options.submissionInterval } : {}),
      ...(options.collectSDP !== undefined ? { collectSDP: options.collectSDP } : {}),
      ...(options.ingestedEvents !== undefined ? { ingestedEvents: options.ingestedEvents } : {}),
    };
    // expires_in is required: without it the library re-authenticates in a tight loop.
    return { status: 200, body: { access_token: ctx.tokens.issue(claims), token_type: 'bearer', expires_in: options.tokenTtlSeconds } };
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: authErrorBody(error.message), headers: error.headers };
    throw error;
  }
}
