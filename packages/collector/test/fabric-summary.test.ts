// The per-user, per-fabric summary: the figures from made-up series (each case says what it pins),
// then the query route over what the real callstats.js sent in a PeerJS call.
import { describe, expect, it } from 'vitest';
import { IMPAIRMENT_THRESHOLDS, summarizeConference, summarizeFabric, type FabricData } from '../src/fabric-summary.js';
import type { ConferenceSummaryAnswer } from '../src/query-api-types.js';
import type { ConferenceSummary, FabricRecord, SeriesPoint } from '../src/storage/storage.js';
import { getJson, replaySample, startCollector } from './helpers.js';

const SETUP = 1_000_000;

function fabric(overrides: Partial<FabricRecord> = {}): FabricRecord {
  return {
    conferenceID: 'room',
    connectionID: 'pc-1',
    ucID: 'uc-alice',
    localID: 'alice',
    remoteID: 'bob',
    state: 'terminated',
    firstSeen: SETUP - 100,
    lastSeen: SETUP + 60_000,
    setupAt: SETUP,
    setupDelayMs: 120,
    iceGatheringDelayMs: 100,
    iceConnectivityDelayMs: 110,
    terminatedAt: SETUP + 60_000,
    failures: [],
    receiverReports: 'present',
    ...overrides,
  };
}

/** A point `seconds` after setup. */
function point(seconds: number, values: Partial<SeriesPoint> = {}): SeriesPoint {
  return {
    batchID: seconds,
    timestamp: SETUP + seconds * 1000,
    bitrateInBps: 24_000,
    bitrateOutBps: 24_000,
    packetsLost: 0,
    jitterMs: 1,
    rttMs: 1,
    ...values,
  };
}

const data = (series: SeriesPoint[], overrides: Partial<FabricRecord> = {}, media = true): FabricData => ({
  fabric: fabric(overrides),
  series,
  media,
});

describe('summarizeFabric', () => {
  it('gives median and worst: the lowest bitrate, the highest jitter and RTT', () => {
    const summary = summarizeFabric(
      data([
        point(10, { bitrateInBps: 30_000, jitterMs: 2, rttMs: 4 }),
        point(15, { bitrateInBps: 10_000, jitterMs: 8, rttMs: 1 }),
        point(20, { bitrateInBps: 20_000, jitterMs: 4, rttMs: 2 }),
        point(25, { bitrateInBps: null, bitrateOutBps: 5_000, jitterMs: 6, rttMs: 3 }),
      ]),
    );
    expect(summary).toMatchObject({
      points: 4,
      setupDelayMs: 120,
      failures: 0,
      media: true,
      bitrateInBps: { median: 20_000, worst: 10_000 },
      bitrateOutBps: { median: 24_000, worst: 5_000 },
      jitterMs: { median: 5, worst: 8 },
      rttMs: { median: 2.5, worst: 4 },
      packetsLost: 0,
      impairedMs: 0,
      impaired: [],
    });
  });

  it('counts the intervals in which packets were lost as impaired, joined into one span', () => {
    const summary = summarizeFabric(
      data([point(10), point(15), point(20, { packetsLost: 40 }), point(25, { packetsLost: 90 }), point(30, { packetsLost: 91 })]),
    );
    // 40 in 5 s and 50 in 5 s are over 1 packet/s; 1 in 5 s is not.
    expect(summary.impaired).toEqual([{ fromMs: 15_000, toMs: 25_000, causes: ['loss'] }]);
    expect(summary.impairedMs).toBe(10_000);
    expect(summary.packetsLost).toBe(91);
  });

  it('flags jitter and RTT at their thresholds, and keeps separate spans apart', () => {
    const { jitterMs, rttMs } = IMPAIRMENT_THRESHOLDS;
    const summary = summarizeFabric(data([point(10, { jitterMs }), point(15), point(20, { rttMs }), point(25, { rttMs, jitterMs: jitterMs - 1 })]));
    expect(summary.impaired).toEqual([
      { fromMs: 0, toMs: 10_000, causes: ['jitter'] },
      { fromMs: 15_000, toMs: 25_000, causes: ['rtt'] },
    ]);
    expect(summary.impairedMs).toBe(20_000);
  });

  it('reads a count that went down as restarted, not as negative loss', () => {
    const summary = summarizeFabric(data([point(10, { packetsLost: 50 }), point(15, { packetsLost: 2 }), point(20, { packetsLost: 3 })]));
    expect(summary.impaired).toEqual([{ fromMs: 0, toMs: 10_000, causes: ['loss'] }]);
  });

  it('leaves the figures empty for a fabric without stats (a data channel), with its failures counted', () => {
    const failure = { timestamp: SETUP, reason: 'SignalingError', function: 'createOffer', message: 'no' };
    const summary = summarizeFabric(data([], { setupAt: null, setupDelayMs: null, state: 'failed', failures: [failure] }, false));
    expect(summary).toMatchObject({
      media: false,
      state: 'failed',
      setupDelayMs: null,
      failures: 1,
      points: 0,
      bitrateInBps: { median: null, worst: null },
      packetsLost: null,
      jitterMs: { median: null, worst: null },
      impairedMs: 0,
    });
  });
});

