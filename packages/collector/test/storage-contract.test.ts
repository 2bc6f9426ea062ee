// The CollectorStorage contract, written once and run against every driver: SQLite in memory,
// SQLite in a file with its writer thread, and PostgreSQL on a real server. Each expectation is
// an exact value, so a driver that answers differently from the others fails here.
import { describe, expect, it } from 'vitest';
import type { CollectorStorage, EventInput, JoinUserInput, StatsInput } from '../src/storage/storage.js';
import { POSTGRES, SQLITE, SQLITE_FILE } from './storage-drivers.js';

const APP = '123456789';

function joinInput(overrides: Partial<JoinUserInput> = {}): JoinUserInput {
  return {
    appID: APP,
    conferenceID: 'room',
    userID: 'alice',
    deviceID: 'dev-1',
    endpointInfo: { type: 'browser', os: 'Linux' },
    timestamp: 1_000.5,
    receivedAt: 1_000,
    body: { eventType: 'userJoined', localID: 'alice' },
    ...overrides,
  };
}

async function joined(storage: CollectorStorage, overrides: Partial<JoinUserInput> = {}): Promise<string> {
  const result = await storage.joinUser(joinInput(overrides));
  if (!result.ok) throw new Error('join failed');
  return result.user.ucID;
}

const event = (ucID: string, suffix: string, body: Record<string, unknown>, timestamp: number, connectionID: string | null = 'pc-1'): EventInput => ({
  appID: APP,
  conferenceID: 'room',
  ucID,
  connectionID,
  remoteID: connectionID === null ? null : 'bob',
  suffix,
  eventType: String(body.eventType ?? suffix),
  timestamp,
  receivedAt: timestamp + 1,
  body,
});

/** A stats batch as callstats.js sends it (its exact text in `raw`), bytes moved by `n`. */
function stats(ucID: string, n: number, extra: Record<string, unknown>[] = []): StatsInput {
  const timestamp = 10_000 + n * 5_000;
  const entries = [
    {
      type: 'inbound-rtp',
      id: 'IT1',
      kind: 'audio',
      timestamp,
      bytesReceived: 10_000 * (n + 1),
      packetsReceived: 100 * (n + 1),
      packetsLost: n,
      jitter: 0.004,
    },
    { type: 'outbound-rtp', id: 'OT1', kind: 'audio', timestamp, bytesSent: 8_000 * (n + 1), packetsSent: 90 * (n + 1) },
    ...extra,
  ];
  const body = { eventType: 'stats', connectionID: 'pc-1', remoteID: 'bob', timestamp, localID: 'alice' };
  const raw = JSON.stringify({ ...body, stats: entries }, null, n % 2);
  return {
    appID: APP,
    conferenceID: 'room',
    ucID,
    connectionID: 'pc-1',
    remoteID: 'bob',
    kind: 'stats',
    timestamp,
    receivedAt: timestamp + 3,
    stats: entries,
    body,
    raw,
  };
}

