import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JANUS_VIDEOROOM_ROOM, openHarness, startJanus, type Harness, type JanusTestServer } from '@shims/testkit';

interface Fabric {
  pc: number;
  remote: string;
  usage: string;
  events: string[];
  terminated: number;
}
type Scenario =
  | 'echoTest'
  | 'hangupAndReoffer'
  | 'videoRoomTwoSubscribers'
  | 'screenShare'
  | 'getUserMediaFails'
  | 'manyRounds'
  | 'brokenClient'
  | 'disposeRestoresHandle'
  | 'destroyWithLiveHandles';

describe('janus-gateway 1.4.2 against a real Janus 1.1: vendor scenarios', () => {
  let harness: Harness;
  let server: JanusTestServer;
  beforeAll(async () => {
    const started = await startJanus();
    server = started;
    harness = await openHarness({
      entry: fileURLToPath(new URL('./janus-scenarios.ts', import.meta.url)),
      config: { janusUrl: started.url, videoRoom: JANUS_VIDEOROOM_ROOM },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await server?.stop();
  });
  const run = <T>(name: Scenario, ...args: unknown[]): Promise<T> =>
    harness.page.evaluate(
      ([n, a]) => (window as unknown as { scenarios: Record<string, (...x: unknown[]) => Promise<unknown>> }).scenarios[n]!(...a),
      [name, args] as const,
    ) as Promise<T>;

  it('EchoTest: media flows back, the pc is one multiplex fabric to the plugin, video mute maps, hangup ends it once', async () => {
    const r = await run<{ audio: boolean; video: boolean; fabrics: Fabric[]; errors: string[]; violations: string[] }>('echoTest');
    expect(r.audio, 'inbound-rtp audio packetsReceived > 0').toBe(true);
    expect(r.video, 'inbound-rtp video packetsReceived > 0').toBe(true);
    expect(r.fabrics).toEqual([
      { pc: expect.any(Number), remote: 'janus.plugin.echotest', usage: 'multiplex', events: ['videoPause', 'videoResume'], terminated: 1 },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
  });

  it('hangup and a new offer on one handle: two pcs, two fabrics, each ended once though oncleanup fires twice', async () => {
    const r = await run<{ first: boolean; second: boolean; cleanups: number; fabrics: Fabric[]; errors: string[]; violations: string[] }>(
      'hangupAndReoffer',
    );
    expect([r.first, r.second]).toEqual([true, true]);
    expect(r.cleanups, 'janus.js oncleanup: at hangup, and twice at detach').toBeGreaterThanOrEqual(2);
    expect(r.fabrics).toHaveLength(2);
    expect(r.fabrics[0]!.pc).not.toBe(r.fabrics[1]!.pc);
    expect(r.fabrics.map((f) => [f.remote, f.usage, f.terminated])).toEqual([
      ['janus.plugin.echotest', 'audio', 1],
      ['janus.plugin.echotest', 'audio', 1],
    ]);
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
  });

  it('VideoRoom with one publisher and two subscribers: three pcs, three fabrics named by plugin and feed, three terminations', async () => {
    const r = await run<{ feed: number; received: boolean[]; live: number[]; fabrics: Fabric[]; errors: string[]; violations: string[] }>(
      'videoRoomTwoSubscribers',
    );
    expect(r.received).toEqual([true, true]);
    expect(r.live, 'all three live during the call').toEqual([0, 0, 0]);
    expect(r.fabrics.map((f) => [f.remote, f.usage])).toEqual([
      ['janus.plugin.videoroom', 'multiplex'],
      [`janus.plugin.videoroom:${r.feed}`, 'multiplex'],
      [`janus.plugin.videoroom:${r.feed}`, 'multiplex'],
    ]);
    expect(new Set(r.fabrics.map((f) => f.pc)).size).toBe(3);
    expect(r.fabrics.map((f) => f.terminated)).toEqual([1, 1, 1]);
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
  });

  for (const cleanupHandles of [true, false]) {
    it(`janus.destroy(${cleanupHandles ? '{ cleanupHandles: true }' : ''}) with a publisher and a subscriber live ends both fabrics once`, async () => {
      const r = await run<{ received: boolean; closed: boolean[]; fabrics: Fabric[]; errors: string[]; violations: string[] }>(
        'destroyWithLiveHandles',
        cleanupHandles,
      );
      expect(r.received).toBe(true);
      expect(r.closed, 'janus.js closed the pcs').toEqual([cleanupHandles, cleanupHandles]);
      expect(r.fabrics.map((f) => [f.usage, f.terminated])).toEqual([
        ['audio', 1],
        ['audio', 1],
      ]);
      expect(r.errors).toEqual([]);
      expect(r.violations).toEqual([]);
    });
  }

  it('maps a screen-share track to screenShareStart, and its removal to screenShareStop', async () => {
    const r = await run<{ local: string[]; fabrics: Fabric[]; errors: string[]; violations: string[] }>('screenShare');
    expect(r.local, 'what the app saw: the track added, then removed').toEqual(['video:true', 'video:false']);
    expect(r.fabrics).toHaveLength(1);
    expect(r.fabrics[0]!.usage).toBe('screen');
    expect(r.fabrics[0]!.events).toEqual(['screenShareStart', 'screenShareStop']);
    expect(r.fabrics[0]!.terminated).toBe(1);
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
  });

  it('reports a getUserMedia failure inside janus.js as getUserMedia; the app gets its error as before', async () => {
    const r = await run<{
      reported: Array<{ pc: string | null; fn: string; name: string }>;
      fabrics: Fabric[];
      errors: string[];
      violations: string[];
    }>('getUserMediaFails');
    expect(r.errors).toEqual(['OverconstrainedError']);
    expect(r.reported).toEqual([{ pc: null, fn: 'getUserMedia', name: 'OverconstrainedError' }]);
    // janus.js built the pc before capturing: it is added, and ended once at detach.
    expect(r.fabrics.map((f) => f.terminated)).toEqual([1]);
    expect(r.violations).toEqual([]);
  });

  it('10 hangup/re-offer rounds on one handle: no wrapper left on ended pcs, each fabric ended exactly once', async () => {
    const r = await run<{ patches: string[]; fabrics: Fabric[]; errors: string[]; violations: string[] }>('manyRounds', 10);
    expect(r.patches).toEqual(Array(10).fill(''));
    expect(r.fabrics.map((f) => f.terminated)).toEqual(Array(10).fill(1));
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
  }, 120_000);

  it('keeps the call working when the monitoring client throws on every call, and warns once per kind', async () => {
    const r = await run<{ audio: boolean; errors: string[]; warnings: string[] }>('brokenClient');
    expect(r.audio).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.warnings.filter((w) => w.includes('addNewFabric threw'))).toHaveLength(1);
    expect(r.warnings.filter((w) => w.includes('sendFabricEvent threw'))).toHaveLength(1);
  });

  it('dispose() puts back every handle method the shim wrapped and sends nothing more', async () => {
    const r = await run<{ wrapped: string[]; left: string[]; callsAfter: number; errors: string[] }>('disposeRestoresHandle');
    expect(r.wrapped).toEqual([
      'createAnswer',
      'createOffer',
      'detach',
      'muteAudio',
      'muteVideo',
      'oncleanup',
      'onlocaltrack',
      'replaceTracks',
      'send',
      'unmuteAudio',
      'unmuteVideo',
    ]);
    expect(r.left).toEqual([]);
    expect(r.callsAfter).toBe(0);
    expect(r.errors).toEqual([]);
  });
});
