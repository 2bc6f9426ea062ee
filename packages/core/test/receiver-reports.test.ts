import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkReceiverReports, type FabricHandle, type ReceiverReportVerdict } from '../src/index.js';

/** A fabric whose pc's stats are scripted: audio sent at 50 packets/s, receiver reports as `reports(t)` says. */
function scriptedFabric(
  reports: (seconds: number) => { reportsReceived?: number; roundTripTime?: number; timestamp?: number } | null,
  remoteUserID = 'sfu',
) {
  const started = Date.now();
  const getStats = vi.fn(async () => {
    const seconds = (Date.now() - started) / 1000;
    const entries: Array<Record<string, unknown>> = [
      { type: 'outbound-rtp', id: 'OT01A1', kind: 'audio', ssrc: 1111, packetsSent: Math.round(seconds * 50) },
    ];
    const remote = reports(seconds);
    if (remote) entries.push({ type: 'remote-inbound-rtp', id: 'RI01A1', localId: 'OT01A1', kind: 'audio', ssrc: 1111, fractionLost: 0, ...remote });
    return new Map(entries.map((e) => [e.id, e]));
  });
  const fabric = { pc: { getStats }, remoteUserID, active: true } as unknown as FabricHandle & { active: boolean };
  return { fabric, getStats };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('checkReceiverReports', () => {
  it('says present once media flowed for afterMs and reports kept arriving; reads nothing more of that pc', async () => {
    const { fabric, getStats } = scriptedFabric((s) => ({ reportsReceived: Math.floor(s), roundTripTime: 0.012 }));
    const verdicts: ReceiverReportVerdict[] = [];
    const logger = vi.fn();
    const check = checkReceiverReports(
      { fabrics: () => [fabric] },
      { afterMs: 4_000, intervalMs: 1_000, logger, onVerdict: (_, v) => verdicts.push(v) },
    );
    await vi.advanceTimersByTimeAsync(6_000);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({
      receiverReports: 'present',
      streams: [{ kind: 'audio', ssrc: 1111, receiverReports: 'present', roundTripTime: 0.012 }],
    });
    expect(check.verdictFor(fabric)).toBe(verdicts[0]);
    expect(logger).not.toHaveBeenCalled();
    const reads = getStats.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(getStats.mock.calls.length, 'no stats read after the verdict').toBe(reads);
    check.dispose();
  });

  it('says missing, once, through the logger with the evidence when no receiver report arrives', async () => {
    const { fabric } = scriptedFabric(() => null);
    const logger = vi.fn();
    const onVerdict = vi.fn();
    using _check = checkReceiverReports({ fabrics: () => [fabric] }, { afterMs: 4_000, intervalMs: 1_000, logger, onVerdict });
    await vi.advanceTimersByTimeAsync(12_000);
    expect(onVerdict).toHaveBeenCalledTimes(1);
    expect(onVerdict.mock.calls[0]![1]).toMatchObject({
      receiverReports: 'missing',
      streams: [{ kind: 'audio', reportsReceived: undefined, receiverReports: 'missing' }],
    });
    expect(logger).toHaveBeenCalledTimes(1);
    expect(logger.mock.calls[0]![0]).toMatch(
      /^\[@shims\/core\] no RTCP receiver reports from sfu after \d+ s of media \(audio: \d+ packets sent, 0 reports\): round-trip time, loss and jitter cannot be measured/,
    );
  });

  it('says missing when reports stopped before the window (a stale report is not a flow of them)', async () => {
    const { fabric } = scriptedFabric(() => ({ reportsReceived: 3, roundTripTime: 0.02 }));
    const onVerdict = vi.fn();
    using _check = checkReceiverReports({ fabrics: () => [fabric] }, { afterMs: 4_000, intervalMs: 1_000, logger: () => {}, onVerdict });
    await vi.advanceTimersByTimeAsync(6_000);
    expect(onVerdict.mock.calls[0]![1]).toMatchObject({ receiverReports: 'missing', streams: [{ reportsReceived: 3, receiverReports: 'missing' }] });
  });

  // Chromium counts no reports (no reportsReceived): the report's own timestamp must move.
  it.each([
    ['present', (s: number) => ({ timestamp: 1_000 + Math.floor(s) * 1_000, roundTripTime: 0.01 })],
    ['missing', () => ({ timestamp: 1_000, roundTripTime: 0.01 })],
  ] as const)('says %s by the report timestamp where the browser counts no reports', async (expected, reports) => {
    const { fabric } = scriptedFabric(reports);
    const onVerdict = vi.fn();
    using _check = checkReceiverReports({ fabrics: () => [fabric] }, { afterMs: 4_000, intervalMs: 1_000, logger: () => {}, onVerdict });
    await vi.advanceTimersByTimeAsync(6_000);
    expect(onVerdict.mock.calls[0]![1]).toMatchObject({ receiverReports: expected });
  });

  it('waits for media: a pc that sends nothing gets no verdict', async () => {
    const getStats = vi.fn(async () => new Map([['OT', { type: 'outbound-rtp', id: 'OT', kind: 'audio', packetsSent: 0 }]]));
    const fabric = { pc: { getStats }, remoteUserID: 'x', active: true } as unknown as FabricHandle;
    const onVerdict = vi.fn();
    using _check = checkReceiverReports({ fabrics: () => [fabric] }, { afterMs: 1_000, intervalMs: 500, onVerdict });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(getStats).toHaveBeenCalled();
    expect(onVerdict).not.toHaveBeenCalled();
  });

  it('lets go of a fabric that ended, takes fabrics added later, and reads nothing after dispose', async () => {
    const first = scriptedFabric(() => null, 'first');
    const later = scriptedFabric((s) => ({ reportsReceived: Math.floor(s), roundTripTime: 0.01 }), 'later');
    const fabrics = [first.fabric];
    const onVerdict = vi.fn();
    const check = checkReceiverReports({ fabrics: () => fabrics.filter((f) => f.active) }, { afterMs: 3_000, intervalMs: 1_000, onVerdict });
    await vi.advanceTimersByTimeAsync(1_500);
    first.fabric.active = false;
    fabrics.push(later.fabric);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(onVerdict.mock.calls.map(([f, v]) => [f.remoteUserID, (v as ReceiverReportVerdict).receiverReports])).toEqual([['later', 'present']]);
    expect(check.verdictFor(first.fabric)).toBeUndefined();
    check.dispose();
    const reads = later.getStats.mock.calls.length + first.getStats.mock.calls.length;
    fabrics.push(scriptedFabric(() => null).fabric);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(later.getStats.mock.calls.length + first.getStats.mock.calls.length).toBe(reads);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws a TypeError naming what is wrong', () => {
    expect(() => checkReceiverReports({} as never)).toThrow(
      new TypeError('checkReceiverReports: monitor must be a shim monitor (with fabrics()), got Object'),
    );
    expect(() => checkReceiverReports({ fabrics: () => [] }, { afterMs: -1 })).toThrow(/options.afterMs must be a number of ms/);
    expect(() => checkReceiverReports({ fabrics: () => [] }, { intervalMs: 0 })).toThrow(/options.intervalMs must be a number of ms above 0/);
  });
});
