import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { dashboard } from './dashboard/route.js';
import { integrationsPage } from './routes/integrations.js';
import { errorBody, HttpError, send, type Reply } from './http.js';
import { resolveOptions, type CollectorOptions } from './options.js';
import { queryApi } from './query-api.js';
import { authenticate } from './routes/auth.js';
import { clockSync, generics } from './routes/collector.js';
import { appSettings } from './routes/config.js';
import type { RouteContext } from './routes/context.js';
import { conferenceEvent, isEventSuffix, userJoined } from './routes/events.js';
import { statsBatch } from './routes/stats.js';
import { createSqliteStorage } from './storage/sqlite-storage.js';
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
  /** Stops listening, drops open connections, and closes the storage if the collector opened it. */
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

function allow(ctx: RouteContext, ...methods: string[]): void {
  if (!methods.includes(ctx.req.method ?? '')) throw new HttpError(405, `use ${methods.join(' or ')}`, {}, { allow: `${methods.join(', ')}, OPTIONS` });
}

/** The callstats.js routes (see shared CALLSTATS.md), the query API and the dashboard. */
async function route(ctx: RouteContext): Promise<Reply> {
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
  try {
    return raw.map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in the path');
  }
}

/**
 * Starts a local collector that callstats.js can be pointed at with `setProxyConfig`
 * (see `proxyConfig`). It authenticates the library, validates and stores every event and
 * stats batch before answering success, and serves what it stored under `/api/`, with a
 * dashboard page at `/` (and `/dashboard`) that reads it.
 */
export async function createCollector(options: CollectorOptions = {}): Promise<Collector> {
  const resolved = resolveOptions(options);
  const ownsStorage = options.storage === undefined;
  const storage = options.storage ?? createSqliteStorage(options.dataDir !== undefined ? { file: join(options.dataDir, DATA_FILE_NAME) } : {});
  const tokens = createTokenIssuer(typeof options.tokenKey === 'string' ? Buffer.from(options.tokenKey) : options.tokenKey);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      send(req, res, { status: 204, body: undefined });
      return;
    }
    try {
      const url = new URL(req.url ?? '/', 'http://collector.invalid');
      const ctx: RouteContext = { req, url, segments: decodeSegments(url.pathname), options: resolved, storage, tokens };
      send(req, res, await route(ctx));
    } catch (error) {
      if (!(error instanceof HttpError)) resolved.logger.error(`@shims/collector: ${req.method} ${req.url} failed`, error);
      const failure = error instanceof HttpError ? error : new HttpError(500, 'internal error');
      send(req, res, { status: failure.status, body: errorBody(failure), headers: failure.headers });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
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
    if (ownsStorage) await storage.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = resolved.host === '0.0.0.0' ? '127.0.0.1' : resolved.host === '::' ? '::1' : resolved.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    proxyConfig: proxyConfigFor(url),
    storage,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (ownsStorage) await storage.close();
      })();
      return closing;
    },
  };
}