describe('summarizeConference', () => {
  it("puts each fabric under its user, in the conference's user order", () => {
    const user = (ucID: string, userID: string) => ({ ucID, userID, deviceID: null, endpointInfo: null, joinedAt: SETUP });
    const conference: ConferenceSummary = {
      conferenceID: 'room',
      appID: 'app',
      firstSeen: SETUP,
      lastSeen: SETUP,
      users: [user('uc-bob', 'bob'), user('uc-alice', 'alice')],
      fabricCount: 3,
    };
    const summary = summarizeConference(conference, [
      data([point(10)], { connectionID: 'a1' }),
      data([point(10)], { connectionID: 'b1', ucID: 'uc-bob', localID: 'bob', remoteID: 'alice' }),
      data([], { connectionID: 'x1', ucID: 'uc-unknown', localID: 'carol' }),
    ]);
    expect(summary.users.map((u) => [u.userID, u.fabrics.map((f) => f.connectionID)])).toEqual([
      ['bob', ['b1']],
      ['alice', ['a1']],
      ['carol', ['x1']],
    ]);
    expect(summary.thresholds).toEqual(IMPAIRMENT_THRESHOLDS);
  });
});

describe('GET /api/conferences/{id}/summary', () => {
  it('summarizes what the real callstats.js sent in a PeerJS call: media fabrics with stats, data ones without', async () => {
    const collector = await startCollector({ apps: {}, acceptAnyToken: true });
    const { ucID } = await replaySample(collector);
    const { status, body } = await getJson<ConferenceSummaryAnswer>(`${collector.url}/api/conferences/example-room/summary`);
    expect(status).toBe(200);
    expect(body.summary.users).toHaveLength(1);
    const [user] = body.summary.users;
    expect(user).toMatchObject({ ucID, userID: 'conformance-user' });
    const byID = new Map(user!.fabrics.map((f) => [f.connectionID, f]));
    expect([...byID.keys()].sort()).toEqual(['4yp3tyerei', '7fa6l27n2a', 'ftp2i8f4wpl', 'nc99yrgcy5']);
    for (const id of ['nc99yrgcy5', '7fa6l27n2a']) {
      expect(byID.get(id), id).toMatchObject({ media: true, points: 1, packetsLost: 0, impairedMs: 0, rttMs: { median: 0, worst: 0 } });
      expect(byID.get(id)!.bitrateInBps.median).toBeGreaterThan(15_000);
    }
    expect(byID.get('4yp3tyerei')).toMatchObject({ media: false, points: 0, bitrateInBps: { median: null, worst: null } });
    expect(byID.get('nc99yrgcy5')!.setupDelayMs).toBe(47.300048828125);
  });

  it('answers 404 for an unknown conference, and is listed among the routes', async () => {
    const collector = await startCollector();
    expect((await getJson(`${collector.url}/api/conferences/nowhere/summary`)).status).toBe(404);
    const { body } = await getJson<{ routes: string[] }>(`${collector.url}/api/`);
    expect(body.routes).toContain('GET /api/conferences/{conferenceID}/summary?appID=');
  });
});
