import { describe, expect, it } from 'vitest';
import type { EventRecord, FabricRecord, SeriesPoint } from '../src/index.js';
import { APP_ID, eventBody, getJson, join, postJson, startCollector, tokenFor } from './helpers.js';

describe('collector routes', () => {
  it('answers clockSync with the collector clock', async () => {
    const collector = await startCollector({ now: () => 1_234_567 });
    expect(await getJson(`${collector.proxyConfig.collectorURL}clockSync`)).toEqual({ status: 200, body: { now: 1_234_567 } });
  });

  it('stores the library logs posted to generics, without auth', async () => {
    const collector = await startCollector();
    const log = { appID: 123456789, userID: 'alice', version: '3.73.16', eventType: 'log', data: { msg: 'Starting clockSync' } };
    const res = await postJson(`${collector.proxyConfig.collectorURL}generics`, log);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success' });
    expect(await collector.storage.listLogs()).toEqual([
      expect.objectContaining({ appID: APP_ID, userID: 'alice', version: '3.73.16', eventType: 'log', data: { msg: 'Starting clockSync' } }),
    ]);
    const api = await getJson<{ logs: unknown[] }>(`${collector.url}/api/logs`);
    expect(api.body.logs).toHaveLength(1);
  });

  it('answers the app settings routes with {} for a bearer of the app', async () => {
    const collector = await startCollector();
    const token = await tokenFor(collector, 'alice');
    const cfg = `${collector.proxyConfig.appSettingsURL}${APP_ID}/configurations`;
    expect(await getJson(`${cfg}/internal`, token)).toEqual({ status: 200, body: {} });
    expect(await getJson(cfg, token)).toEqual({ status: 200, body: {} });
    const posted = await postJson(cfg, { app_id: APP_ID, local_id: 'alice', rtc_rtp_parameters: {} }, token);
    expect([posted.status, await posted.json()]).toEqual([200, {}]);
  });
});

