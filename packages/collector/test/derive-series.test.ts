import { describe, expect, it } from 'vitest';
import { deriveSeriesPoint, summarizeStats } from '../src/derive-series.js';

function report(t: number, bytesIn: number, bytesOut: number, extra: Record<string, unknown>[] = []): unknown[] {
  return [
    { type: 'inbound-rtp', id: 'IT01A1', timestamp: t, kind: 'audio', bytesReceived: bytesIn, packetsLost: 2, jitter: 0.004 },
    { type: 'outbound-rtp', id: 'OT01A2', timestamp: t, kind: 'audio', bytesSent: bytesOut },
    { type: 'remote-inbound-rtp', id: 'RIA2', timestamp: t, roundTripTime: 0.05 },
    ...extra,
  ];
}

describe('deriveSeriesPoint', () => {
  it('turns byte deltas between consecutive batches into bits per second', () => {
    const previous = summarizeStats(report(10_000, 10_000, 20_000));
    const current = summarizeStats(report(15_000, 35_000, 45_000));
    const point = deriveSeriesPoint({ batchID: 2, timestamp: 99, current, previous, baselineTimestamp: null });
    expect(point).toEqual({ batchID: 2, timestamp: 99, bitrateInBps: 40_000, bitrateOutBps: 40_000, packetsLost: 2, jitterMs: 4, rttMs: 50 });
  });

  it('adds no point for a batch that repeats the previous report', () => {
    const same = summarizeStats(report(10_000, 10_000, 20_000));
    expect(deriveSeriesPoint({ batchID: 2, timestamp: 99, current: same, previous: same, baselineTimestamp: null })).toBeUndefined();
  });

  it('measures the first batch from the fabric setup, when counters were zero', () => {
    const current = summarizeStats(report(5_000, 10_000, 5_000));
    const point = deriveSeriesPoint({ batchID: 1, timestamp: 6_000, current, previous: undefined, baselineTimestamp: 1_000 });
    expect(point).toMatchObject({ bitrateInBps: 16_000, bitrateOutBps: 8_000 });
    const unknownStart = deriveSeriesPoint({ batchID: 1, timestamp: 6_000, current, previous: undefined, baselineTimestamp: null });
    expect(unknownStart).toMatchObject({ bitrateInBps: null, bitrateOutBps: null, rttMs: 50 });
  });

  it('counts a new or restarted stream from zero', () => {
    const previous = summarizeStats(report(0, 50_000, 0));
    const current = summarizeStats([
      ...report(1_000, 1_000, 0),
      { type: 'inbound-rtp', id: 'IT01V3', timestamp: 1_000, kind: 'video', bytesReceived: 2_000 },
    ]);
    expect(deriveSeriesPoint({ batchID: 2, timestamp: 1, current, previous, baselineTimestamp: null })).toMatchObject({
      bitrateInBps: 24_000,
      bitrateOutBps: 0,
    });
  });

  it('has no bitrate for a fabric without RTP streams (data channel only)', () => {
    const stats = [{ type: 'transport', id: 'T01', timestamp: 2_000, bytesSent: 100 }];
    const point = deriveSeriesPoint({
      batchID: 2,
      timestamp: 1,
      current: summarizeStats(stats),
      previous: summarizeStats([{ ...stats[0], timestamp: 1_000 }]),
      baselineTimestamp: null,
    });
    expect(point).toMatchObject({ bitrateInBps: null, bitrateOutBps: null, packetsLost: null, jitterMs: null, rttMs: null });
  });
});

describe('summarizeStats RTT', () => {
  it('prefers the selected candidate pair of the transport', () => {
    const stats = report(1, 0, 0, [
      { type: 'transport', id: 'T01', timestamp: 1, selectedCandidatePairId: 'CP2' },
      { type: 'candidate-pair', id: 'CP1', timestamp: 1, nominated: true, state: 'succeeded', currentRoundTripTime: 0.3 },
      { type: 'candidate-pair', id: 'CP2', timestamp: 1, nominated: true, state: 'succeeded', currentRoundTripTime: 0.012 },
    ]);
    expect(summarizeStats(stats).rttMs).toBe(12);
  });

  it('falls back to a nominated succeeded pair, then to remote-inbound-rtp', () => {
    const pair = { type: 'candidate-pair', id: 'CP1', timestamp: 1, nominated: true, state: 'succeeded', currentRoundTripTime: 0.02 };
    expect(summarizeStats(report(1, 0, 0, [pair])).rttMs).toBe(20);
    expect(summarizeStats(report(1, 0, 0, [{ ...pair, nominated: false }])).rttMs).toBe(50);
  });
});
