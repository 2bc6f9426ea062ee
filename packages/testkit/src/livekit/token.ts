import { createHmac, randomBytes } from 'node:crypto';

/** The API key and secret the local LiveKit server signs its tokens with (HS256, as LiveKit does). */
const LIVEKIT_API_KEY = 'devkey';
const API_SECRET = 'local-livekit-test-server-secret';

/** A LiveKit-style id: `RM_`, `PA_`, `TR_` and 12 random characters. */
export function livekitSid(prefix: 'RM' | 'PA' | 'TR'): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An access token as `livekit-server-sdk` makes it: a JWT (HS256) whose `sub` is the identity
 * and whose `video` grant names the room. The SDK only passes it back to the server.
 */
export function createLiveKitToken(identity: string, room: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url({ alg: 'HS256', typ: 'JWT' });
  const payload = base64url({ iss: LIVEKIT_API_KEY, sub: identity, name: identity, nbf: now, exp: now + 3600, video: { room, roomJoin: true } });
  const signature = createHmac('sha256', API_SECRET).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The identity and room of a token this server signed; undefined when the signature or grant is wrong. */
export function verifyLiveKitToken(token: string | null): { identity: string; room: string } | undefined {
  const [header, payload, signature] = (token ?? '').split('.');
  if (!header || !payload || !signature) return undefined;
  if (createHmac('sha256', API_SECRET).update(`${header}.${payload}`).digest('base64url') !== signature) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; video?: { room?: unknown } };
    if (typeof claims.sub !== 'string' || typeof claims.video?.room !== 'string') return undefined;
    return { identity: claims.sub, room: claims.video.room };
  } catch {
    return undefined;
  }
}
