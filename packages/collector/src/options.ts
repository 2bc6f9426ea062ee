import { resolve } from 'node:path';
import type { CollectorStorage } from './storage/storage.js';

/** What the app passes as its secret to `callstats.initialize`, split as the library splits it. */
export interface AppCredentials {
  /** The HS256 key callstats.js signs its JWT with. */
  secret?: string;
  /** Set when the app's secret has the `keyId:secret` form: the JWT must carry it. */
  keyId?: string;
  /**
   * Refuse a JWT without `exp` (or with one more than `maxJwtLifetimeSeconds` ahead). Off by
   * default: callstats.js's own secret form never sets `exp`; turn it on when the app's server
   * signs the JWT (token generator) and puts an `exp` in.
   */
  requireExp?: boolean;
  /** With `requireExp`: the longest JWT lifetime accepted. Default 86400. */
  maxJwtLifetimeSeconds?: number;
}

/**
 * Token-generator mode: callstats.js sends the app's own token as `code`. Return true to
 * accept it for that user and app.
 */
export type VerifyToken = (code: string, userID: string, appID: string) => boolean | Promise<boolean>;

export interface CollectorLogger {
  error(message: string, error?: unknown): void;
  /** Start-up notes, shedding episodes, shutdown. Optional: when missing they go nowhere. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** One line per request (sampled under load), when given. */
  access?(fields: Record<string, unknown>): void;
}

export interface CollectorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the collector has no TLS and trusts its network. */
  host?: string;
  /** Apps that authenticate with a secret, by appID. */
  apps?: Record<string, AppCredentials>;
  verifyToken?: VerifyToken;
  /** Development only: accept any non-empty `code` for any numeric appID. */
  acceptAnyToken?: boolean;
  /** Put in the access token: how often (ms) the library sends stats batches. */
  submissionInterval?: number;
  /**
   * Put in the access token: whether the library sends SDP (it carries IP addresses: off unless
   * set). True also lists `sdpSubmissionEvent` in `ingestedEvents`, without which the library
   * drops its SDP events.
   */
  collectSDP?: boolean;
  /**
   * Put in the access token: events the library drops unless listed, e.g. `sdpSubmissionEvent`,
   * `connectedDeviceList`, `activeDeviceList`, `applicationErrorLog`, `userFeedback`, `dominantSpeaker`.
   */
  ingestedEvents?: string[];
  /** Larger bodies get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Larger `collector/generics` bodies (the library's log lines, no auth) get 413. Default 64 KiB (or `maxBodyBytes` if smaller). */
  maxLogBodyBytes?: number;
  /**
   * The routes without auth (`collector/generics`, `collector/clockSync`, `auth/authenticate`):
   * requests per second per client address (token bucket, `unauthenticatedBurst` deep); more get
   * 429 with `Retry-After`. Default 50 per second, burst 200.
   */
  unauthenticatedRatePerSecond?: number;
  unauthenticatedBurst?: number;
  /**
   * Bytes of library log lines kept (what `generics` stores, no auth): past it the oldest lines
   * are deleted, so a flood can neither fill the disk nor touch authenticated data. Default 16 MiB.
   */
  maxLogStorageBytes?: number;
  /**
   * Size cap of the database (SQLite `max_page_count`): past it every write gets 507 and
   * nothing is stored. Default: none (the disk is the limit; a full disk also answers 507).
   */
  maxStorageBytes?: number;
  /** A list answer of the query API stops after this many bytes of rows (continue with `?after=`). Default 8 MiB. */
  maxReadBytes?: number;
  /** How far ahead of the collector's clock a body's `timestamp` may be (ms). Default 15 minutes. */
  maxClockAheadMs?: number;
  /**
   * The credential for the query API, the dashboard and `/metrics`: `Authorization: Bearer
   * <token>`, or the cookie `/login` sets. Without it (and without `openReads`) a loopback
   * collector runs in development mode (reads open to this machine only), and any other host
   * refuses to start.
   */
  operatorToken?: string;
  /**
   * Development: serve reads without a credential. Only on a loopback host; the collector says
   * so at start-up. Default: true on loopback when no `operatorToken` is given.
   */
  openReads?: boolean;
  /**
   * Host names (no port) the collector answers to, besides `localhost`, IP literals and the
   * `host` it listens on: any other `Host` header gets 421 (defeats DNS rebinding). Checked
   * when listening on loopback or when this list is given.
   */
  allowedHosts?: string[];
  /** Origins allowed to read the query API cross-origin (CORS). Default none. */
  readCorsOrigins?: string[];
  /**
   * Behind a reverse proxy: take the client address for rate limits and access lines from the
   * last `X-Forwarded-For` entry (the one the proxy added). Default false (the socket's address).
   */
  trustProxy?: boolean;
  /** Requests being handled at once; past it 503 with `Retry-After`. Default 512. */
  maxInFlight?: number;
  /**
   * How long (ms) a request may have waited for the event loop, busy with the requests before
   * it, before it is answered 503 with `Retry-After` instead of being served: what bounds the
   * latency of accepted requests under overload. Measured per event-loop turn with the `now`
   * clock; the first 8 requests of a turn are always served (a few slow requests are no queue).
   * Default 100.
   */
  maxQueueDelayMs?: number;
  /**
   * Event-loop delay (ms, mean over the last second) past which new requests get 503: a
   * sustained backlog, not one pause (a single GC stall barely moves the mean). Default 300.
   */
  maxEventLoopDelayMs?: number;
  /** Open connections at most (`server.maxConnections`). Default 2048. */
  maxConnections?: number;
  /** Time to receive a request's headers (`server.headersTimeout`, ms). Default 10000. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request (`server.requestTimeout`, ms). Default 30000. */
  requestTimeoutMs?: number;
  /** `close()` waits this long (ms) for requests in flight before dropping connections. Default 10000. */
  shutdownGraceMs?: number;
  /** Delete what is older than this (ms, by arrival) once an hour, and reclaim the space. Default: keep all. */
  retainMs?: number;
  /** Access log lines: all below this many requests per second, then 1 in 100. Default 20. */
  accessLogPerSecond?: number;
  /** Where to keep what is collected. Default: SQLite in memory, or in `dataDir`. */
  storage?: CollectorStorage;
  /** A directory for `collector.sqlite` (created if missing), when no `storage` is given. */
  dataDir?: string;
  /**
   * A PostgreSQL URL (`postgres://user:password@host:5432/db`), when no `storage` is given: keep
   * what is collected there instead of SQLite (it wins over `dataDir`). Several collectors may
   * share one database. Its tables are created or migrated at start.
   */
  database?: string;
  /** Lifetime of an access token. Default 3600. */
  tokenTtlSeconds?: number;
  /** HMAC key of the access tokens. Default: random per process (tokens die with it). */
  tokenKey?: Uint8Array | string;
  /** The clock (epoch ms): clock sync answers, token expiry, and the queue delay and episodes of load shedding. Default Date.now. */
  now?: () => number;
  /** Where unexpected server errors go. Default console. */
  logger?: CollectorLogger;
  /**
   * A folder to serve read-only under `/integrations/`: the integrations page that
   * `pnpm integrations` builds into `site/dist`. Default: none (404).
   */
  integrationsDir?: string;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  apps: ReadonlyMap<string, AppCredentials>;
  verifyToken: VerifyToken | undefined;
  acceptAnyToken: boolean;
  submissionInterval: number | undefined;
  collectSDP: boolean | undefined;
  ingestedEvents: string[] | undefined;
  maxBodyBytes: number;
  maxLogBodyBytes: number;
  unauthenticatedRatePerSecond: number;
  unauthenticatedBurst: number;
  maxLogStorageBytes: number;
  maxStorageBytes: number | undefined;
  maxReadBytes: number;
  maxClockAheadMs: number;
  operatorToken: string | undefined;
  openReads: boolean;
  allowedHosts: ReadonlySet<string>;
  checkHost: boolean;
  readCorsOrigins: ReadonlySet<string>;
  trustProxy: boolean;
  maxInFlight: number;
  maxQueueDelayMs: number;
  maxEventLoopDelayMs: number;
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  shutdownGraceMs: number;
  retainMs: number | undefined;
  accessLogPerSecond: number;
  tokenTtlSeconds: number;
  now: () => number;
  logger: CollectorLogger;
  /** Absolute, or undefined when the collector serves no integrations page. */
  integrationsDir: string | undefined;
}

