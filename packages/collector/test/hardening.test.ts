import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collector, FabricRecord, SeriesPoint } from '../src/index.js';
import {
  APP_ID,
  appJwtFor,
  authenticate,
  eventBody,
  getJson,
  join,
  makeAppJwt,
  postJson,
  replaySample,
  SAMPLE,
  SECRET,
  startCollector,
} from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A POST from another loopback address (127.0.0.2): the attacker, apart from the good client. */
function postFrom(
  localAddress: string,
  url: string,
  body: string,
  contentType = 'text/plain',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every event and stats batch the sample replay should have stored. */
async function expectSampleKept(collector: Collector): Promise<void> {
  const events = await collector.storage.listEvents({ conferenceID: 'example-room', limit: 10_000 });
  expect(events).toHaveLength(SAMPLE.filter((r) => r.path.startsWith('events/')).length);
  const batches = await collector.storage.listStatsBatches({ conferenceID: 'example-room', connectionID: 'nc99yrgcy5' });
  expect(batches).toHaveLength(
    SAMPLE.filter((r) => r.path.endsWith('/stats') && (r.body as { connectionID: string }).connectionID === 'nc99yrgcy5').length,
  );
}

describe('finding 1 and 2: the routes without auth are bounded in size, rate and stored bytes', () => {
  it('refuses oversized and too frequent generics, keeps at most maxLogStorageBytes, and keeps the good traffic', async () => {
    const collector = await startCollector({
      apps: {},
      acceptAnyToken: true,
      maxLogBodyBytes: 2048,
      maxLogStorageBytes: 8 * 1024,
      unauthenticatedBurst: 20,
      unauthenticatedRatePerSecond: 1,
    });
    const generics = `${collector.proxyConfig.collectorURL}generics`;
    const big = await postFrom('127.0.0.2', generics, JSON.stringify({ eventType: 'log', data: 'x'.repeat(4096) }));
    expect(big.status).toBe(413);
    // The flood (text/plain: no CORS preflight; refused with 415 or 429) runs alongside the real library's traffic.
    const line = JSON.stringify({ eventType: 'log', data: 'y'.repeat(1500) });
    const [flood, replay] = await Promise.all([
      Promise.all(Array.from({ length: 60 }, () => postFrom('127.0.0.2', generics, line))),
      replaySample(collector),
    ]);
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(21);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(39);
    expect(flood.find((r) => r.status === 429)!.headers['retry-after']).toMatch(/^\d+$/);
    expect(replay.statuses).toEqual(SAMPLE.map(() => 200));
    await expectSampleKept(collector);
    const logs = await collector.storage.listLogs({ limit: 10_000 });
    const storedBytes = logs.reduce((n, l) => n + JSON.stringify(l.data).length, 0);
    expect(storedBytes).toBeLessThanOrEqual(8 * 1024);
    expect(logs.length).toBeGreaterThan(0);
  });

  it('refuses generics bodies a web page could send without a CORS preflight (415); JSON as callstats.js sends it is stored', async () => {
    const collector = await startCollector({ apps: {}, acceptAnyToken: true });
    const generics = `${collector.proxyConfig.collectorURL}generics`;
    const line = JSON.stringify({ eventType: 'log', data: 'from a page' });
    // The three CORS-safelisted types, and none at all (a Blob body without a type).
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await postFrom('127.0.0.2', generics, line, type);
      expect(res.status, type).toBe(415);
      expect(JSON.parse(res.text)).toMatchObject({ status: 'error', message: expect.stringContaining('application/json') });
    }
    expect((await fetch(generics, { method: 'POST', body: new Blob([line]) })).status).toBe(415);
    expect(await collector.storage.listLogs()).toEqual([]);
    // What callstats.js sends (XHR with Content-Type: application/json), also with a charset.
    expect((await postFrom('127.0.0.2', generics, line, 'application/json')).status).toBe(200);
    expect((await postFrom('127.0.0.2', generics, line, 'Application/JSON; charset=utf-8')).status).toBe(200);
    expect(await collector.storage.listLogs()).toHaveLength(2);
    // A page on another origin is asked first (preflight), as callstats.js on a page is.
    const preflight = await fetch(generics, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
    // The real library's generics, replayed, are all accepted.
    expect((await replaySample(collector)).statuses).toEqual(SAMPLE.map(() => 200));
  });

  it('answers a rate-limited authenticate with the retry action callstats.js understands', async () => {
    const collector = await startCollector({ unauthenticatedBurst: 2, unauthenticatedRatePerSecond: 1 });
    const statuses = [];
    let limited: Response | undefined;
    for (let i = 0; i < 5 && !limited; i++) {
      const res = await authenticate(collector, 'alice', appJwtFor('alice'));
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(await limited!.json()).toEqual({ 'urn:x-callstats:auth:errorActions': [{ action: 0, params: { timeout: 1000 } }] });
  });
});

describe('the rate limit behind a reverse proxy', () => {
  it('counts per X-Forwarded-For client with trustProxy, and ignores the header without it', async () => {
    const limits = { unauthenticatedBurst: 2, unauthenticatedRatePerSecond: 1 };
    const clock = (c: { proxyConfig: { collectorURL: string } }, client: string): Promise<number> =>
      fetch(`${c.proxyConfig.collectorURL}clockSync`, { headers: { 'x-forwarded-for': `6.6.6.6, ${client}` } }).then((r) => r.status);
    const proxied = await startCollector({ ...limits, trustProxy: true });
    expect([await clock(proxied, '10.0.0.1'), await clock(proxied, '10.0.0.1'), await clock(proxied, '10.0.0.1')]).toEqual([200, 200, 429]);
    expect(await clock(proxied, '10.0.0.2')).toBe(200);
    const direct = await startCollector(limits);
    expect([await clock(direct, '10.0.0.1'), await clock(direct, '10.0.0.2'), await clock(direct, '10.0.0.3')]).toEqual([200, 200, 429]);
  });
});

describe('finding 1: reads are bounded', () => {
  it('answers a list with at most maxReadBytes of rows and says there are more; paging reads them all', async () => {
    const collector = await startCollector({ maxReadBytes: 4096, maxLogStorageBytes: 1024 * 1024 });
    for (let i = 0; i < 20; i++) {
      expect((await postJson(`${collector.proxyConfig.collectorURL}generics`, { eventType: 'log', data: `${i}:${'z'.repeat(900)}` })).status).toBe(
        200,
      );
    }
    const first = await fetch(`${collector.url}/api/logs?limit=10000`);
    const text = await first.text();
    expect(text.length).toBeLessThan(4096 + 1200);
    const body = JSON.parse(text) as { logs: { id: number; data: string }[]; more: boolean };
    expect(body.logs.length).toBeGreaterThan(0);
    expect(body.logs.length).toBeLessThan(20);
    expect(body.more).toBe(true);
    const all = [...body.logs];
    for (let round = 0; round < 40 && all.length < 20; round++) {
      const next = await getJson<{ logs: { id: number; data: string }[]; more: boolean }>(`${collector.url}/api/logs?after=${all.at(-1)!.id}`);
      all.push(...next.body.logs);
      if (!next.body.more) break;
    }
    expect(all.map((l) => l.data.split(':')[0])).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });
});

describe("finding 3: a fabric belongs to its user's ucID", () => {
  it("does not let user B terminate user A's fabric or add points to A's series", async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const bob = await join(collector, 'bob', 'room');
    const setup = eventBody({ eventType: 'fabricSetup', connectionID: 'pc-a', delay: 40 });
    expect((await postJson(`${alice.eventsURL}fabric/setup`, setup, alice.token)).status).toBe(200);
    const stats = (t: number, bytes: number) =>
      eventBody({
        eventType: 'stats',
        connectionID: 'pc-a',
        timestamp: 1_795_521_356_000 + t,
        stats: [{ type: 'inbound-rtp', id: 'in', timestamp: 1_795_521_356_000 + t, bytesReceived: bytes }],
      });
    expect((await postJson(`${alice.statsURL}stats`, stats(1000, 1000), alice.token)).status).toBe(200);
    // Bob, with his own token and ucID, names alice's connectionID.
    expect(
      (await postJson(`${bob.eventsURL}fabric/terminated`, eventBody({ eventType: 'fabricTerminated', connectionID: 'pc-a' }), bob.token)).status,
    ).toBe(200);
    expect((await postJson(`${bob.statsURL}stats`, stats(2000, 999_999_999), bob.token)).status).toBe(200);
    expect((await postJson(`${alice.statsURL}stats`, stats(3000, 3000), alice.token)).status).toBe(200);

    const fabrics = await collector.storage.listFabrics('room');
    const byUser = Object.fromEntries(fabrics.map((f) => [f.ucID, f]));
    expect(byUser[alice.ucID]).toMatchObject({ connectionID: 'pc-a', state: 'setup', terminatedAt: null, localID: 'alice' });
    expect(byUser[bob.ucID]).toMatchObject({ connectionID: 'pc-a', state: 'terminated', localID: 'bob' });
    const api = `${collector.url}/api/conferences/room/fabrics/pc-a`;
    expect((await getJson<{ fabric: FabricRecord }>(api)).body.fabric.ucID).toBe(alice.ucID);
    const series = (await getJson<{ series: SeriesPoint[] }>(`${api}/stats`)).body.series;
    // alice's points only: 1000 bytes over 1 s since setup, then 2000 bytes over 2 s.
    expect(series.map((p) => p.bitrateInBps)).toEqual([8000, 8000]);
    const bobs = await getJson<{ fabric: FabricRecord }>(`${api}?ucID=${bob.ucID}`);
    expect(bobs.body.fabric.state).toBe('terminated');
  });
});

describe('finding 7: smaller ones', () => {
  it('answers a body nested thousands deep with 400, logs no error, and keeps serving', async () => {
    const errors: unknown[] = [];
    const collector = await startCollector({ logger: { error: (m, e) => errors.push([m, e]) } });
    const alice = await join(collector, 'alice', 'room');
    const deep = `{"eventType":"log","data":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const generics = await postJson(`${collector.proxyConfig.collectorURL}generics`, deep);
    expect(generics.status).toBe(400);
    expect(await generics.json()).toEqual({ status: 'error', message: 'JSON nested deeper than 64 levels' });
    const event = JSON.stringify(eventBody()).replace('"changedState"', `"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"changedState"`);
    expect((await postJson(`${alice.eventsURL}fabric/statechange`, event, alice.token)).status).toBe(400);
    // Many brackets side by side are not depth: 300 entries, each an object holding an array.
    const wide = JSON.stringify({ eventType: 'log', data: Array.from({ length: 300 }, (_, i) => ({ i, list: [i] })) });
    expect((await postJson(`${collector.proxyConfig.collectorURL}generics`, wide)).status).toBe(200);
    // Brackets inside strings do not count.
    expect((await postJson(`${collector.proxyConfig.collectorURL}generics`, { eventType: 'log', data: '['.repeat(5000) })).status).toBe(200);
    expect((await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token)).status).toBe(200);
    expect(errors).toEqual([]);
  });

  it.each([
    ['1e308', 1e308],
    ['a day ahead', Date.parse('2026-11-25T12:00:00Z')],
    ['negative', -1],
  ])('refuses a %s timestamp with 400 and leaves the conference as it was', async (_name, timestamp) => {
    const collector = await startCollector({ now: () => Date.parse('2026-11-24T12:00:00Z') });
    const alice = await join(collector, 'alice', 'room');
    const before = await collector.storage.getConference('room');
    const body = JSON.stringify({ ...eventBody(), timestamp }).replace('"timestamp":null', '"timestamp":1e308');
    const res = await postJson(`${alice.eventsURL}fabric/statechange`, body, alice.token);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/timestamp/);
    const stats = await postJson(
      `${alice.statsURL}stats`,
      JSON.stringify({ ...eventBody({ eventType: 'stats', stats: [] }), timestamp }).replace('"timestamp":null', '"timestamp":1e308'),
      alice.token,
    );
    expect(stats.status).toBe(400);
    expect(await collector.storage.getConference('room')).toEqual(before);
    expect((await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token)).status).toBe(200);
  });

  it('refuses a bearer token with appended or non-canonical signature characters', async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const [h, p, sig] = alice.token.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes = 43 characters: the last one carries 2 unused bits, flipping one decodes the same.
    const last = alphabet.indexOf(sig.at(-1)!);
    const nonCanonical = sig.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(nonCanonical, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    for (const forged of [`${sig}A`, `${sig}=`, `${sig}!`, `${sig.slice(0, 10)}*${sig.slice(10)}`, nonCanonical]) {
      const res = await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), `${h}.${p}.${forged}`);
      expect(res.status, forged).toBe(401);
    }
    expect((await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token)).status).toBe(200);
    // The same for the app JWT at authenticate.
    const code = appJwtFor('bob');
    const [ch, cp, cs] = code.split('.') as [string, string, string];
    expect((await authenticate(collector, 'bob', `${ch}.${cp}.${cs}A`)).status).toBe(400);
    expect((await authenticate(collector, 'bob', `${ch}.${cp}.${cs.slice(0, -1)}${alphabet[alphabet.indexOf(cs.at(-1)!) ^ 1]}`)).status).toBe(400);
    expect((await authenticate(collector, 'bob', code)).status).toBe(200);
  });

  it('refuses an app JWT without exp (or with a far one) for an app that requires exp', async () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    const collector = await startCollector({ now: () => now, apps: { [APP_ID]: { secret: SECRET, requireExp: true, maxJwtLifetimeSeconds: 3600 } } });
    const claims = { userID: 'alice', appID: APP_ID, generateTurnCredentials: false };
    const noExp = await authenticate(collector, 'alice', makeAppJwt(SECRET, claims));
    expect(noExp.status).toBe(400);
    expect(JSON.stringify(await noExp.json())).toMatch(/no exp/);
    expect((await authenticate(collector, 'alice', makeAppJwt(SECRET, { ...claims, exp: now / 1000 + 7200 }))).status).toBe(400);
    expect((await authenticate(collector, 'alice', makeAppJwt(SECRET, { ...claims, exp: now / 1000 - 1 }))).status).toBe(400);
    expect((await authenticate(collector, 'alice', makeAppJwt(SECRET, { ...claims, exp: now / 1000 + 600 }))).status).toBe(200);
  });

  it('says "disk full" (507) when the database is full, and loses nothing it acknowledged', async () => {
    const dataDir = mkdtempSync(joinPath(tmpdir(), 'shims-collector-full-'));
    dirs.push(dataDir);
    const errors: string[] = [];
    const logger = { error: (m: string) => errors.push(m) };
    const collector = await startCollector({ dataDir, maxStorageBytes: 256 * 1024, logger });
    const alice = await join(collector, 'alice', 'room');
    const acknowledged: number[] = [];
    let full: Response | undefined;
    for (let i = 0; i < 200 && !full; i++) {
      const res = await postJson(`${alice.eventsURL}fabric/statechange`, eventBody({ seq: i, pad: 'p'.repeat(8000) }), alice.token);
      if (res.status === 200) acknowledged.push(i);
      else full = res;
    }
    expect(full?.status).toBe(507);
    expect(await full!.json()).toEqual({ status: 'error', message: expect.stringMatching(/^disk full/) });
    expect(errors.join('\n')).toMatch(/disk full/);
    expect(errors.join('\n')).not.toMatch(/rollback/);
    expect(acknowledged.length).toBeGreaterThan(5);
    await collector.close();
    const reopened = await startCollector({ dataDir });
    const events = await reopened.storage.listEvents({ conferenceID: 'room', eventType: 'fabricStateChange', limit: 10_000 });
    expect(events.map((e) => (e.body as { seq: number }).seq)).toEqual(acknowledged);
  });
});

describe('a fabric row stays small', () => {
  it('keeps the last 50 failures, each message cut at 4 KiB, while every event is stored', async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    for (let i = 0; i < 60; i++) {
      const res = await postJson(
        `${alice.eventsURL}fabric/setupfailed`,
        eventBody({
          eventType: 'fabricSetupFailed',
          connectionID: 'pc-f',
          reason: 'NegotiationFailure',
          function: 'createOffer',
          message: `${i}:${'m'.repeat(10_000)}`,
        }),
        alice.token,
      );
      expect(res.status).toBe(200);
    }
    const [fabric] = await collector.storage.listFabrics('room');
    expect(fabric!.failures).toHaveLength(50);
    expect(fabric!.failures[0]!.message!.startsWith('10:')).toBe(true);
    expect(fabric!.failures.every((f) => f.message!.length === 4096)).toBe(true);
    expect(await collector.storage.listEvents({ conferenceID: 'room', eventType: 'fabricSetupFailed' })).toHaveLength(60);
  });
});
