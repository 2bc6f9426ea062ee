import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createCollector } from '../src/index.js';
import { replaySample, SAMPLE, startCollector } from './helpers.js';

const OPERATOR = 'operator-token-for-tests-0123456789';

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('reads need the operator credential', () => {
  it('refuses the query API, metrics and dashboard without it, and serves them with it; writes are unchanged', async () => {
    const collector = await startCollector({ apps: {}, acceptAnyToken: true, operatorToken: OPERATOR });
    expect(collector.readAccess).toBe('operator-token');
    const { statuses } = await replaySample(collector);
    expect(statuses).toEqual(SAMPLE.map(() => 200));
    for (const path of ['/api/conferences', '/api/logs', '/api/conferences/example-room/events', '/metrics']) {
      const denied = await fetch(`${collector.url}${path}`);
      expect(denied.status, path).toBe(401);
      const wrong = await fetch(`${collector.url}${path}`, { headers: { authorization: `Bearer ${OPERATOR}x` } });
      expect(wrong.status, path).toBe(401);
      const allowed = await fetch(`${collector.url}${path}`, { headers: { authorization: `Bearer ${OPERATOR}` } });
      expect(allowed.status, path).toBe(200);
    }
    const api = await fetch(`${collector.url}/api/conferences`, { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(((await api.json()) as { conferences: unknown[] }).conferences).toHaveLength(1);
    // A callstats.js bearer token is not an operator credential.
    const dashboard = await fetch(`${collector.url}/`, { redirect: 'manual' });
    expect(dashboard.status).toBe(303);
    expect(dashboard.headers.get('location')).toBe('login');
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/dashboard.js']) {
      const res = await fetch(`${collector.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      expect(new URL(res.headers.get('location')!, `${collector.url}${path}`).pathname, path).toBe('/login');
    }
  });

  it('logs in through the form: a wrong token gets 401, the right one an HttpOnly SameSite cookie that opens reads', async () => {
    const collector = await startCollector({ operatorToken: OPERATOR });
    const form = (token: string): RequestInit => ({
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect((await fetch(`${collector.url}/login`)).status).toBe(200);
    const bad = await fetch(`${collector.url}/login`, form('nope'));
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const good = await fetch(`${collector.url}/login`, form(OPERATOR));
    expect(good.status).toBe(303);
    const cookie = good.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const jar = cookie.split(';')[0]!;
    expect((await fetch(`${collector.url}/api/conferences`, { headers: { cookie: jar } })).status).toBe(200);
    expect((await fetch(`${collector.url}/`, { headers: { cookie: jar } })).status).toBe(200);
    expect((await fetch(`${collector.url}/api/conferences`, { headers: { cookie: 'shims_collector_operator=guess' } })).status).toBe(401);
  });

  it('rate-limits login attempts per address', async () => {
    const collector = await startCollector({ operatorToken: OPERATOR, unauthenticatedBurst: 3, unauthenticatedRatePerSecond: 1 });
    const attempt = (): Promise<number> =>
      fetch(`${collector.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'token=guess',
      }).then((r) => r.status);
    expect([await attempt(), await attempt(), await attempt(), await attempt()]).toEqual([401, 401, 401, 429]);
  });

  it('sends no CORS headers on reads (unless the origin is allowed), and keeps them on writes', async () => {
    const collector = await startCollector({ operatorToken: OPERATOR, readCorsOrigins: ['http://ops.test'] });
    const headers = { origin: 'http://evil.test', authorization: `Bearer ${OPERATOR}` };
    const read = await fetch(`${collector.url}/api/conferences`, { headers });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${collector.url}/api/conferences`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`${collector.url}/api/conferences`, { headers: { ...headers, origin: 'http://ops.test' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://ops.test');
    const write = await fetch(`${collector.proxyConfig.collectorURL}clockSync`, { headers: { origin: 'http://app.test' } });
    expect(write.headers.get('access-control-allow-origin')).toBe('http://app.test');
  });

  it('answers 421 to an unknown Host name (DNS rebinding), also in development mode', async () => {
    const collector = await startCollector();
    expect(collector.readAccess).toBe('open-loopback');
    expect(await getWithHost(`${collector.url}/api/conferences`, `rebind.attacker.test:${collector.port}`)).toBe(421);
    expect(await getWithHost(`${collector.url}/`, 'rebind.attacker.test')).toBe(421);
    expect(await getWithHost(`${collector.proxyConfig.collectorURL}clockSync`, 'rebind.attacker.test')).toBe(421);
    expect(await getWithHost(`${collector.url}/api/conferences`, `localhost:${collector.port}`)).toBe(200);
    expect(await getWithHost(`${collector.url}/api/conferences`, `127.0.0.1:${collector.port}`)).toBe(200);
    const named = await startCollector({ operatorToken: OPERATOR, allowedHosts: ['collector.example'] });
    expect(await getWithHost(`${named.url}/healthz`, 'collector.example')).toBe(200);
    expect(await getWithHost(`${named.url}/healthz`, 'other.example')).toBe(421);
  });

  it('refuses to start on a non-loopback host without the operator token', async () => {
    await expect(createCollector({ host: '0.0.0.0', acceptAnyToken: true })).rejects.toThrow(/not loopback/);
    await expect(createCollector({ host: '0.0.0.0', acceptAnyToken: true, openReads: true })).rejects.toThrow(/not loopback/);
    await expect(createCollector({ operatorToken: 'short' })).rejects.toThrow(/at least 16/);
  });
});
