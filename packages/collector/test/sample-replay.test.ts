import { describe, expect, it } from 'vitest';
import type { ConferenceSummary, EventRecord, FabricRecord, SeriesPoint } from '../src/index.js';
import { getJson, replaySample, SAMPLE, startCollector } from './helpers.js';

/** The sample was recorded with a token generator: its code is the app's own token. */
const startDevCollector = (): ReturnType<typeof startCollector> => startCollector({ apps: {}, acceptAnyToken: true });

const eventPaths = SAMPLE.filter((r) => r.path.startsWith('events/')).map((r) => r.path);
const suffixOf = (path: string): string => path.split('/events/')[1] ?? '';

describe('replaying what the real callstats.js sent in a PeerJS call', () => {
  it('accepts every request', async () => {
    const collector = await startDevCollector();
    const { statuses, ucID } = await replaySample(collector);
    expect(statuses).toEqual(SAMPLE.map(() => 200));
    expect(ucID).toMatch(/^[\w-]{16}$/);
  });

  it('gives the expected conference, fabrics, events, logs and series', async () => {
    const collector = await startDevCollector();
    const { ucID } = await replaySample(collector);
    const api = `${collector.url}/api/conferences`;

    const { body: list } = await getJson<{ conferences: ConferenceSummary[] }>(api);
    expect(list.conferences).toEqual([
      {
        conferenceID: 'example-room',
        appID: '123456789',
        firstSeen: 1795521356279.23,
        lastSeen: 1795521362390.8298,
        users: [expect.objectContaining({ ucID, userID: 'conformance-user', endpointInfo: expect.objectContaining({ buildName: 'Chrome' }) })],
        fabricCount: 4,
      },
    ]);

    const { body: fabrics } = await getJson<{ fabrics: FabricRecord[] }>(`${api}/example-room/fabrics`);
    expect(fabrics.fabrics.map((f) => [f.connectionID, f.remoteID, f.state, f.setupDelayMs])).toEqual([
      ['7fa6l27n2a', 'bob-1795521356172', 'terminated', 62.7998046875],
      ['nc99yrgcy5', 'alice-1795521356168', 'setup', 47.300048828125],
      ['ftp2i8f4wpl', 'bob-1795521356172', 'setup', 37.5],
      ['4yp3tyerei', 'alice-1795521356168', 'setup', 31.5],
    ]);
    expect(fabrics.fabrics.every((f) => f.localID === 'conformance-user' && f.ucID === ucID && f.failures.length === 0)).toBe(true);

    const { body: events } = await getJson<{ events: EventRecord[] }>(`${api}/example-room/events`);
    expect(events.events.map((e) => e.suffix)).toEqual(eventPaths.map(suffixOf));
    const setups = await getJson<{ events: EventRecord[] }>(`${api}/example-room/events?type=fabricSetup`);
    expect(setups.body.events.map((e) => e.connectionID)).toEqual(['nc99yrgcy5', '7fa6l27n2a', '4yp3tyerei', 'ftp2i8f4wpl']);
    expect(setups.body.events[0]!.body).toMatchObject({ selectedCandidatePairID: 'CPIL8PJURo_RMOBaRMs', remoteEndpointType: 'peer' });
    const terminated = await getJson<{ events: EventRecord[] }>(`${api}/example-room/fabrics/7fa6l27n2a/events`);
    expect(terminated.body.events.at(-1)!.eventType).toBe('fabricTerminated');

    // Each fabric with media sent a batch 5 s after setup (about 14 kB of Opus each way), then the
    // same cached report again: one point per fabric, with the bitrate since setup.
    for (const connectionID of ['nc99yrgcy5', '7fa6l27n2a']) {
      const { body } = await getJson<{ series: SeriesPoint[] }>(`${api}/example-room/fabrics/${connectionID}/stats`);
      expect(body.series, connectionID).toHaveLength(1);
      const [point] = body.series;
      expect(point!.bitrateInBps).toBeGreaterThan(15_000);
      expect(point!.bitrateInBps).toBeLessThan(30_000);
      expect(point!.bitrateOutBps).toBeGreaterThan(15_000);
      expect(point).toMatchObject({ packetsLost: 0, rttMs: 0 });
    }
    const quiet = await getJson<{ series: SeriesPoint[] }>(`${api}/example-room/fabrics/4yp3tyerei/stats`);
    expect(quiet.body.series).toEqual([]);

    const { body: logs } = await getJson<{ logs: { eventType: string }[] }>(`${collector.url}/api/logs`);
    expect(logs.logs).toHaveLength(SAMPLE.filter((r) => r.path === 'collector/generics').length);
  });

  it('keeps every stats batch raw, duplicates included', async () => {
    const collector = await startDevCollector();
    await replaySample(collector);
    const sent = SAMPLE.filter((r) => r.path.endsWith('/stats') && (r.body as { connectionID: string }).connectionID === 'nc99yrgcy5');
    const { body } = await getJson<{ batches: { kind: string; stats: unknown[]; body: Record<string, unknown> }[] }>(
      `${collector.url}/api/conferences/example-room/fabrics/nc99yrgcy5/batches`,
    );
    expect(body.batches).toHaveLength(sent.length);
    expect(sent.length).toBeGreaterThan(1);
    for (const [i, batch] of body.batches.entries()) {
      const { stats, ...rest } = sent[i]!.body as { stats: unknown[] };
      expect(batch.kind).toBe('stats');
      expect(batch.stats).toEqual(stats);
      expect(batch.body).toEqual(rest);
      expect(batch).not.toHaveProperty('raw');
    }
    // With ?raw=1, each batch also carries the exact text that was posted (replaySample posts
    // JSON.stringify of the recorded body).
    const withRaw = await getJson<{ batches: { raw: string }[] }>(`${collector.url}/api/conferences/example-room/fabrics/nc99yrgcy5/batches?raw=1`);
    expect(withRaw.body.batches.map((b) => b.raw)).toEqual(sent.map((r) => JSON.stringify(r.body)));
  });
});
