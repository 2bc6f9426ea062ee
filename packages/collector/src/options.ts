import { resolve } from 'node:path';
import type { CollectorStorage } from './storage/storage.js';

/** What the app passes as its secret to `callstats.initialize`, split as the library splits it. */
export interface AppCredentials {
  /** The HS256 key callstats.js signs its JWT with. */
  secret?: string;
  /** Set when the app's secret has the `keyId:secret` form: the JWT must carry it. */
  keyId?: string;
}

/**
 * Token-generator mode: callstats.js sends the app's own token as `code`. Return true to
 * accept it for that user and app.
 */
export type VerifyToken = (code: string, userID: string, appID: string) => boolean | Promise<boolean>;

export interface CollectorLogger {
  error(message: string, error?: unknown): void;
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
  /** Put in the access token: whether the library sends SDP. */
  collectSDP?: boolean;
  /** Put in the access token: events the library drops unless listed (e.g. `sdpSubmissionEvent`). */
  ingestedEvents?: string[];
  /** Larger bodies get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Where to keep what is collected. Default: SQLite in memory, or in `dataDir`. */
  storage?: CollectorStorage;
  /** A directory for `collector.sqlite` (created if missing), when no `storage` is given. */
  dataDir?: string;
  /** Lifetime of an access token. Default 3600. */
  tokenTtlSeconds?: number;
  /** HMAC key of the access tokens. Default: random per process (tokens die with it). */
  tokenKey?: Uint8Array | string;
  /** The clock (epoch ms): clock sync answers and token expiry. Default Date.now. */
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
  tokenTtlSeconds: number;
  now: () => number;
  logger: CollectorLogger;
  /** Absolute, or undefined when the collector serves no integrations page. */
  integrationsDir: string | undefined;
}

export const DEFAULT_MAX_BODY_BYTES: number = 1024 * 1024;
export const DEFAULT_TOKEN_TTL_SECONDS: number = 3600;

/** `keyId:secret` as callstats.js reads it (`split(":")`: keyId before, secret after). */
export function parseAppSecret(value: string): AppCredentials {
  if (!value.includes(':')) return { secret: value };
  const [keyId, secret] = value.split(':') as [string, string];
  return { keyId, secret };
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
    if (credentials.secret !== undefined && typeof credentials.secret !== 'string') throw new TypeError(`createCollector: apps[${appID}].secret must be a string`);
    apps.set(appID, credentials);
  }
  if (options.verifyToken !== undefined && typeof options.verifyToken !== 'function') throw new TypeError('createCollector: verifyToken must be a function');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`createCollector: port must be 0..65535, got ${String(port)}`);
  if (options.submissionInterval !== undefined) positiveInteger('submissionInterval', options.submissionInterval, 0);
  return {
    host: options.host ?? '127.0.0.1',
    port,
    apps,
    verifyToken: options.verifyToken,
    acceptAnyToken: options.acceptAnyToken === true,
    submissionInterval: options.submissionInterval,
    collectSDP: options.collectSDP,
    ingestedEvents: options.ingestedEvents,
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    tokenTtlSeconds: positiveInteger('tokenTtlSeconds', options.tokenTtlSeconds, DEFAULT_TOKEN_TTL_SECONDS),
    now: options.now ?? Date.now,
    logger: options.logger ?? console,
    integrationsDir: options.integrationsDir === undefined ? undefined : resolve(options.integrationsDir),
  };
}
