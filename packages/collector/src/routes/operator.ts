import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError, readBody, type Reply } from '../http.js';
import type { RouteContext } from './context.js';

/** The cookie `/login` sets for the dashboard (HttpOnly, SameSite=Strict). */
const OPERATOR_COOKIE = 'shims_collector_operator';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Constant time whatever the lengths (both sides hashed first). */
function sameToken(sent: string, token: string): boolean {
  return timingSafeEqual(digest(sent), digest(token));
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the request carries the operator token (`Authorization: Bearer` or the login cookie). */
export function isOperator(ctx: RouteContext): boolean {
  const token = ctx.options.operatorToken;
  if (token === undefined) return ctx.options.openReads;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.req.headers.authorization ?? '')?.[1];
  const sent = bearer ?? cookie(ctx.req, OPERATOR_COOKIE);
  return sent !== undefined && sameToken(decodeURIComponentSafe(sent), token);
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** 401 for the query API and /metrics without the operator credential. */
export function requireOperator(ctx: RouteContext): void {
  if (!isOperator(ctx)) {
    throw new HttpError(
      401,
      'the query API needs the operator token: Authorization: Bearer <token> (or log in at /login)',
      {},
      { 'www-authenticate': 'Bearer realm="shims-collector"' },
    );
  }
}

const LOGIN_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const loginHtml = (message: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · @shims/collector</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}input,button{font:inherit;padding:.4rem}label{display:block;margin:.5rem 0}</style></head>
<body><h1>Collector dashboard</h1><p>${message}</p>
<form method="post" action="login"><label for="token">Operator token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required size="40">
<button type="submit">Log in</button></form></body></html>
`;

/**
 * `GET /login`: a form for the operator token; `POST /login` (form `token=`): sets the cookie
 * and goes to the dashboard. The token never travels in a URL.
 */
export async function login(ctx: RouteContext): Promise<Reply> {
  const page = (status: number, message: string): Reply => ({
    status,
    body: undefined,
    raw: loginHtml(message),
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': LOGIN_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  });
  if (ctx.req.method === 'GET' || ctx.req.method === 'HEAD') return page(200, 'Enter the operator token the collector was started with.');
  if (ctx.req.method !== 'POST') throw new HttpError(405, 'use GET or POST', {}, { allow: 'GET, POST, OPTIONS' });
  const token = new URLSearchParams(await readBody(ctx.req, 4096)).get('token') ?? '';
  if (ctx.options.operatorToken === undefined || !sameToken(token, ctx.options.operatorToken)) return page(401, 'That is not the operator token.');
  return {
    status: 303,
    body: undefined,
    headers: {
      location: './',
      'set-cookie': `${OPERATOR_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
    },
  };
}
