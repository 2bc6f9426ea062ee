/**
 * Access tokens for the local Twilio server. The SDK treats the token as an opaque string and
 * only sends it back in its `connect`/`sync` messages, so any string works; this one is shaped
 * like Twilio's (a JWT whose `grants` hold `identity` and a video `room`) so that code reading a
 * token finds what it expects. It is not signed: the local server trusts it.
 */
function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function createAccessToken(identity: string, room?: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'none', typ: 'JWT', cty: 'twilio-fpa;v=1' };
  const payload = {
    jti: `SKlocal-${now}`,
    iss: 'SKlocal',
    sub: 'AClocal',
    iat: now,
    exp: now + 3600,
    grants: { identity, video: room === undefined ? {} : { room } },
  };
  return `${base64url(header)}.${base64url(payload)}.local`;
}

/** The identity in a token made by `createAccessToken`, or undefined for anything else. */
export function identityOf(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      grants?: { identity?: unknown };
    };
    return typeof payload.grants?.identity === 'string' ? payload.grants.identity : undefined;
  } catch {
    return undefined;
  }
}
