import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The part of `@shims/collector`'s `createCollector` this helper needs (passed in: no import, no cycle). */
export type CollectorFactory = (options: {
  acceptAnyToken: boolean;
  submissionInterval?: number;
  tokenKey?: string;
}) => Promise<{ url: string; close(): Promise<void> }>;

/** A fault the proxy in front of the collector applies to matching requests. */
export interface CollectorFault {
  /** Which requests (path after the host, e.g. `/events/…/fabric/setup`); default: all. */
  path?: RegExp;
  /** Hold the request this long before passing it on (or failing it). */
  delayMs?: number;
  /** Answer with this status instead of passing the request on (e.g. 400, 500, 503). */
  status?: number;
  /** Answer 401 "Token has expired", which makes callstats.js authenticate again. */
  expiredToken?: boolean;
  /** How many requests it applies to; default: every matching one until cleared. */
  times?: number;
}

export interface WaitForEvent {
  conferenceID: string;
  /** callstats.js's `eventType`, e.g. `fabricSetup`, `fabricSetupFailed`, `fabricTerminated`. */
  eventType: string;
  connectionID?: string;
  /** At least this many such events. Default 1. */
  count?: number;
  timeoutMs?: number;
}

export interface CollectorEvent {
  eventType: string;
  connectionID: string | null;
  body: Record<string, unknown>;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** What the proxy answered: the collector's status, or the injected one. */
  status: number;
  faulted: boolean;
}

export interface TestCollector {
  /** Where callstats.js is pointed (the fault proxy): `http://127.0.0.1:port`, no trailing slash. */
  readonly url: string;
  /** Every request that reached the proxy, in order of answer. */
  readonly requests: readonly ProxiedRequest[];
  /** GET a query API path (after `/api/`), parsed. */
  api<T = unknown>(path: string): Promise<T>;
  /** The conference's events of a type (all when omitted), in order. */
  events(conferenceID: string, eventType?: string): Promise<CollectorEvent[]>;
  /** Resolves with the events once `count` of them arrived; rejects with what did arrive on timeout. */
  waitForEvent(query: WaitForEvent): Promise<CollectorEvent[]>;
  inject(fault: CollectorFault): void;
  clearFaults(): void;
  /** A fresh, empty collector behind the same URL; tokens callstats.js holds stay valid. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `@shims/collector` in process on a free loopback port, behind a small proxy that can
 * delay or fail requests, for tests that run the real callstats.js into it. Any token is
 * accepted (the page's token generator), and stats batches are asked for every second.
 */
export async function startTestCollector(createCollector: CollectorFactory): Promise<TestCollector> {
  // One token key across resets, so the library's token outlives a reset.
  const tokenKey = `test-collector-${Math.random().toString(36).slice(2)}`;
  const start = () => createCollector({ acceptAnyToken: true, submissionInterval: 1_000, tokenKey });
  let collector = await start();
  let faults: CollectorFault[] = [];
  const requests: ProxiedRequest[] = [];
  const log = (req: IncomingMessage, status: number, faulted: boolean): void => {
    requests.push({ method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://proxy').pathname, status, faulted });
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const target = new URL(req.url ?? '/', collector.url);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      log(req, answer.statusCode ?? 502, false);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    upstream.end(body);
  };
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      // Never the CORS preflight: a failed preflight is a network error to the page, not an answer.
      const fault = req.method === 'OPTIONS' ? undefined : faults.find((f) => (f.path ?? /./).test(req.url ?? ''));
      if (fault && fault.times !== undefined && --fault.times <= 0) faults = faults.filter((f) => f !== fault);
      if (fault?.delayMs) await sleep(fault.delayMs);
      const cors = { 'access-control-allow-origin': req.headers.origin ?? '*', 'content-type': 'application/json' };
      if (fault?.expiredToken) {
        log(req, 401, true);
        res.writeHead(401, cors).end(JSON.stringify({ status: 'error', msg: 'Token has expired' }));
      } else if (fault?.status) {
        log(req, fault.status, true);
        res.writeHead(fault.status, cors).end(JSON.stringify({ status: 'error', message: 'injected fault' }));
      } else forward(req, res, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${collector.url}/api/${path}`);
    if (!response.ok) throw new Error(`collector API ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const events = async (conferenceID: string, eventType?: string): Promise<CollectorEvent[]> => {
    const query = eventType ? `?type=${encodeURIComponent(eventType)}` : '';
    try {
      const answer = await api<{ events: CollectorEvent[] }>(`conferences/${encodeURIComponent(conferenceID)}/events${query}`);
      return answer.events;
    } catch {
      return []; // the conference does not exist yet
    }
  };

  return {
    url,
    requests,
    api,
    events,
    async waitForEvent({ conferenceID, eventType, connectionID, count = 1, timeoutMs = 20_000 }) {
      const until = Date.now() + timeoutMs;
      let found: CollectorEvent[] = [];
      while (Date.now() < until) {
        found = (await events(conferenceID, eventType)).filter((e) => connectionID === undefined || e.connectionID === connectionID);
        if (found.length >= count) return found;
        await sleep(200);
      }
      const all = (await events(conferenceID)).map((e) => e.eventType);
      throw new Error(
        `${count} × ${eventType} not reported to the collector for ${conferenceID} within ${timeoutMs} ms; got ${found.length}; all events: ${all.join(', ') || 'none'}`,
      );
    },
    inject(fault) {
      faults.push({ ...fault });
    },
    clearFaults() {
      faults = [];
    },
    async reset() {
      const previous = collector;
      collector = await start();
      await previous.close();
    },
    async close() {
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      });
      await collector.close();
    },
  };
}