export const DEFAULT_MAX_BODY_BYTES: number = 1024 * 1024;
export const DEFAULT_TOKEN_TTL_SECONDS: number = 3600;
/** See `maxQueueDelayMs`; chosen with `bench/overload.mjs` (README, "Running it for real"). */
const DEFAULT_MAX_QUEUE_DELAY_MS: number = 100;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether `host` (an address to listen on, or a Host header's name) is this machine only. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `keyId:secret` as callstats.js reads it (`split(":")`: keyId before, secret after). */
export function parseAppSecret(value: string): AppCredentials {
  if (!value.includes(':')) return { secret: value };
  const [keyId, secret] = value.split(':') as [string, string];
  return { keyId, secret };
}

/** The SDP event callstats.js sends only when the token lists it among `ingestedEvents`. */
const SDP_EVENT = 'sdpSubmissionEvent';

/** `ingestedEvents` as given (names checked), with the SDP event added when `collectSDP` is true. */
function ingestedEventsOf(options: CollectorOptions): string[] | undefined {
  const events = options.ingestedEvents;
  if (events !== undefined && (!Array.isArray(events) || !events.every((e) => typeof e === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(e)))) {
    throw new TypeError(`createCollector: ingestedEvents must be an array of event names (e.g. ${SDP_EVENT}), got ${JSON.stringify(events)}`);
  }
  if (options.collectSDP !== true || events?.includes(SDP_EVENT)) return events;
  return [...(events ?? []), SDP_EVENT];
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`createCollector: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

export function resolveOptions(options: CollectorOptions): ResolvedOptions {
  const apps = new Map<string, AppCredentials>();
  for (const [appID, credentials] of Object.entries(options.apps ?? {})) {
    if (!/^\d+$/.test(appID)) throw new TypeError(`createCollector: apps key ${JSON.stringify(appID)} must be a numeric appID`);
    if (credentials.secret !== undefined && typeof credentials.secret !== 'string')
      throw new TypeError(`createCollector: apps[${appID}].secret must be a string`);
    apps.set(appID, credentials);
  }
  if (options.verifyToken !== undefined && typeof options.verifyToken !== 'function')
    throw new TypeError('createCollector: verifyToken must be a function');
  if (options.database !== undefined && !/^postgres(ql)?:\/\//.test(options.database)) {
    throw new TypeError('createCollector: database must be a postgres:// (or postgresql://) URL');
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`createCollector: port must be 0..65535, got ${String(port)}`);
  if (options.submissionInterval !== undefined) positiveInteger('submissionInterval', options.submissionInterval, 0);
  const host = options.host ?? '127.0.0.1';
  const operatorToken = options.operatorToken;
  if (operatorToken !== undefined && (typeof operatorToken !== 'string' || operatorToken.length < 16)) {
    throw new TypeError('createCollector: operatorToken must be a string of at least 16 characters');
  }
  const openReads = options.openReads ?? operatorToken === undefined;
  if (openReads && !isLoopbackHost(host)) {
    throw new TypeError(
      `createCollector: reads are not authorised and host ${host} is not loopback: give operatorToken (--operator-token) or listen on 127.0.0.1`,
    );
  }
  // IP literals are always fine (a rebinding attack needs a name); names must be known when the
  // collector listens on loopback or allowedHosts is given (else any name: reads need the token).
  const allowedHosts = new Set(['localhost', ...(options.allowedHosts ?? []).map((h) => h.toLowerCase())]);
  if (!/^[\d.:]+$/.test(host)) allowedHosts.add(host.toLowerCase());
  const checkHost = isLoopbackHost(host) || options.allowedHosts !== undefined;
  return {
    host,
    port,
    apps,
    verifyToken: options.verifyToken,
    acceptAnyToken: options.acceptAnyToken === true,
    submissionInterval: options.submissionInterval,
    collectSDP: options.collectSDP,
    ingestedEvents: ingestedEventsOf(options),
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    maxLogBodyBytes: positiveInteger('maxLogBodyBytes', options.maxLogBodyBytes, Math.min(64 * 1024, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)),
    unauthenticatedRatePerSecond: positiveInteger('unauthenticatedRatePerSecond', options.unauthenticatedRatePerSecond, 50),
    unauthenticatedBurst: positiveInteger('unauthenticatedBurst', options.unauthenticatedBurst, 200),
    maxLogStorageBytes: positiveInteger('maxLogStorageBytes', options.maxLogStorageBytes, 16 * 1024 * 1024),
    maxStorageBytes: options.maxStorageBytes === undefined ? undefined : positiveInteger('maxStorageBytes', options.maxStorageBytes, 0),
    maxReadBytes: positiveInteger('maxReadBytes', options.maxReadBytes, 8 * 1024 * 1024),
    maxClockAheadMs: positiveInteger('maxClockAheadMs', options.maxClockAheadMs, 15 * 60_000),
    operatorToken,
    openReads,
    allowedHosts,
    checkHost,
    readCorsOrigins: new Set(options.readCorsOrigins ?? []),
    trustProxy: options.trustProxy === true,
    maxInFlight: positiveInteger('maxInFlight', options.maxInFlight, 512),
    maxQueueDelayMs: positiveInteger('maxQueueDelayMs', options.maxQueueDelayMs, DEFAULT_MAX_QUEUE_DELAY_MS),
    maxEventLoopDelayMs: positiveInteger('maxEventLoopDelayMs', options.maxEventLoopDelayMs, 300),
    maxConnections: positiveInteger('maxConnections', options.maxConnections, 2048),
    headersTimeoutMs: positiveInteger('headersTimeoutMs', options.headersTimeoutMs, 10_000),
    requestTimeoutMs: positiveInteger('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    shutdownGraceMs: positiveInteger('shutdownGraceMs', options.shutdownGraceMs, 10_000),
    retainMs: options.retainMs === undefined ? undefined : positiveInteger('retainMs', options.retainMs, 0),
    accessLogPerSecond: positiveInteger('accessLogPerSecond', options.accessLogPerSecond, 20),
    tokenTtlSeconds: positiveInteger('tokenTtlSeconds', options.tokenTtlSeconds, DEFAULT_TOKEN_TTL_SECONDS),
    now: options.now ?? Date.now,
    logger: options.logger ?? console,
    integrationsDir: options.integrationsDir === undefined ? undefined : resolve(options.integrationsDir),
  };
}
