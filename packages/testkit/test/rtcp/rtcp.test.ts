// Core's receiver-report check against real Chromium pcs whose every packet crosses the testkit's
// UDP relay: through a relay that forwards RTCP it says "present"; through one that drops the
// receiver's reports (or all RTCP), "missing", while the media itself keeps flowing.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverReportVerdict } from '@shims/core';
import { openHarness, startRtcpRelay, type Harness, type RtcpDrop, type RtcpRelay } from '@shims/testkit';

describe('the RTCP receiver-report check, through a relay', () => {
  let harness: Harness;
  const relays = new Map<RtcpDrop, RtcpRelay>();
  beforeAll(async () => {
    for (const drop of ['none', 'receiver-reports', 'rtcp'] as const) relays.set(drop, await startRtcpRelay(drop));
    harness = await openHarness({ entry: fileURLToPath(new URL('./page.ts', import.meta.url)) });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([...relays.values()].map((r) => r.close()));
  });

  // The three calls are independent: run at once, each through its own relay.
  let calls: Promise<Record<RtcpDrop, { verdict: ReceiverReportVerdict; inboundPackets: number }>> | undefined;
  const call = async (drop: RtcpDrop) => {
    calls ??= (async () => {
      const entries = await Promise.all(
        [...relays].map(async ([mode, relay]) => {
          const ports = { host: relay.host, portForA: relay.portForA, portForB: relay.portForB };
          const result = await harness.page.evaluate(
            ([p, ms]) =>
              (
                window as unknown as { relayedCall(p: unknown, ms: number): Promise<{ verdict: ReceiverReportVerdict; inboundPackets: number }> }
              ).relayedCall(p, ms),
            [ports, 3_000] as const,
          );
          return [mode, result] as const;
        }),
      );
      return Object.fromEntries(entries) as Record<RtcpDrop, { verdict: ReceiverReportVerdict; inboundPackets: number }>;
    })();
    return (await calls)[drop];
  };

  it('says present through a relay that forwards RTCP, with the fraction lost the receiver reported', async () => {
    const { verdict, inboundPackets } = await call('none');
    expect(inboundPackets).toBeGreaterThan(0);
    expect(verdict.receiverReports).toBe('present');
    expect(verdict.streams).toEqual([expect.objectContaining({ kind: 'audio', receiverReports: 'present', fractionLost: expect.any(Number) })]);
    expect(verdict.streams[0]!.packetsSent).toBeGreaterThan(0);
    expect(relays.get('none')!.counts.forwarded.rtcp).toBeGreaterThan(0);
    expect(relays.get('none')!.counts.dropped.rtcp).toBeUndefined();
  });

  it("says missing through a relay that drops the receiver's reports, while the media flows", async () => {
    const { verdict, inboundPackets } = await call('receiver-reports');
    expect(inboundPackets, 'the media crossed the relay').toBeGreaterThan(0);
    expect(verdict).toMatchObject({ receiverReports: 'missing', streams: [{ kind: 'audio', receiverReports: 'missing', roundTripTime: undefined }] });
    expect(verdict.observedMs).toBeGreaterThanOrEqual(3_000);
    expect(relays.get('receiver-reports')!.counts.dropped.rtcp).toBeGreaterThan(0);
    expect(relays.get('receiver-reports')!.counts.forwarded.rtp).toBeGreaterThan(0);
  });

  it('says missing through a relay that drops all RTCP', async () => {
    const { verdict, inboundPackets } = await call('rtcp');
    expect(inboundPackets).toBeGreaterThan(0);
    expect(verdict.receiverReports).toBe('missing');
    expect(relays.get('rtcp')!.counts.forwarded.rtcp).toBeUndefined();
  });
});
