import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, DASHBOARD_FILES } from '../src/dashboard/route.js';
import { DASHBOARD_HTML } from '../src/dashboard/page.js';
import { startCollector } from './helpers.js';

const get = (url: string, init?: RequestInit): Promise<Response> => fetch(url, { redirect: 'manual', ...init });

/** The href/src of every element the page loads (not data: URLs). */
const pageURLs = (html: string): string[] => [...html.matchAll(/\s(?:href|src)="([^"#]+)"/g)].map((m) => m[1]!).filter((u) => !u.startsWith('data:'));

describe('the dashboard routes', () => {
  it('serves the page at / and /dashboard as HTML, with a CSP that allows only the collector', async () => {
    const collector = await startCollector();
    for (const path of ['/', '/dashboard', '/?interval=500']) {
      const res = await get(`${collector.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await res.text();
      expect(html).toBe(DASHBOARD_HTML);
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('<h1>Collector dashboard</h1>');
    }
    expect(DASHBOARD_CSP).toContain("connect-src 'self'");
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe');
  });

  it('answers HEAD with the headers and no body', async () => {
    const collector = await startCollector();
    const res = await get(`${collector.url}/dashboard`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe('');
  });

  it('serves the CSS and the module with their content types', async () => {
    const collector = await startCollector();
    const css = await get(`${collector.url}/dashboard/dashboard.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toBe(DASHBOARD_FILES['dashboard.css']!.body);
    const js = await get(`${collector.url}/dashboard/dashboard.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe(DASHBOARD_FILES['dashboard.js']!.body);
  });

  it('loads everything the page names from the collector, by URLs relative to / and to /dashboard', async () => {
    const collector = await startCollector();
    const urls = pageURLs(DASHBOARD_HTML);
    expect(urls.sort()).toEqual(['dashboard/dashboard.css', 'dashboard/dashboard.js']);
    for (const base of [`${collector.url}/`, `${collector.url}/dashboard`]) {
      for (const url of urls) {
        const res = await get(new URL(url, base).href);
        expect(res.status, `${url} from ${base}`).toBe(200);
        expect(res.headers.get('content-type')).toMatch(url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      }
    }
  });

  it('redirects /dashboard/ to /dashboard (where the relative URLs resolve), keeping the query', async () => {
    const collector = await startCollector();
    const res = await get(`${collector.url}/dashboard/?interval=500`);
    expect(res.status).toBe(308);
    expect(new URL(res.headers.get('location')!, `${collector.url}/dashboard/`).href).toBe(`${collector.url}/dashboard?interval=500`);
  });

  it('answers 404 for unknown paths, 405 for writes', async () => {
    const collector = await startCollector();
    for (const path of ['/dashboard/nope.js', '/dashboard/dashboard.js/x', '/dashboard/constructor', '/dashboard/toString', '/index.html', '/nope', '/dashboard.css']) {
      const res = await get(`${collector.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('application/json; charset=utf-8');
      expect(await res.json()).toMatchObject({ status: 'error' });
    }
    const post = await get(`${collector.url}/`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('ships a module that parses, and names no other host (no CDN, no network but the collector)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shims-dashboard-'));
    try {
      const file = join(dir, 'dashboard.mjs');
      writeFileSync(file, DASHBOARD_FILES['dashboard.js']!.body);
      const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const text of [DASHBOARD_HTML, ...Object.values(DASHBOARD_FILES).map((f) => f.body)]) {
      const hosts = [...text.matchAll(/\b(?:https?:|wss?:)?\/\/[\w.-]+\.[a-z]{2,}/gi)].map((m) => m[0]);
      expect(hosts.filter((h) => h !== 'http://www.w3.org')).toEqual([]);
      expect(text).not.toMatch(/@import|url\(/);
    }
    expect(DASHBOARD_FILES['dashboard.js']!.body).toContain("new URL('../api/', import.meta.url)");
  });
});
