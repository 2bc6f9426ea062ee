import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { dashboard } from './dashboard/route.js';
import { integrationsPage } from './routes/integrations.js';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { beforeWork, errorBody, HttpError, ok, send, type Reply } from './http.js';
import { createMetrics } from './metrics.js';
import { createRateLimiter } from './rate-limit.js';
import { authErrorBody } from './routes/auth.js';
import { isOperator, login, requireOperator } from './routes/operator.js';
import { StorageFullError } from './storage/storage.js';
import { resolveOptions, type CollectorOptions } from './options.js';
import { queryApi } from './query-api.js';
import { authenticate } from './routes/auth.js';
import { clockSync, generics } from './routes/collector.js';
import { appSettings } from './routes/config.js';
import type { RouteContext } from './routes/context.js';
import { conferenceEvent, isEventSuffix, userJoined } from './routes/events.js';
import { statsBatch } from './routes/stats.js';
import { createSqliteStorage } from './storage/sqlite-storage.js';
import { createSqliteWorkerStorage } from './storage/sqlite-worker-storage.js';
import { createPostgresStorage } from './storage/postgres-storage.js';
import type { CollectorStorage } from './storage/storage.js';
import { createTokenIssuer } from './token.js';

/** The five URLs to give `callstats.setProxyConfig` (each ends with `/`: the library concatenates). */
export interface ProxyConfig {
  authServiceURL: string;
  collectorURL: string;
  restEventURL: string;
  restStatsURL: string;
  appSettingsURL: string;
}

export interface Collector {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly proxyConfig: ProxyConfig;
  readonly storage: CollectorStorage;
  /**
   * `operator-token`: the query API, dashboard and /metrics need the operator token;
   * `open-loopback`: development mode, reads open to this machine (loopback only).
   */
  readonly readAccess: 'operator-token' | 'open-loopback';
  /** The Prometheus text `/metrics` serves. */
  metricsText(): string;
  /** Applies `retainMs` now (it also runs at start and hourly). */
  retain(): Promise<void>;
  /**
   * Stops taking connections, lets requests in flight finish (up to `shutdownGraceMs`), drops
   * what is left, and closes the storage if the collector opened it.
   */
  close(): Promise<void>;
}

export const DATA_FILE_NAME = 'collector.sqlite';

export function proxyConfigFor(url: string): ProxyConfig {
  return {
    authServiceURL: `${url}/auth/`,
    collectorURL: `${url}/collector/`,
    restEventURL: `${url}/events/`,
    restStatsURL: `${url}/stats/`,
    appSettingsURL: `${url}/config/`,
  };
}

const APP_ID = /^\d+$/;

/** Requests of one event-loop turn always served before its queue delay may shed the rest. */
export const MIN_SERVED_PER_TURN = 8;

function allow(ctx: RouteContext, ...methods: string[]): void {
  if (!methods.includes(ctx.req.method ?? ''))
    throw new HttpError(405, `use ${methods.join(' or ')}`, {}, { allow: `${methods.join(', ')}, OPTIONS` });
}

/** The callstats.js routes (see shared CALLSTATS.md), the query API and the dashboard. */
async function callstatsRoute(ctx: RouteContext): Promise<Reply> {
  const [root, ...rest] = ctx.segments;
  const appID = rest[0] !== undefined && APP_ID.test(rest[0]) ? rest[0] : undefined;
  const path = rest.join('/');
  if (root === 'auth' && path === 'authenticate') {
    allow(ctx, 'POST');
    return authenticate(ctx);
  }
  if (root === 'collector' && path === 'clockSync') {
    allow(ctx, 'GET');
    return clockSync(ctx);
  }
  if (root === 'collector' && path === 'generics') {
    allow(ctx, 'POST');
    return generics(ctx);
  }
  if (root === 'config' && appID !== undefined && path === `${appID}/configurations`) {
    allow(ctx, 'GET', 'POST');
    return appSettings(ctx, appID);
  }
  if (root === 'config' && appID !== undefined && path === `${appID}/configurations/internal`) {
    allow(ctx, 'GET');
    return appSettings(ctx, appID);
  }
  // events|stats / {appID} / conferences / {confID} [/ {ucID} / events|stats|customstats / ...]
  const [, conferences, conferenceID, ucID, kind, ...suffix] = rest;
  if (appID !== undefined && conferences === 'conferences' && conferenceID) {
    if (root === 'events' && rest.length === 3) {
      allow(ctx, 'POST');
      return userJoined(ctx, appID, conferenceID);
    }
    if (root === 'events' && ucID && kind === 'events' && isEventSuffix(suffix.join('/'))) {
      allow(ctx, 'POST');
      return conferenceEvent(ctx, appID, conferenceID, ucID, suffix.join('/'));
    }
    if (root === 'stats' && ucID && rest.length === 5 && (kind === 'stats' || kind === 'customstats')) {
      allow(ctx, 'POST');
      return statsBatch(ctx, appID, conferenceID, ucID, kind);
    }
  }
  if (root === 'api') return queryApi(ctx, rest);
  if (root === 'integrations') return integrationsPage(ctx, rest);
  if ((root === '' && rest.length === 0) || root === 'dashboard') return dashboard(ctx, rest);
  throw new HttpError(404, `no route for ${ctx.req.method ?? 'GET'} ${ctx.url.pathname}`);
}