describe('events', () => {
  it('gives one stable ucID per conference and user', async () => {
    const collector = await startCollector();
    const first = await join(collector, 'alice', 'room 1/a');
    const again = await join(collector, 'alice', 'room 1/a');
    const bob = await join(collector, 'bob', 'room 1/a');
    const elsewhere = await join(collector, 'alice', 'room 2');
    expect(again.ucID).toBe(first.ucID);
    expect(new Set([first.ucID, bob.ucID, elsewhere.ucID]).size).toBe(3);
    const { body } = await getJson<{ conferences: { conferenceID: string; users: { userID: string; ucID: string }[] }[] }>(
      `${collector.url}/api/conferences`,
    );
    expect(body.conferences.map((c) => c.conferenceID)).toEqual(['room 1/a', 'room 2']);
    expect(body.conferences[0]!.users.map((u) => [u.userID, u.ucID])).toEqual([
      ['alice', first.ucID],
      ['bob', bob.ucID],
    ]);
    const one = await getJson<{ conference: { conferenceID: string } }>(`${collector.url}/api/conferences/${encodeURIComponent('room 1/a')}`);
    expect(one).toMatchObject({ status: 200, body: { conference: { conferenceID: 'room 1/a' } } });
  });

  it('accepts every event suffix callstats.js uses and keeps arrival order', async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const suffixes = [
      'userdetails',
      'devices/list',
      'fabric/statechange',
      'fabric/setup',
      'fabric/actions',
      'fabric/disruptions',
      'fabric/details',
      'fabric/transportchange',
      'fabric/status',
      'media/actions',
      'media/pipeline',
      'sdp',
      'ssrcmap',
      'user/alive',
      'ice/status',
      'app/logs',
      'dominantspeaker',
      'feedback',
      'customevent',
      'conferencesummary',
      'fabric/setupfailed',
      'fabric/terminated',
      'user/left',
    ];
    for (const [i, suffix] of suffixes.entries()) {
      const res = await postJson(`${alice.eventsURL}${suffix}`, eventBody({ eventType: `e${i}-${suffix}`, timestamp: 1_000 + i }), alice.token);
      expect([suffix, res.status, await res.json()]).toEqual([suffix, 200, { status: 'success' }]);
    }
    const { body } = await getJson<{ events: EventRecord[] }>(`${collector.url}/api/conferences/room/events`);
    expect(body.events.map((e) => e.suffix)).toEqual(['', ...suffixes]);
    expect(body.events.map((e) => e.eventType)).toEqual(['userJoined', ...suffixes.map((s, i) => `e${i}-${s}`)]);
    expect(body.events.map((e) => e.id)).toEqual([...body.events.map((e) => e.id)].sort((a, b) => a - b));
  });

  it('refuses an unknown suffix with 404', async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const res = await postJson(`${alice.eventsURL}fabric/nonsense`, eventBody(), alice.token);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 'error', message: expect.stringMatching(/no route/) });
  });

  it('tracks each fabric: setup delay, failures, termination', async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const send = async (suffix: string, body: Record<string, unknown>): Promise<void> => {
      const res = await postJson(`${alice.eventsURL}${suffix}`, eventBody(body), alice.token);
      expect(res.status, await res.clone().text()).toBe(200);
    };
    await send('fabric/statechange', { connectionID: 'pc-1', timestamp: 10 });
    await send('fabric/setup', {
      eventType: 'fabricSetup',
      connectionID: 'pc-1',
      timestamp: 20,
      delay: 47.3,
      iceGatheringDelay: 1,
      iceConnectivityDelay: 41.3,
    });
    await send('fabric/setupfailed', {
      eventType: 'fabricSetupFailed',
      connectionID: 'pc-1',
      timestamp: 25,
      reason: 'SignalingFailure',
      function: 'setRemoteDescription',
      message: 'bad sdp',
    });
    await send('fabric/terminated', { eventType: 'fabricTerminated', connectionID: 'pc-1', timestamp: 30 });
    await send('fabric/setupfailed', {
      eventType: 'fabricSetupFailed',
      connectionID: 'pc-2',
      remoteID: 'carol',
      timestamp: 40,
      reason: 'NegotiationFailure',
      function: 'createOffer',
      message: 'no',
    });
    await send('fabric/statechange', { connectionID: 'pc-3', timestamp: 50 });
    const { body } = await getJson<{ fabrics: FabricRecord[] }>(`${collector.url}/api/conferences/room/fabrics`);
    expect(body.fabrics).toEqual([
      expect.objectContaining({
        connectionID: 'pc-1',
        localID: 'alice',
        remoteID: 'bob',
        state: 'terminated',
        firstSeen: 10,
        lastSeen: 30,
        setupAt: 20,
        setupDelayMs: 47.3,
        iceConnectivityDelayMs: 41.3,
        terminatedAt: 30,
        failures: [{ timestamp: 25, reason: 'SignalingFailure', function: 'setRemoteDescription', message: 'bad sdp' }],
      }),
      expect.objectContaining({
        connectionID: 'pc-2',
        remoteID: 'carol',
        state: 'failed',
        setupDelayMs: null,
        failures: [expect.objectContaining({ reason: 'NegotiationFailure', function: 'createOffer' })],
      }),
      expect.objectContaining({ connectionID: 'pc-3', state: 'pending' }),
    ]);
    const one = await getJson<{ fabric: FabricRecord }>(`${collector.url}/api/conferences/room/fabrics/pc-2`);
    expect(one.body.fabric.state).toBe('failed');
    const events = await getJson<{ events: EventRecord[] }>(`${collector.url}/api/conferences/room/fabrics/pc-1/events`);
    expect(events.body.events.map((e) => e.suffix)).toEqual(['fabric/statechange', 'fabric/setup', 'fabric/setupfailed', 'fabric/terminated']);
    const filtered = await getJson<{ events: EventRecord[] }>(`${collector.url}/api/conferences/room/events?type=fabricSetupFailed`);
    expect(filtered.body.events.map((e) => e.connectionID)).toEqual(['pc-1', 'pc-2']);
    const paged = await getJson<{ events: EventRecord[] }>(`${collector.url}/api/conferences/room/events?after=${events.body.events[1]!.id}&limit=2`);
    expect(paged.body.events.map((e) => e.suffix)).toEqual(['fabric/setupfailed', 'fabric/terminated']);
  });

  it('stores stats batches and their series, and custom stats', async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    await postJson(`${alice.eventsURL}fabric/setup`, eventBody({ eventType: 'fabricSetup', timestamp: 1_000 }), alice.token);
    const batch = (t: number, bytes: number): Record<string, unknown> =>
      eventBody({
        eventType: 'stats',
        timestamp: t,
        stats: [
          { type: 'inbound-rtp', id: 'IT1', timestamp: t, bytesReceived: bytes, packetsLost: 1, jitter: 0.002 },
          { type: 'outbound-rtp', id: 'OT1', timestamp: t, bytesSent: bytes * 2 },
        ],
      });
    for (const [t, bytes] of [
      [6_000, 5_000],
      [11_000, 15_000],
    ] as const) {
      const res = await postJson(`${alice.statsURL}stats`, batch(t, bytes), alice.token);
      expect([res.status, await res.json()]).toEqual([200, { status: 'success' }]);
    }
    const custom = await postJson(
      `${alice.statsURL}customstats`,
      eventBody({ eventType: 'customStats', stats: [{ name: 'noiseDb', value: 3 }] }),
      alice.token,
    );
    expect(custom.status).toBe(200);
    const { body } = await getJson<{ series: SeriesPoint[] }>(`${collector.url}/api/conferences/room/fabrics/pc-1/stats`);
    expect(body.series).toEqual([
      expect.objectContaining({ timestamp: 6_000, bitrateInBps: 8_000, bitrateOutBps: 16_000, packetsLost: 1, jitterMs: 2 }),
      expect.objectContaining({ timestamp: 11_000, bitrateInBps: 16_000, bitrateOutBps: 32_000 }),
    ]);
  });
});

