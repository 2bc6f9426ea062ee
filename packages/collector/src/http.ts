import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { describeIssues } from './schemas.js';

/** A failure the client caused; the server answers `{status:"error", message}` with it. */
export class HttpError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.extra = extra;
    this.headers = headers;
  }
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of `body` as JSON (its content-type goes in `headers`): the dashboard's files. */
  raw?: string;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const SUCCESS: Reply = { status: 200, body: { status: 'success' } };

export function errorBody(error: HttpError): Record<string, unknown> {
  return { status: 'error', message: error.message, ...error.extra };
}

/**
 * Called when a request's body has been read, before any work on it: the server's load
 * shedding checks again there (a body that arrives after its headers is served in a later
 * event-loop turn) and throws an HttpError (503) to refuse it.
 */
export const beforeWork: WeakMap<IncomingMessage, () => void> = new WeakMap();

/**
 * Reads the body up to `maxBytes`. Past the limit it stops buffering and fails with 413:
 * the server then answers and closes the connection instead of reading the rest.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  // Past the limit the rest is not read: the answer closes the connection instead of draining it.
  const tooLarge = (): HttpError => new HttpError(413, `body larger than ${maxBytes} bytes`, {}, { connection: 'close' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      try {
        beforeWork.get(req)?.();
      } catch (error) {
        reject(error);
        return;
      }
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (): void => {
      // The client went away mid-body: nothing to store, nothing worth a stack trace.
      cleanup();
      reject(new HttpError(400, 'request body could not be read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** How many `{` and `[` the text holds (inside strings too), counting up to `limit + 1`. */
function openingBrackets(text: string, limit: number): number {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1 && count <= limit; i = text.indexOf(bracket, i + 1)) count++;
  }
  return count;
}

/** How deep a JSON body may nest: callstats.js's deepest (a stats entry's fields) is about 5. */
const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of JSON text, counted without parsing (brackets inside strings skipped),
 * stopping at `limit + 1`: a body nested thousands deep would otherwise overflow the stack
 * of the validator or of JSON.stringify and end as a 500.
 */
function jsonDepthExceeds(text: string, limit: number): boolean {
  // Depth never exceeds the number of opening brackets, and a callstats.js stats batch has about
  // 30 of them: counted with indexOf (native, about 1 µs for 12 KB), the character-by-character
  // scan below (about 25 µs, a tenth of the main thread's time per batch when profiled) is skipped.
  if (openingBrackets(text, limit) <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Whether the request says its body is JSON (`application/json`, parameters allowed). A page on
 * another origin can send only `text/plain`, `application/x-www-form-urlencoded`,
 * `multipart/form-data` or no Content-Type without a CORS preflight; `application/json` needs one.
 */
function isJsonContentType(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}

/**
 * Reads, parses and validates a JSON body: 400 with a message naming the bad fields. With
 * `requireJsonType`, a body not labelled `application/json` gets 415 (after the size check, so an
 * oversized body is still 413 and not read).
 */
export async function readJson<T>(req: IncomingMessage, maxBytes: number, schema: z.ZodType<T>, requireJsonType = false): Promise<T> {
  return (await readJsonText(req, maxBytes, schema, requireJsonType)).value;
}

/** readJson, with the body's exact text beside its value (stats batches keep it as sent). */
export async function readJsonText<T>(
  req: IncomingMessage,
  maxBytes: number,
  schema: z.ZodType<T>,
  requireJsonType = false,
): Promise<{ value: T; text: string }> {
  const text = await readBody(req, maxBytes);
  if (requireJsonType && !isJsonContentType(req)) {
    throw new HttpError(
      415,
      'Content-Type must be application/json (as callstats.js sends it): a body a page can send without a CORS preflight is refused',
    );
  }
  if (text.trim() === '') throw new HttpError(400, 'empty body: expected JSON');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new HttpError(400, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `malformed JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, `invalid body: ${describeIssues(parsed.error)}`);
  return { value: parsed.data, text };
}

/**
 * A body's timestamp must be a plausible clock-synced time: not negative and at most
 * `maxAheadMs` ahead of the collector's clock (one `1e308` would otherwise keep its conference
 * "most recent" forever). Past times are fine: callstats.js queues events until it is ready.
 */
export function requireTimestamp(timestamp: number, nowMs: number, maxAheadMs: number): void {
  if (!Number.isFinite(timestamp) || timestamp < 0) throw new HttpError(400, `invalid body: timestamp: must be epoch ms, got ${timestamp}`);
  if (timestamp > nowMs + maxAheadMs)
    throw new HttpError(400, `invalid body: timestamp: ${timestamp} is more than ${maxAheadMs} ms ahead of the collector clock (${nowMs})`);
}

/** Any page may send to a local collector: echo its Origin (or `*`), on every answer. */
function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return {
    'access-control-allow-origin': origin ?? '*',
    'access-control-allow-headers': 'Content-Type, Authorization',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

/** `cors`: false for the reads (query API, dashboard, metrics) unless their Origin is allowed. */
export function send(req: IncomingMessage, res: ServerResponse, reply: Reply, cors = true): void {
  const json = reply.raw === undefined && reply.body !== undefined;
  const body = reply.raw ?? (json ? JSON.stringify(reply.body) : '');
  res.writeHead(reply.status, {
    ...(cors ? corsHeaders(req) : {}),
    ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(body);
}