function decodeSegments(pathname: string): string[] {
  const raw = pathname.split('/').slice(1);
  if (raw.length > 1 && raw.at(-1) === '') raw.pop();
  let segments: string[];
  try {
    segments = raw.map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in the path');
  }
  // PostgreSQL text cannot hold U+0000: refused here for every storage, rather than failing one.
  if (segments.some((segment) => segment.includes('\0'))) throw new HttpError(400, 'the path holds a NUL character (%00)');
  return segments;
}

/** What a path is, for auth, CORS, rate limits and the metrics' `route` label. */
type RouteKind = 'open-write' | 'write' | 'read' | 'health' | 'other';

function classify(segments: string[]): { kind: RouteKind; label: string } {
  const [root, ...rest] = segments;
  if (root === 'auth') return { kind: 'open-write', label: 'authenticate' };
  if (root === 'collector') return { kind: 'open-write', label: rest[0] === 'clockSync' ? 'clockSync' : 'generics' };
  if (root === 'config') return { kind: 'write', label: 'config' };
  if (root === 'events') return { kind: 'write', label: rest.length === 3 ? 'userJoined' : 'event' };
  if (root === 'stats') return { kind: 'write', label: 'stats' };
  if (root === 'api') return { kind: 'read', label: 'api' };
  if (root === 'metrics' && rest.length === 0) return { kind: 'read', label: 'metrics' };
  if ((root === 'healthz' || root === 'readyz') && rest.length === 0) return { kind: 'health', label: root };
  if (root === 'login' && rest.length === 0) return { kind: 'other', label: 'login' };
  if ((root === '' && rest.length === 0) || root === 'dashboard') return { kind: 'read', label: 'dashboard' };
  if (root === 'integrations') return { kind: 'other', label: 'integrations' };
  return { kind: 'other', label: 'unknown' };
}

/** The Host header's name without its port (`[::1]` kept whole). */
function hostName(req: IncomingMessage): string {
  const host = (req.headers.host ?? '').toLowerCase();
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
}

/** The client's address: the socket's, or behind a trusted proxy the last X-Forwarded-For entry. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);
  return last ?? req.socket.remoteAddress ?? '?';
}

const isIpLiteral = (name: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || /^\[[\da-f:.]+\]$/.test(name);

/**
 * Starts a local collector that callstats.js can be pointed at with `setProxyConfig`
 * (see `proxyConfig`). It authenticates the library, validates and stores every event and
 * stats batch before answering success, and serves what it stored under `/api/`, with a
 * dashboard page at `/` (and `/dashboard`) that reads it.
 */