describe('HTTP', () => {
  it('answers a CORS preflight and puts CORS headers on every answer', async () => {
    const collector = await startCollector();
    const preflight = await fetch(`${collector.proxyConfig.restEventURL}${APP_ID}/conferences/room`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    for (const res of [
      await fetch(`${collector.proxyConfig.collectorURL}clockSync`),
      await fetch(`${collector.url}/nowhere`, { headers: { origin: 'http://other.test' } }),
      await postJson(`${collector.proxyConfig.restEventURL}${APP_ID}/conferences/room`, {}),
    ]) {
      expect(res.headers.get('access-control-allow-origin'), res.url).toMatch(/^(\*|http:\/\/other\.test)$/);
    }
  });

  it('answers 404 for unknown paths and 405 for a wrong method, as JSON', async () => {
    const collector = await startCollector();
    const missing = await fetch(`${collector.url}/nowhere`);
    expect([missing.status, await missing.json()]).toEqual([404, { status: 'error', message: 'no route for GET /nowhere' }]);
    const wrong = await fetch(`${collector.proxyConfig.collectorURL}clockSync`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toMatch(/GET/);
    const readOnly = await fetch(`${collector.url}/api/conferences`, { method: 'POST' });
    expect(readOnly.status).toBe(405);
  });

  it('answers 404 from the query API for an unknown conference or fabric', async () => {
    const collector = await startCollector();
    await join(collector, 'alice', 'room');
    expect((await getJson(`${collector.url}/api/conferences/nope/fabrics`)).status).toBe(404);
    expect((await getJson(`${collector.url}/api/conferences/room/fabrics/nope/stats`)).status).toBe(404);
    expect((await getJson(`${collector.url}/api/conferences/room/events?limit=x`)).status).toBe(400);
    expect((await getJson(`${collector.url}/api/conferences/room`)).body).toMatchObject({ conference: { conferenceID: 'room', fabricCount: 0 } });
  });
});
