import { readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { HttpError, type Reply } from '../http.js';
import type { RouteContext } from './context.js';

/** The page is static HTML, CSS and SVG: nothing to run, nothing to fetch from elsewhere. */
export const INTEGRATIONS_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * `GET /integrations/<file>`: the files of `options.integrationsDir` (what `pnpm integrations`
 * builds), read-only, never outside that folder; `/integrations` redirects to `/integrations/`,
 * where the page's relative links resolve.
 */
export function integrationsPage(ctx: RouteContext, rest: string[]): Reply {
  const method = ctx.req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD')
    throw new HttpError(405, 'the integrations page is read-only: use GET', {}, { allow: 'GET, HEAD, OPTIONS' });
  const dir = ctx.options.integrationsDir;
  if (dir === undefined)
    throw new HttpError(404, 'no integrations page here: start the collector with --integrations <dir> (pnpm integrations builds site/dist)');
  if (rest.length === 0 && !ctx.url.pathname.endsWith('/')) return { status: 308, body: undefined, headers: { location: '/integrations/' } };
  const parts = rest.length === 0 ? ['index.html'] : rest;
  // Segments are decoded: an encoded `/`, `\` or `..` must not walk out of the folder.
  if (parts.some((p) => p === '' || p === '.' || p === '..' || /[/\\\0]/.test(p))) throw new HttpError(404, `no such file: ${ctx.url.pathname}`);
  const contentType = CONTENT_TYPES[extname(parts.at(-1)!)];
  const path = join(dir, ...parts);
  let real: string | undefined;
  try {
    real = realpathSync(path);
    // A link inside the folder that points out of it is not served either.
    if (!statSync(real).isFile() || !real.startsWith(realpathSync(dir) + sep)) real = undefined;
  } catch {
    real = undefined;
  }
  if (contentType === undefined || real === undefined) throw new HttpError(404, `no such file: ${ctx.url.pathname}`);
  return {
    status: 200,
    body: undefined,
    raw: readFileSync(real, 'utf8'),
    headers: {
      'content-type': contentType,
      'content-security-policy': INTEGRATIONS_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  };
}
