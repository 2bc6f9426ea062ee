import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { accessClaimsSchema } from './schemas.js';
import { createBoundedCache } from './storage/bounded-cache.js';

export type Verdict<T = true> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function decodeJson(part: string, encoding: 'base64' | 'base64url'): unknown {
  try {
    return JSON.parse(Buffer.from(part, encoding).toString('utf8'));
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The signature part must be exactly the canonical unpadded base64url of the MAC: Node's
 * decoder skips characters outside the alphabet and ignores trailing bits, so comparing
 * decoded bytes would accept appended or altered characters. The text is compared instead.
 */
function canonicalSignature(sent: string, mac: Buffer): boolean {
  return sameBytes(Buffer.from(sent, 'utf8'), Buffer.from(mac.toString('base64url'), 'utf8'));
}

export interface AppJwtExpectation {
  userID: string;
  appID: string;
  /** When the app's secret is `keyId:secret`, the keyId it must carry. */
  keyId?: string;
  /**
   * Refuse a JWT without `exp`, or whose `exp` is more than `maxLifetimeSeconds` ahead.
   * callstats.js's own secret form never sets `exp` (the same code forever), so this is for apps
   * whose server makes the JWT (a token generator signing with the app secret).
   */
  requireExp?: boolean;
  /** With `requireExp`: the longest lifetime accepted (default 86400 s). */
  maxLifetimeSeconds?: number;
}

const DEFAULT_APP_JWT_MAX_LIFETIME_SECONDS = 86_400;

/**
 * Checks the HS256 JWT callstats.js makes from the app secret (`code` of authenticate):
 * base64url header and payload, HMAC-SHA256 keyed with the secret's bytes (the library
 * imports it as a JWK `oct` key from `btoa(secret)`, so latin1), compared in constant time.
 */
export function verifyAppJwt(code: string, secret: string, expected: AppJwtExpectation, nowMs: number): Verdict {
  const parts = code.split('.');
  if (parts.length !== 3) return fail('code is not a JWT');
  const [header, payload, signature] = parts as [string, string, string];
  const head = decodeJson(header, 'base64url');
  if (!isRecord(head) || head.alg !== 'HS256') return fail('JWT header must say alg HS256');
  const wanted = createHmac('sha256', Buffer.from(secret, 'latin1')).update(`${header}.${payload}`).digest();
  if (!canonicalSignature(signature, wanted)) return fail('JWT signature does not match the app secret');
  const claims = decodeJson(payload, 'base64url');
  if (!isRecord(claims)) return fail('JWT payload is not a JSON object');
  if (String(claims.appID) !== expected.appID) return fail('JWT appID does not match client_id');
  if (claims.userID !== expected.userID) return fail('JWT userID does not match client_id');
  if (expected.keyId !== undefined && !keyIdMatches(claims.keyId, expected.keyId)) return fail('JWT keyId does not match the app key');
  if (claims.exp !== undefined && (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))) return fail('JWT exp must be a number');
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs) return fail('JWT has expired');
  if (expected.requireExp) {
    if (typeof claims.exp !== 'number') return fail('JWT has no exp: this app requires one');
    const maxLifetime = expected.maxLifetimeSeconds ?? DEFAULT_APP_JWT_MAX_LIFETIME_SECONDS;
    if (claims.exp * 1000 > nowMs + maxLifetime * 1000) return fail(`JWT exp is more than ${maxLifetime} s ahead`);
  }
  return { ok: true, value: true };
}

/**
 * callstats.js sends the keyId of `keyId:secret` as the hex of its base64 decoding
 * (`strtohex`); a hand-made token may carry it as written. Both are accepted.
 */
function keyIdMatches(sent: unknown, keyId: string): boolean {
  if (typeof sent !== 'string') return false;
  return sent === keyId || sent.toLowerCase() === Buffer.from(keyId, 'base64').toString('hex');
}

/** What callstats.js reads from the access token (`JwtToken.setupTokenPayload`). */
export interface AccessClaims {
  /** A number: the library compares it with `===` to its own appID. */
  appID: number;
  /** URL-encoded: the library compares it to `encodeURIComponent(localUserID)`. */
  userID: string;
  /** ISO time; the library re-authenticates at 90% of `expires_in`. */
  expiry: string;
  submissionInterval?: number;
  collectSDP?: boolean;
  ingestedEvents?: string[];
}

export interface TokenIssuer {
  issue(claims: AccessClaims): string;
  /** Checks signature and expiry; `expired` tells the two failures apart. */
  verify(token: string, nowMs: number): Verdict<AccessClaims> & { expired?: boolean };
}

/** Tokens remembered as verified: one per client (user) seen lately, a few MB at most. */
const VERIFIED_TOKENS = 16_384;

const ACCESS_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * The collector's own bearer tokens. The middle part is standard base64 (the library decodes
 * it with `atob`); the signature is an HMAC with a key only this server holds, so a token
 * cannot be made or altered by a client. A new key per process unless one is given.
 */
export function createTokenIssuer(key: Uint8Array = randomBytes(32)): TokenIssuer {
  // A KeyObject made once: from raw bytes, every HMAC would import the key again (19 µs against
  // 4 µs, on every request with a bearer token).
  const keyObject = createSecretKey(key);
  const sign = (data: string): Buffer => createHmac('sha256', keyObject).update(data).digest();
  // Every stats batch and event carries its client's token, the same one for up to an hour: the
  // HMAC, the base64 and the schema check of it were 37 µs of the event loop per request
  // (profiled at 1,000 batches/s). A token whose signature was checked is remembered with its
  // claims, keyed by its exact text; its expiry is still checked on every use.
  const verified = createBoundedCache<AccessClaims>(VERIFIED_TOKENS);
  return {
    issue(claims) {
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64');
      return `${ACCESS_HEADER}.${payload}.${sign(`${ACCESS_HEADER}.${payload}`).toString('base64url')}`;
    },
    verify(token, nowMs) {
      let claims = verified.get(token);
      if (claims === undefined) {
        const parts = token.split('.');
        if (parts.length !== 3) return fail('bearer token is malformed');
        const [header, payload, signature] = parts as [string, string, string];
        if (!canonicalSignature(signature, sign(`${header}.${payload}`))) return fail('bearer token was not issued by this collector');
        const parsed = accessClaimsSchema.safeParse(decodeJson(payload, 'base64'));
        if (!parsed.success) return fail('bearer token payload is malformed');
        claims = parsed.data;
        verified.remember(token, claims);
      }
      const expiry = Date.parse(claims.expiry);
      if (!(expiry > nowMs)) return { ...fail('bearer token has expired'), expired: true };
      return { ok: true, value: claims };
    },
  };
}
