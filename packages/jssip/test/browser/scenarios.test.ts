import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, startSipRelay, type Harness, type SipRelay } from '@shims/testkit';

interface Fabric {
  pc: number;
  remote: string;
  usage: string;
  events: string[];
  errors: string[];
}
type Scenario = 'fullCall' | 'rejected' | 'getUserMediaFails' | 'brokenClient' | 'manyCalls';

describe('jssip 3.13.8: vendor scenarios, two UAs through a SIP-over-WebSocket relay', () => {
  let harness: Harness;
  let relay: SipRelay;
  beforeAll(async () => {
    relay = await startSipRelay();
    harness = await openHarness({ entry: fileURLToPath(new URL('./scenarios-page.ts', import.meta.url)), config: { sipRelayUrl: relay.url } });
  });
  afterAll(async () => {
    await harness?.close();
    await relay?.close();
  });
  const run = <T>(name: Scenario, ...args: unknown[]): Promise<T> =>
    harness.page.evaluate(
      ([n, a]) => (window as unknown as { scenarios: Record<string, (...x: unknown[]) => Promise<unknown>> }).scenarios[n]!(...a),
      [name, args] as const,
    ) as Promise<T>;

  it('adds the callee pc at answer(); maps hold/unhold and mute/unmute; a remote BYE ends each pc once', async () => {
    const r = await run<{
      fabricsBeforeAnswer: number;
      calleePcAddedAtAnswer: boolean;
      audio: boolean;
      heldBothSides: { local: boolean; remote: boolean };
      audioAfterResume: boolean;
      how: string[];
      callerUser: string;
      calleeUser: string;
      fabrics: Fabric[];
      violations: string[];
    }>('fullCall');
    expect(r.fabricsBeforeAnswer, 'only the caller pc before answer()').toBe(1);
    expect(r.calleePcAddedAtAnswer).toBe(true);
    expect(r.audio).toBe(true);
    expect(r.heldBothSides).toEqual({ local: true, remote: true });
    expect(r.audioAfterResume).toBe(true);
    expect(r.how).toEqual(['ended: Terminated', 'ended: Terminated']);
    const [caller, callee] = r.fabrics;
    expect(r.fabrics).toHaveLength(2);
    expect(caller).toMatchObject({ remote: r.calleeUser, usage: 'audio', errors: [] });
    expect(callee).toMatchObject({ remote: r.callerUser, usage: 'audio', errors: [] });
    // The caller holds (local hold) and mutes; the callee sees the remote hold only.
    expect(caller!.events).toEqual(['fabricHold', 'fabricResume', 'audioMute', 'audioUnmute', 'fabricTerminated']);
    expect(callee!.events).toEqual(['fabricHold', 'fabricResume', 'fabricTerminated']);
    expect(r.violations).toEqual([]);
  });

  it('ends the caller pc once when the callee rejects the call; the callee never had a pc', async () => {
    const r = await run<{ how: string[]; fabrics: Fabric[]; violations: string[] }>('rejected');
    expect(r.how[0]).toBe('failed: Busy');
    expect(r.fabrics).toHaveLength(1);
    expect(r.fabrics[0]!.events).toEqual(['fabricTerminated']);
    expect(r.violations).toEqual([]);
  });

  it('reports a getUserMedia failure in ua.call() once, for the conference (JsSIP closed the pc first), and ends that pc once', async () => {
    const r = await run<{
      how: string;
      appErrors: string[];
      reported: Array<{ pc: number | null; fn: string; name: string }>;
      fabrics: Fabric[];
      violations: string[];
    }>('getUserMediaFails');
    expect(r.how).toBe('failed: User Denied Media Access');
    expect(r.appErrors).toEqual(['OverconstrainedError']);
    expect(r.reported).toEqual([{ pc: null, fn: 'getUserMedia', name: 'OverconstrainedError' }]);
    expect(r.fabrics[0]!.events).toEqual(['fabricTerminated']);
    expect(r.violations).toEqual([]);
  });

  it('keeps the call working when the monitoring client throws on every call, and warns once per kind', async () => {
    const r = await run<{ audio: boolean; how: string; warnings: string[] }>('brokenClient');
    expect(r.audio).toBe(true);
    expect(r.how).toBe('ended: Terminated');
    // Two UAs, each with its own monitor.
    expect(r.warnings.filter((w) => w.includes('addNewFabric threw'))).toHaveLength(2);
    expect(r.warnings.filter((w) => w.includes('sendFabricEvent threw'))).toHaveLength(2);
  });

  it('makes 10 calls in a row on one pair of UAs with no growth in listeners and no wrapper left on ended pcs', async () => {
    const r = await run<{ samples: Array<Array<number | string>>; fabrics: Fabric[]; violations: string[] }>('manyCalls', 10);
    expect(r.samples).toHaveLength(10);
    for (const sample of r.samples) expect(sample).toEqual(r.samples[0]);
    expect(r.samples[0]!.at(-1), 'shim wrappers left on an ended pc').toBe('');
    expect(r.fabrics).toHaveLength(20);
    expect(r.fabrics.map((f) => f.events.filter((e) => e === 'fabricTerminated').length)).toEqual(Array(20).fill(1));
    expect(r.violations).toEqual([]);
  }, 120_000);
});
