import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, DASHBOARD_FILES } from '../src/dashboard/route.js';
import { DASHBOARD_HTML } from '../src/dashboard/page.js';
import * as links from '../src/dashboard/client/links.js';
import { authenticate, eventBody, postJson, startCollector } from './helpers.js';

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
    for (const path of [
      '/dashboard/nope.js',
      '/dashboard/dashboard.js/x',
      '/dashboard/constructor',
      '/dashboard/toString',
      '/index.html',
      '/nope',
      '/dashboard.css',
    ]) {
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
    expect(DASHBOARD_FILES['dashboard.js']!.body).toMatch(/new URL\((['"])\.\.\/api\/\1, import\.meta\.url\)/);
  });

  it('serves the browser module bundled from src/dashboard/client/: one ES module, no import left', () => {
    const js = DASHBOARD_FILES['dashboard.js']!.body;
    for (const file of ['dom', 'format', 'charts', 'describe-event', 'links', 'main'])
      expect(js).toContain(`//#region src/dashboard/client/${file}.ts`);
    expect(js).not.toMatch(/^\s*(?:import|export)\b/m);
    expect(js).not.toMatch(/\bimport\(/);
  });
});

describe('the dashboard when two apps share a conference ID and two users a connection ID', () => {
  it('links name the app and the user, and the API it then calls answers with that app and user', async () => {
    const collector = await startCollector({ apps: {}, acceptAnyToken: true });
    // App 111 first (the one the query API picks without ?appID=), then app 222, same room and pc id.
    const joined: Record<string, { ucID: string }> = {};
    for (const [appID, userID, state] of [
      ['111', 'ann', 'have-local-offer'],
      ['222', 'bo', 'have-remote-offer'],
    ] as const) {
      const res = await authenticate(collector, userID, 'app-token', appID);
      const { access_token: token } = (await res.json()) as { access_token: string };
      const base = `${collector.proxyConfig.restEventURL}${appID}/conferences/room`;
      const join = await postJson(base, eventBody({ eventType: 'userJoined', localID: userID, connectionID: undefined }), token);
      const { ucID } = (await join.json()) as { ucID: string };
      joined[appID] = { ucID };
      expect(
        (await postJson(`${base}/${ucID}/events/fabric/statechange`, eventBody({ localID: userID, connectionID: 'pc-1', newState: state }), token))
          .status,
      ).toBe(200);
    }
    // The module the page bundles (src/dashboard/client/links.ts), run in Node against this collector.
    const api = new URL(`${collector.url}/api/`);
    const { conferences } = (await (await fetch(`${collector.url}/api/conferences`)).json()) as {
      conferences: { conferenceID: string; appID: string }[];
    };
    expect(conferences.map((c) => [c.conferenceID, c.appID])).toEqual([
      ['room', '111'],
      ['room', '222'],
    ]);
    // Each conference row links to its own app; each fabric row to its own user.
    const second = conferences[1]!;
    const conferenceLink = links.hashFor(second, null);
    expect(conferenceLink).toBe('#conference=room&app=222');
    expect(links.hashFor(conferences[0]!, null)).not.toBe(conferenceLink);
    const fabricLink = links.hashFor(second, { connectionID: 'pc-1', ucID: joined['222']!.ucID });
    const selection = links.parseHash(fabricLink);
    expect(selection).toEqual({ conferenceID: 'room', appID: '222', connectionID: 'pc-1', ucID: joined['222']!.ucID });
    // What the page then reads is app 222's conference and bo's fabric, not the oldest.
    const get = async <T>(segments: string[], params: Record<string, string>): Promise<T> =>
      (await fetch(links.apiURL(api, segments, params))).json() as Promise<T>;
    const { fabrics } = await get<{ fabrics: { ucID: string; localID: string }[] }>(
      ['conferences', 'room', 'fabrics'],
      links.conferenceQuery(selection),
    );
    expect(fabrics.map((f) => f.localID)).toEqual(['bo']);
    const { events } = await get<{ events: { body: { newState: string } }[] }>(['conferences', 'room', 'fabrics', 'pc-1', 'events'], {
      ...links.fabricQuery(selection),
      after: '0',
    });
    expect(events.map((e) => e.body.newState)).toEqual(['have-remote-offer']);
    // An old link without app and user still means what the query API means: the oldest.
    const old = links.parseHash('#conference=room&fabric=pc-1');
    expect(old).toEqual({ conferenceID: 'room', appID: null, connectionID: 'pc-1', ucID: null });
    expect(links.conferenceQuery(old)).toEqual({});
    const oldest = await get<{ fabrics: { localID: string }[] }>(['conferences', 'room', 'fabrics'], links.conferenceQuery(old));
    expect(oldest.fabrics.map((f) => f.localID)).toEqual(['ann']);
  });

  it('the page uses those links and queries for its selection (no conference or fabric URL without them)', () => {
    const js = readFileSync(new URL('../src/dashboard/client/main.ts', import.meta.url), 'utf8');
    expect(js).toContain("getJson(['conferences', state.conferenceID, 'fabrics'], conferenceQuery(state))");
    expect(js.match(/fabricQuery\(state\)/g)).toHaveLength(2);
    expect(js).toContain('href: hashFor(c, null)');
    expect(js).not.toMatch(/hashFor\(state\.conferenceID/);
    // ... and the module served is built from it.
    const served = DASHBOARD_FILES['dashboard.js']!.body;
    expect(served.match(/fabricQuery\(state\)/g)).toHaveLength(2);
    expect(served).toContain('href: hashFor(c, null)');
    expect(served).not.toMatch(/hashFor\(state\.conferenceID/);
  });
});