describe.each([SQLITE, SQLITE_FILE, POSTGRES])('CollectorStorage on $name', (driver) => {
  it('joins a user once: the same ucID, conference seen from first to last', async () => {
    const storage = await driver.open();
    const first = await storage.joinUser(joinInput());
    const again = await storage.joinUser(joinInput({ timestamp: 500.25, receivedAt: 2_000 }));
    expect(first).toEqual({
      ok: true,
      created: true,
      user: {
        ucID: expect.stringMatching(/^[\w-]{16}$/),
        appID: APP,
        conferenceID: 'room',
        userID: 'alice',
        deviceID: 'dev-1',
        endpointInfo: { type: 'browser', os: 'Linux' },
        joinedAt: 1_000.5,
      },
    });
    expect(again).toEqual({ ...first, created: false });
    const ucID = first.ok ? first.user.ucID : '';
    expect(await storage.findUser('room', ucID)).toEqual(first.ok && first.user);
    expect(await storage.findUser('other-room', ucID)).toBeUndefined();
    expect(await storage.listConferences()).toEqual([
      {
        conferenceID: 'room',
        appID: APP,
        firstSeen: 500.25,
        lastSeen: 1_000.5,
        fabricCount: 0,
        users: [{ ucID, userID: 'alice', deviceID: 'dev-1', endpointInfo: { type: 'browser', os: 'Linux' }, joinedAt: 1_000.5 }],
      },
    ]);
    // Each join is an event of the conference.
    expect((await storage.listEvents({ conferenceID: 'room' })).map((e) => [e.eventType, e.ucID, e.connectionID, e.timestamp])).toEqual([
      ['userJoined', ucID, null, 1_000.5],
      ['userJoined', ucID, null, 500.25],
    ]);
  });

  it('moves a fabric through its states and keeps its delays and failures', async () => {
    const storage = await driver.open();
    const ucID = await joined(storage);
    await storage.addEvent(event(ucID, 'fabric/statechange', { eventType: 'fabricStateChange', newState: 'checking' }, 2_000));
    await storage.addEvent(
      event(ucID, 'fabric/setup', { eventType: 'fabricSetup', delay: 350, iceGatheringDelay: 20.5, iceConnectivityDelay: 80 }, 3_000),
    );
    await storage.addEvent(
      event(
        ucID,
        'fabric/setupfailed',
        { eventType: 'fabricSetupFailed', reason: 'IceConnectionFailure', name: 'x', message: 'ice ✗ failed' },
        3_500,
        'pc-2',
      ),
    );
    await storage.addEvent(event(ucID, 'fabric/terminated', { eventType: 'fabricTerminated' }, 9_000));
    const fabrics = await storage.listFabrics('room');
    expect(fabrics).toEqual([
      {
        appID: APP,
        conferenceID: 'room',
        connectionID: 'pc-1',
        ucID,
        localID: 'alice',
        remoteID: 'bob',
        state: 'terminated',
        firstSeen: 2_000,
        lastSeen: 9_000,
        setupAt: 3_000,
        setupDelayMs: 350,
        iceGatheringDelayMs: 20.5,
        iceConnectivityDelayMs: 80,
        terminatedAt: 9_000,
        failures: [],
        receiverReports: 'unknown',
      },
      expect.objectContaining({
        connectionID: 'pc-2',
        state: 'failed',
        setupAt: null,
        terminatedAt: null,
        failures: [expect.objectContaining({ timestamp: 3_500 })],
      }),
    ]);
    expect(fabrics[1]!.failures[0]!.message).toMatch(/ice ✗ failed/);
    expect(await storage.listFabrics('room', '999')).toEqual([]);
    expect((await storage.listConferences())[0]).toMatchObject({ fabricCount: 2, firstSeen: 1_000.5, lastSeen: 9_000 });
    expect(storage.liveFabrics ? typeof storage.liveFabrics() : 'number').toBe('number');
  });

  it('lists events by fabric, user, type, after an id, by limit and by a byte budget', async () => {
    const storage = await driver.open();
    const alice = await joined(storage);
    const bob = await joined(storage, { userID: 'bob', timestamp: 1_100 });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(
        await storage.addEvent(
          event(
            i % 2 ? bob : alice,
            'fabric/statechange',
            { eventType: i % 3 ? 'fabricStateChange' : 'iceConnectionStateChange', i, pad: 'x'.repeat(100) },
            2_000 + i,
            `pc-${i % 2}`,
          ),
        ),
      );
    }
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const all = await storage.listEvents({ conferenceID: 'room' });
    expect(all.map((e) => e.id)).toEqual([all[0]!.id, all[1]!.id, ...ids]);
    expect(all.at(-1)).toEqual({
      id: ids[5],
      conferenceID: 'room',
      ucID: bob,
      connectionID: 'pc-1',
      eventType: 'fabricStateChange',
      suffix: 'fabric/statechange',
      timestamp: 2_005,
      receivedAt: 2_006,
      body: { eventType: 'fabricStateChange', i: 5, pad: 'x'.repeat(100) },
    });
    const bodies = async (query: Parameters<CollectorStorage['listEvents']>[0]): Promise<unknown[]> =>
      (await storage.listEvents(query)).map((e) => (e.body as { i?: number }).i ?? 'join');
    expect(await bodies({ conferenceID: 'room', connectionID: 'pc-1' })).toEqual([1, 3, 5]);
    expect(await bodies({ conferenceID: 'room', ucID: alice })).toEqual(['join', 0, 2, 4]);
    expect(await bodies({ conferenceID: 'room', eventType: 'iceConnectionStateChange' })).toEqual([0, 3]);
    expect(await bodies({ conferenceID: 'room', afterID: ids[2] })).toEqual([3, 4, 5]);
    expect(await bodies({ conferenceID: 'room', afterID: ids[0], limit: 2 })).toEqual([1, 2]);
    expect(await bodies({ conferenceID: 'room', appID: '1' })).toEqual([]);
    // Each event row costs its body's text plus 128: a budget of 400 holds one 250-byte row, never none.
    expect(await bodies({ conferenceID: 'room', afterID: ids[0], maxBytes: 400 })).toEqual([1]);
    expect(await bodies({ conferenceID: 'room', afterID: ids[0], maxBytes: 1 })).toEqual([1]);
    expect(await bodies({ conferenceID: 'room', afterID: ids[0], maxBytes: 600 })).toEqual([1, 2]);
  });

  it('keeps each stats batch exactly, derives its series point and counts receiver reports', async () => {
    const storage = await driver.open();
    const ucID = await joined(storage);
    await storage.addEvent(event(ucID, 'fabric/setup', { eventType: 'fabricSetup', delay: 100 }, 5_000));
    const report = { type: 'remote-inbound-rtp', id: 'RI1', localId: 'OT1', kind: 'audio', timestamp: 0, roundTripTime: 0.05, jitter: 0.002 };
    const inputs = [stats(ucID, 0), stats(ucID, 1, [report]), stats(ucID, 2)];
    const ids: number[] = [];
    for (const input of inputs) ids.push(await storage.addStats(input));
    const custom = await storage.addStats({ ...stats(ucID, 3), kind: 'customstats', raw: undefined, stats: [{ custom: 1 }], body: { a: 'b' } });
    const batches = await storage.listStatsBatches({ conferenceID: 'room', connectionID: 'pc-1' });
    expect(batches.map((b) => b.id)).toEqual([...ids, custom]);
    expect(batches.map((b) => b.raw)).toEqual([...inputs.map((i) => i.raw), undefined]);
    expect(batches[1]).toEqual({
      id: ids[1],
      appID: APP,
      conferenceID: 'room',
      ucID,
      connectionID: 'pc-1',
      kind: 'stats',
      timestamp: 15_000,
      receivedAt: 15_003,
      stats: inputs[1]!.stats,
      body: inputs[1]!.body,
      raw: inputs[1]!.raw,
    });
    expect(batches[3]).toMatchObject({ kind: 'customstats', stats: [{ custom: 1 }], body: { a: 'b' } });
    const series = await storage.listSeries({ conferenceID: 'room', connectionID: 'pc-1' });
    expect(series.map((p) => p.batchID)).toEqual(ids.slice(series.length === 3 ? 0 : 1));
    const last = series.at(-1)!;
    expect(last).toEqual({
      batchID: ids[2],
      timestamp: 20_000,
      bitrateInBps: 16_000,
      bitrateOutBps: 12_800,
      packetsLost: 2,
      jitterMs: 4,
      rttMs: null,
    });
    expect(series.find((p) => p.batchID === ids[1])?.rttMs).toBe(50);
    expect(await storage.listSeries({ conferenceID: 'room', connectionID: 'pc-1', afterID: ids[1] })).toEqual([last]);
    expect(await storage.listSeries({ conferenceID: 'room', connectionID: 'pc-1', ucID: 'nobody' })).toEqual([]);
    expect(await storage.listStatsBatches({ conferenceID: 'room', connectionID: 'pc-1', afterID: ids[0], limit: 1 })).toEqual([batches[1]]);
    expect((await storage.listStatsBatches({ conferenceID: 'room', connectionID: 'pc-1', maxBytes: 1 })).map((b) => b.id)).toEqual([ids[0]]);
    expect((await storage.listFabrics('room'))[0]).toMatchObject({ receiverReports: 'present', setupAt: 5_000 });
  });

  it('pages through conferences newest first by the oldest of the previous page, apps apart', async () => {
    const storage = await driver.open();
    for (const [i, room] of ['r0', 'r1', 'r2', 'r3', 'r4'].entries()) await joined(storage, { conferenceID: room, timestamp: 1_000 + (i % 3) });
    // The same conference ID in another app is another conference.
    await joined(storage, { appID: '42', conferenceID: 'r1', timestamp: 900 });
    const ids = (list: { conferenceID: string; appID: string }[]): string[] => list.map((c) => `${c.appID}/${c.conferenceID}`);
    // first_seen: r0 1000, r3 1000, r1 1001, r4 1001, r2 1002, 42/r1 900; creation order breaks ties.
    expect(ids(await storage.listConferences())).toEqual(['42/r1', `${APP}/r0`, `${APP}/r3`, `${APP}/r1`, `${APP}/r4`, `${APP}/r2`]);
    const page1 = await storage.listConferences({ limit: 2 });
    expect(ids(page1)).toEqual([`${APP}/r4`, `${APP}/r2`]);
    const page2 = await storage.listConferences({ limit: 2, before: page1[0]! });
    expect(ids(page2)).toEqual([`${APP}/r3`, `${APP}/r1`]);
    const page3 = await storage.listConferences({ limit: 2, before: page2[0]! });
    expect(ids(page3)).toEqual(['42/r1', `${APP}/r0`]);
    expect(await storage.listConferences({ limit: 2, before: page3[0]! })).toEqual([]);
    expect(await storage.listConferences({ before: { appID: APP, conferenceID: 'nowhere' } })).toEqual([]);
    expect((await storage.getConference('r1'))?.appID).toBe('42');
    expect((await storage.getConference('r1', APP))?.appID).toBe(APP);
    expect(await storage.getConference('r1', '7')).toBeUndefined();
  });

  it('keeps the newest library log lines within their byte budget', async () => {
    const storage = await driver.open({ maxLogBytes: 2_000 });
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(
        await storage.addLog({
          appID: APP,
          userID: 'alice',
          version: '3.73.16',
          eventType: 'log',
          data: { i, text: 'y'.repeat(200) },
          receivedAt: i,
        }),
      );
    }
    const logs = await storage.listLogs();
    expect(logs.length).toBeGreaterThan(2);
    expect(logs.length).toBeLessThan(12);
    expect(logs.at(-1)).toEqual({
      id: ids[11],
      appID: APP,
      userID: 'alice',
      version: '3.73.16',
      eventType: 'log',
      data: { i: 11, text: 'y'.repeat(200) },
      receivedAt: 11,
    });
    expect(logs.map((l) => l.id)).toEqual(ids.slice(12 - logs.length));
    expect((await storage.listLogs({ afterID: ids[10] })).map((l) => l.id)).toEqual([ids[11]]);
  });

  it('commits writes that arrive together, each once, and rolls back a failing one alone', async () => {
    const storage = await driver.open();
    const ucID = await joined(storage);
    const writes = Array.from({ length: 40 }, (_, i) =>
      storage.addEvent(event(ucID, 'fabric/statechange', { eventType: 'fabricStateChange', i }, 2_000 + i, `pc-${i % 4}`)),
    );
    const ids = await Promise.all(writes);
    expect(new Set(ids).size).toBe(40);
    const events = await storage.listEvents({ conferenceID: 'room', afterID: Math.min(...ids) - 1 });
    expect(events.map((e) => (e.body as { i: number }).i).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(await storage.listFabrics('room')).toHaveLength(4);
    // A fabric event of an unknown user breaks its fabric's foreign key: that write alone fails.
    const [good, bad] = await Promise.allSettled([
      storage.addEvent(event(ucID, 'fabric/statechange', { eventType: 'fabricStateChange', i: 'good' }, 3_000)),
      storage.addEvent(event('no-such-user', 'fabric/statechange', { eventType: 'fabricStateChange', i: 'bad' }, 3_001)),
    ]);
    expect(good.status).toBe('fulfilled');
    expect(bad.status).toBe('rejected');
    const bodies = (await storage.listEvents({ conferenceID: 'room' })).map((e) => (e.body as { i?: unknown }).i);
    expect(bodies).toContain('good');
    expect(bodies).not.toContain('bad');
  });

  it('purges what arrived before a time, and conferences left empty', async () => {
    const storage = await driver.open();
    const old = await joined(storage, { conferenceID: 'old', receivedAt: 100 });
    await storage.addEvent({ ...event(old, 'fabric/statechange', { eventType: 'x' }, 150), conferenceID: 'old', receivedAt: 150 });
    const ucID = await joined(storage, { receivedAt: 5_000 });
    await storage.addStats({ ...stats(ucID, 0), receivedAt: 200 });
    await storage.addStats({ ...stats(ucID, 1), receivedAt: 6_000 });
    await storage.addLog({ appID: null, userID: null, version: null, eventType: 'log', data: 'old', receivedAt: 10 });
    const { deleted } = await storage.purge!(1_000);
    // old: its join, its event and the conference; room: nothing (its first batch is the dictionary of the second); one log.
    expect(deleted).toBe(4);
    expect((await storage.listConferences()).map((c) => c.conferenceID)).toEqual(['room']);
    expect((await storage.listStatsBatches({ conferenceID: 'room', connectionID: 'pc-1' })).map((b) => b.raw)).toEqual([
      stats(ucID, 0).raw,
      stats(ucID, 1).raw,
    ]);
    expect(await storage.listLogs()).toEqual([]);
    expect(storage.sizeBytes?.()).toBeGreaterThan(0);
  });
});
