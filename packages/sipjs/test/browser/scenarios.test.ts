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
type Scenario = 'fullCall' | 'rejected' | 'getUserMediaFails' | 'brokenClient' | 'manyCalls' | 'disposeRestoresFactory';

describe('sip.js 0.21.2: vendor scenarios, two UserAgents through a SIP-over-WebSocket relay', () => {
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

  it('adds the callee pc at accept(); maps hold/unhold (re-INVITE) and mute/unmute; a remote BYE ends each pc once, at Terminated', async () => {
    const r = await run<{
      fabricsBeforeAccept: number;
      calleePcAddedAtAccept: boolean;
      audio: boolean;
      audioAfterResume: boolean;
      callerAtTerminated: { terminatedSent: boolean; pcState: string };
      callerUser: string;
      calleeUser: string;
      fabrics: Fabric[];
      violations: string[];
    }>('fullCall');
    expect(r.fabricsBeforeAccept, 'only the caller pc before accept()').toBe(1);
    expect(r.calleePcAddedAtAccept).toBe(true);
    expect(r.audio).toBe(true);
    expect(r.audioAfterResume).toBe(true);
    expect(r.callerAtTerminated, 'fabricTerminated sent at Terminated, the pc still open').toEqual({ terminatedSent: true, pcState: 'stable' });
    const [caller, callee] = r.fabrics;
    expect(r.fabrics).toHaveLength(2);
    expect(caller).toMatchObject({ remote: r.calleeUser, usage: 'audio', errors: [] });
    expect(callee).toMatchObject({ remote: r.callerUser, usage: 'audio', errors: [] });
    expect(caller!.events).toEqual(['fabricHold', 'fabricResume', 'audioMute', 'audioUnmute', 'fabricTerminated']);
    expect(callee!.events).toEqual(['fabricHold', 'fabricResume', 'fabricTerminated']);
    expect(r.violations).toEqual([]);
  });

  it('ends the caller pc once when the callee rejects the call; the callee never had a pc', async () => {
    const r = await run<{ fabrics: Fabric[]; violations: string[] }>('rejected');
    expect(r.fabrics).toHaveLength(1);
    expect(r.fabrics[0]!.events).toEqual(['fabricTerminated']);
    expect(r.violations).toEqual([]);
  });

  it('reports a getUserMedia failure in invite() once through the media path (no pc), then ends the session pc once', async () => {
    const r = await run<{
      appError: string;
      reported: Array<{ pc: number | null; fn: string; name: string }>;
      fabrics: Fabric[];
      violations: string[];
    }>('getUserMediaFails');
    expect(r.appError).toBe('OverconstrainedError');
    expect(r.reported).toEqual([{ pc: null, fn: 'getUserMedia', name: 'OverconstrainedError' }]);
    expect(r.fabrics[0]!.events).toEqual(['fabricTerminated']);
    expect(r.violations).toEqual([]);
  });

  it('keeps the call working when the monitoring client throws on every call, and warns once per kind', async () => {
    const r = await run<{ audio: boolean; warnings: string[] }>('brokenClient');
    expect(r.audio).toBe(true);
    expect(r.warnings.filter((w) => w.includes('addNewFabric threw'))).toHaveLength(2);
    expect(r.warnings.filter((w) => w.includes('sendFabricEvent threw'))).toHaveLength(2);
  });

  it('makes 10 calls in a row on one pair of UserAgents, each pc ended once, no wrapper or listener left on ended pcs', async () => {
    const r = await run<{ samples: string[]; factoryIsOurs: string; fabrics: Fabric[]; violations: string[] }>('manyCalls', 10);
    expect(r.samples).toHaveLength(10);
    for (const sample of r.samples) expect(sample).toEqual(r.samples[0]);
    expect(r.samples[0]!.split('|')[0], 'shim wrappers left on an ended pc').toBe('');
    expect(r.factoryIsOurs).toBe('sessionDescriptionHandlerFactoryWatched');
    expect(r.fabrics).toHaveLength(20);
    expect(r.fabrics.map((f) => f.events.filter((e) => e === 'fabricTerminated').length)).toEqual(Array(20).fill(1));
    expect(r.violations).toEqual([]);
  }, 120_000);

  it('puts the UserAgent’s sessionDescriptionHandlerFactory back at dispose', async () => {
    expect(await run('disposeRestoresFactory')).toEqual({ wrapped: true, restored: true });
  });
});
