import { HttpError, type Reply } from '../http.js';
import type { RouteContext } from '../routes/context.js';
import { DASHBOARD_HTML } from './page.js';
import { DASHBOARD_CSS } from './styles.js';
// The browser module (src/dashboard/client/), bundled into this string when the collector is
// built (and when the tests load the sources): build/dashboard-client.ts.
import DASHBOARD_JS from './client/main.ts?bundle';

/**
 * The page may load only its own files and talk only to the collector it came from; nothing
 * inline, no other origin.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The dashboard's files under `/dashboard/`, inlined so they work from `dist/` and from npm. */
export const DASHBOARD_FILES: Readonly<Record<string, { contentType: string; body: string }>> = {
  'dashboard.css': { contentType: 'text/css; charset=utf-8', body: DASHBOARD_CSS },
  'dashboard.js': { contentType: 'text/javascript; charset=utf-8', body: DASHBOARD_JS },
};

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/**
 * `GET /` and `GET /dashboard`: the page; `GET /dashboard/<file>`: its CSS and module.
 * `/dashboard/` redirects to `/dashboard`, where the page's relative URLs resolve.
 */
export function dashboard(ctx: RouteContext, rest: string[]): Reply {
  const method = ctx.req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'the dashboard is read-only: use GET', {}, { allow: 'GET, HEAD, OPTIONS' });
  if (rest.length === 0) {
    if (ctx.url.pathname.endsWith('/dashboard/')) {
      return { status: 308, body: undefined, headers: { location: `../dashboard${ctx.url.search}` } };
    }
    return {
      status: 200,
      body: undefined,
      raw: DASHBOARD_HTML,
      headers: { ...COMMON_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': DASHBOARD_CSP },
    };
  }
  const file = rest.length === 1 ? DASHBOARD_FILES[rest[0]!] : undefined;
  if (file === undefined || !Object.hasOwn(DASHBOARD_FILES, rest[0]!)) throw new HttpError(404, `no such dashboard file: ${ctx.url.pathname}`);
  return { status: 200, body: undefined, raw: file.body, headers: { ...COMMON_HEADERS, 'content-type': file.contentType } };
}