export async function createCollector(options: CollectorOptions = {}): Promise<Collector> {
  const resolved = resolveOptions(options);
  const ownsStorage = options.storage === undefined;
  const storage =
    options.storage ??
    (options.database !== undefined
      ? await createPostgresStorage({
          connectionString: options.database,
          ...(resolved.maxStorageBytes !== undefined ? { maxBytes: resolved.maxStorageBytes } : {}),
          maxLogBytes: resolved.maxLogStorageBytes,
        })
      : undefined) ??
    (() => {
      const sqlite = {
        ...(resolved.maxStorageBytes !== undefined ? { maxBytes: resolved.maxStorageBytes } : {}),
        maxLogBytes: resolved.maxLogStorageBytes,
      };
      // In a file, writes run on a writer thread (sqlite-worker-storage.ts); in memory there is
      // no second connection to the same database, nor an fsync to move off the event loop.
      return options.dataDir !== undefined
        ? createSqliteWorkerStorage({ ...sqlite, file: join(options.dataDir, DATA_FILE_NAME) })
        : createSqliteStorage(sqlite);
    })();
  const tokens = createTokenIssuer(typeof options.tokenKey === 'string' ? Buffer.from(options.tokenKey) : options.tokenKey);
  const metrics = createMetrics();
  const limiter = createRateLimiter(resolved.unauthenticatedRatePerSecond, resolved.unauthenticatedBurst);
  const logger = resolved.logger;

  // Overload: requests in flight and the event loop's delay (mean over the last second).
  let inFlight = 0;
  let unanswered = 0;
  let loopDelayMs = 0;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const loopTimer = setInterval(() => {
    loopDelayMs = Number.isFinite(loop.mean) ? loop.mean / 1e6 : 0;
    loop.reset();
    endEpisode();
  }, 1000);
  loopTimer.unref();
  /**
   * Queue delay. The default storage is synchronous (SQLite, a commit per request), so under
   * load requests do not wait "in flight": they wait unread in their sockets while the event
   * loop serves the ones before them, one turn at a time. A turn starts with the first request
   * handled after the loop was free (marked until the turn's check phase, `setImmediate`), and
   * every request of that turn has waited at least as long as the turn has run. Past
   * `maxQueueDelayMs` the rest of the turn is shed (cheap: no body read, no storage), so a turn,
   * and with it the wait of an accepted request, stays about that long whatever the load. The
   * first MIN_SERVED_PER_TURN requests of a turn are always served: a few slow requests (a slow
   * disk, a GC pause) are no queue, and callstats.js never resends a refused event.
   */
  let turn: { startedAt: number; served: number } | undefined;
  function currentTurn(): { waitedMs: number; served: number } {
    const now = resolved.now();
    if (turn === undefined) {
      const started = (turn = { startedAt: now, served: 0 });
      setImmediate(() => {
        if (turn === started) turn = undefined;
      });
    }
    return { waitedMs: now - turn.startedAt, served: turn.served };
  }
  const queueTooLong = (t: { waitedMs: number; served: number }): boolean => t.waitedMs > resolved.maxQueueDelayMs && t.served >= MIN_SERVED_PER_TURN;
  /** Counts a request as served in the current turn, and returns that turn. */
  const served = (): object | undefined => {
    if (turn) turn.served++;
    return turn;
  };
  /**
   * One log line per shedding episode, written when it ends (a second without shedding, noticed
   * by the next request or the 1 s timer, or at close): how many requests were shed, why, and
   * for how long. While it lasts, `/readyz` answers 503 and `shims_collector_shed_total` counts.
   */
  let episode: { since: number; last: number; shed: number; reasons: Record<string, number>; peakQueueDelayMs: number } | undefined;
  function shedReason(t: { waitedMs: number; served: number }): string | undefined {
    if (inFlight > resolved.maxInFlight) return 'in-flight'; // inFlight counts this request
    if (queueTooLong(t)) return 'queue-delay';
    if (loopDelayMs > resolved.maxEventLoopDelayMs) return 'event-loop-delay';
    return undefined;
  }
  function noteShed(reason: string, waitedMs: number): void {
    metrics.shed(reason);
    const now = resolved.now();
    episode ??= { since: now, last: now, shed: 0, reasons: {}, peakQueueDelayMs: 0 };
    episode.last = now;
    episode.shed++;
    episode.reasons[reason] = (episode.reasons[reason] ?? 0) + 1;
    episode.peakQueueDelayMs = Math.max(episode.peakQueueDelayMs, waitedMs);
  }
  function endEpisode(force = false): void {
    if (!episode || (!force && resolved.now() - episode.last <= 1000)) return;
    const { since, last, shed, reasons, peakQueueDelayMs } = episode;
    episode = undefined;
    logger.info?.('shedding load: answered 503 with Retry-After', {
      shed,
      reasons,
      durationMs: last - since,
      since: new Date(since).toISOString(),
      peakQueueDelayMs,
      maxInFlight: resolved.maxInFlight,
      maxQueueDelayMs: resolved.maxQueueDelayMs,
      maxEventLoopDelayMs: resolved.maxEventLoopDelayMs,
    });
  }

  // Access log: every request up to accessLogPerSecond per second, then 1 in 100.
  let accessSecond = 0;
  let accessCount = 0;
  function access(fields: Record<string, unknown>): void {
    if (!logger.access) return;
    const second = Math.floor(resolved.now() / 1000);
    if (second !== accessSecond) {
      accessSecond = second;
      accessCount = 0;
    }
    accessCount++;
    if (accessCount <= resolved.accessLogPerSecond) logger.access(fields);
    else if (accessCount % 100 === 0) logger.access({ ...fields, sampled: 100 });
  }

  let draining = false;
  const idle = new Set<() => void>();

  function gauges(): Record<string, { help: string; value: number }> {
    return {
      shims_collector_in_flight: { help: 'Requests being handled.', value: inFlight },
      shims_collector_event_loop_delay_seconds: { help: 'Event-loop delay, mean over the last second.', value: loopDelayMs / 1000 },
      shims_collector_storage_bytes: { help: 'Bytes the database takes.', value: storage.sizeBytes?.() ?? 0 },
      shims_collector_fabrics_live: { help: 'Fabrics set up and not terminated.', value: storage.liveFabrics?.() ?? 0 },
      shims_collector_connections_max: { help: 'The connection cap.', value: resolved.maxConnections },
    };
  }

  async function route(ctx: RouteContext, kind: RouteKind, label: string): Promise<Reply> {
    if (label === 'healthz') return ok({ status: 'ok' });
    if (label === 'readyz') {
      if (draining) throw new HttpError(503, 'shutting down', {}, { 'retry-after': '1' });
      if (episode) throw new HttpError(503, 'shedding load', {}, { 'retry-after': '1' });
      storage.sizeBytes?.();
      return ok({ status: 'ready' });
    }
    if (label === 'login') return login(ctx);
    if (kind === 'read' && label !== 'dashboard') requireOperator(ctx);
    if (label === 'dashboard' && !isOperator(ctx)) {
      if (ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD') throw new HttpError(401, 'log in first');
      // Relative, so it works behind a reverse proxy's path prefix too.
      return { status: 303, body: undefined, headers: { location: ctx.url.pathname.startsWith('/dashboard/') ? '../login' : 'login' } };
    }
    if (label === 'metrics') {
      if (ctx.req.method !== 'GET') throw new HttpError(405, 'use GET', {}, { allow: 'GET' });
      return { status: 200, body: undefined, raw: metrics.render(gauges()), headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } };
    }
    return callstatsRoute(ctx);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let label = 'unknown';
    let reply: Reply;
    let cors = true;
    inFlight++;
    const queued = currentTurn();
    // Shutdown waits until every answer has been handed to the socket ('close' follows 'finish').
    unanswered++;
    res.once('close', () => {
      if (--unanswered === 0) for (const wake of idle) wake();
    });
    try {
      const url = new URL(req.url ?? '/', 'http://collector.invalid');
      const classified = classify(url.pathname.split('/').slice(1));
      const kind: RouteKind = classified.kind;
      label = classified.label;
      cors = kind !== 'read' || (req.headers.origin !== undefined && resolved.readCorsOrigins.has(req.headers.origin));
      if (draining && kind !== 'health') {
        res.setHeader('connection', 'close');
        throw new HttpError(503, 'shutting down', {}, { 'retry-after': '2' });
      }
      // Health checks and /metrics are never shed: they are how an overload is seen.
      const reason = kind === 'health' || label === 'metrics' ? undefined : shedReason(queued);
      if (reason) {
        noteShed(reason, queued.waitedMs);
        throw new HttpError(503, `overloaded (${reason}): try again later`, {}, { 'retry-after': '1' });
      }
      endEpisode();
      if (kind !== 'health' && label !== 'metrics') {
        const countedIn = served();
        // Its body may come in a later turn than its headers: checked again before the work.
        beforeWork.set(req, () => {
          const now = currentTurn();
          const sameTurn = turn === countedIn; // then it counted itself already
          if (queueTooLong(sameTurn ? { ...now, served: now.served - 1 } : now)) {
            noteShed('queue-delay', now.waitedMs);
            throw new HttpError(503, 'overloaded (queue-delay): try again later', {}, { 'retry-after': '1' });
          }
          if (!sameTurn) served();
        });
      }
      const name = hostName(req);
      if (resolved.checkHost && !isIpLiteral(name) && !resolved.allowedHosts.has(name)) {
        throw new HttpError(
          421,
          `unknown Host ${JSON.stringify(name)}: this collector answers to ${[...resolved.allowedHosts].join(', ')} and IP addresses (add it with --allowed-host)`,
        );
      }
      if (req.method === 'OPTIONS') {
        reply = { status: 204, body: undefined };
      } else {
        // The routes without auth, and login attempts, share the per-address bucket.
        if (kind === 'open-write' || (label === 'login' && req.method === 'POST')) {
          const wait = limiter.take(clientAddress(req, resolved.trustProxy), Date.now());
          if (wait > 0) {
            metrics.rateLimited();
            throw new HttpError(429, 'too many requests without auth from this address', {}, { 'retry-after': String(wait) });
          }
        }
        const segments = decodeSegments(url.pathname);
        const ctx: RouteContext = { req, url, segments, options: resolved, storage, tokens };
        reply = await route(ctx, kind, label);
      }
    } catch (error) {
      let failure: HttpError;
      if (error instanceof HttpError) failure = error;
      else if (error instanceof StorageFullError) {
        metrics.storageFull();
        logger.error(`@shims/collector: ${req.method} ${req.url}: ${error.message}`);
        failure = new HttpError(507, error.message);
      } else {
        logger.error(`@shims/collector: ${req.method} ${req.url} failed`, error);
        failure = new HttpError(500, 'internal error');
      }
      if (label === 'authenticate' && (failure.status === 429 || failure.status === 503)) {
        // Action 0 makes callstats.js try to authenticate again after `timeout` ms.
        const timeout = Number(failure.headers['retry-after'] ?? 1) * 1000;
        reply = {
          status: failure.status,
          body: { 'urn:x-callstats:auth:errorActions': [{ action: 0, params: { timeout } }] },
          headers: failure.headers,
        };
      } else if (label === 'authenticate') {
        reply = { status: failure.status, body: authErrorBody(failure.message), headers: failure.headers };
      } else {
        reply = { status: failure.status, body: errorBody(failure), headers: failure.headers };
      }
    } finally {
      inFlight--;
    }
    if (!res.headersSent && !res.destroyed) send(req, res, reply, cors);
    const seconds = (performance.now() - started) / 1000;
    metrics.request(label, reply.status, seconds);
    access({
      method: req.method,
      path: label === 'login' ? '/login' : (req.url ?? '').split('?')[0],
      route: label,
      status: reply.status,
      ms: Math.round(seconds * 1000),
      remote: clientAddress(req, resolved.trustProxy),
    });
  }

  // Slow clients: headers within headersTimeoutMs, the whole request within requestTimeoutMs
  // (checked every quarter of the header timeout), and at most maxConnections sockets.
  const server = createServer(
    {
      headersTimeout: resolved.headersTimeoutMs,
      requestTimeout: Math.max(resolved.requestTimeoutMs, resolved.headersTimeoutMs),
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(resolved.headersTimeoutMs / 4))),
    },
    (req, res) => void handle(req, res),
  );
  server.maxConnections = resolved.maxConnections;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // e.g. EADDRINUSE: do not leave the database open behind a collector that never started.
    clearInterval(loopTimer);
    loop.disable();
    if (ownsStorage) await storage.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = resolved.host === '0.0.0.0' ? '127.0.0.1' : resolved.host === '::' ? '::1' : resolved.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (resolved.openReads) {
    logger.info?.('reads are open to this machine (loopback development mode): the query API, dashboard and metrics need no operator token', { url });
  }

  // Retention: once at start and then hourly, what arrived before now - retainMs goes.
  let retentionTimer: NodeJS.Timeout | undefined;
  const retain = async (): Promise<void> => {
    if (resolved.retainMs === undefined || !storage.purge) return;
    try {
      const { deleted } = await storage.purge(resolved.now() - resolved.retainMs);
      logger.info?.('retention: deleted what is older than the retention window', { deleted, retainMs: resolved.retainMs });
    } catch (error) {
      logger.error('@shims/collector: retention failed', error);
    }
  };
  if (resolved.retainMs !== undefined) {
    void retain();
    retentionTimer = setInterval(() => void retain(), 3_600_000);
    retentionTimer.unref();
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    proxyConfig: proxyConfigFor(url),
    storage,
    readAccess: resolved.openReads ? 'open-loopback' : 'operator-token',
    metricsText: () => metrics.render(gauges()),
    retain,
    close() {
      closing ??= (async () => {
        // Drain: no new connections, idle ones closed, requests in flight finish (up to the
        // grace period), then whatever is left is dropped.
        draining = true;
        clearInterval(loopTimer);
        endEpisode(true);
        if (retentionTimer) clearInterval(retentionTimer);
        loop.disable();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (unanswered > 0) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              idle.delete(done);
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(done, resolved.shutdownGraceMs);
            idle.add(done);
          });
        }
        server.closeAllConnections();
        await closed;
        if (ownsStorage) await storage.close();
      })();
      return closing;
    },
  };
}
