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

/** Reads, parses and validates a JSON body: 400 with a message naming the bad fields. */
export async function readJson<T>(req: IncomingMessage, maxBytes: number, schema: z.ZodType<T>): Promise<T> {
  const text = await readBody(req, maxBytes);
  if (text.trim() === '') throw new HttpError(400, 'empty body: expected JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `malformed JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, `invalid body: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Any page may send to a local collector: echo its Origin (or `*`), on every answer. */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return {
    'access-control-allow-origin': origin ?? '*',
    'access-control-allow-headers': 'Content-Type, Authorization',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

export function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const json = reply.raw === undefined && reply.body !== undefined;
  const body = reply.raw ?? (json ? JSON.stringify(reply.body) : '');
  res.writeHead(reply.status, {
    ...corsHeaders(req),
    ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(body);
}
