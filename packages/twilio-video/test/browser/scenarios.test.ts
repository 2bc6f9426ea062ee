import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '@shims/collector';
import { openHarness, startTestCollector, startTwilioServer, type Harness, type TestCollector, type TwilioTestServer } from '@shims/testkit';

interface Fabric {
  fake: boolean;
  added: unknown[];
  events: string[];
  terminated: number;
  associations: Array<[string, string, string]>;
  errors: unknown[];
  states: string[];
}
interface Summary {
  state: string;
  events: string[];
  fabrics: Fabric[];
  pcsBuilt: number;
  callMethods: string[];
  violations: string[];
  warnings: string[];
  published: string[];
  participants: string[];
}
interface Leftovers {
  shimListeners: number;
  listenersLeft: string[];
  localParticipantOwn: string[];
  pcOwnFunctions: string[][];
}
type Step =
  | 'start'
  | 'summary'
  | 'leftovers'
  | 'fakeStats'
  | 'inboundSsrcs'
  | 'roomPcs'
  | 'setEnabled'
  | 'publishScreen'
  | 'unpublishScreen'
  | 'audioFlowing'
  | 'disconnect'
  | 'dispose';

const POLL = { timeout: 15_000, interval: 200 };
const SERVER_FABRIC = ['twilio-media-server', 'multiplex'];
let roomCounter = 0;

describe('twilio-video 2.36.0 against the local Twilio signaling server: vendor scenarios', () => {
  let harness: Harness;
  let server: TwilioTestServer;
  let collector: TestCollector;
  beforeAll(async () => {
    server = await startTwilioServer();
    collector = await startTestCollector(createCollector);
    harness = await openHarness({
      entry: fileURLToPath(new URL('./twilio-scenarios.ts', import.meta.url)),
      callstats: { base: collector.url },
      config: { wsServer: server.wsServer },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await collector?.close();
    await server?.close();
  });
  const step = <T>(name: Step, ...args: unknown[]): Promise<T> =>
    harness.page.evaluate(
      ([n, a]) => (window as unknown as { scenarios: Record<string, (...x: unknown[]) => Promise<unknown>> }).scenarios[n]!(...a),
      [name, args] as const,
    ) as Promise<T>;
  const summary = () => step<Summary>('summary');
  /** Joins a fresh room as `alice-<n>`; resolves with the room's name. */
  const join = async (options: {
    way: 'a' | 'b' | 'none';
    video?: boolean;
    codecProbe?: boolean;
    realCallstats?: boolean;
    brokenClient?: boolean;
  }) => {
    const room = `scenario-${++roomCounter}`;
    await step('start', { ...options, room, token: server.token(`alice-${roomCounter}`, room) });
    return room;
  };

  it("way (a): the Room's pc is one fabric from its creation; a joining participant's audio is associated with its identity; leaving sends nothing; the room's end terminates the pc once and leaves nothing behind", async () => {
    const room = await join({ way: 'a' });
    expect((await summary()).fabrics).toEqual([
      expect.objectContaining({ fake: false, added: [...SERVER_FABRIC, room, { remoteEndpointType: 'server' }] }),
    ]);
    await server.addParticipant(room, 'bob');
    expect(await step('audioFlowing')).toBe(true);
    await expect.poll(async () => (await summary()).fabrics[0]!.associations, POLL).toHaveLength(1);
    const [ssrc] = await step<string[]>('inboundSsrcs');
    expect((await summary()).fabrics[0]!.associations).toEqual([['bob', ssrc, 'microphone']]);
    await server.removeParticipant(room, 'bob');
    await expect.poll(async () => (await summary()).events, POLL).toContain('participantDisconnected:bob');
    await server.endRoom(room);
    await expect.poll(async () => (await summary()).state, POLL).toBe('disconnected');
    const r = await summary();
    expect(r.events).toContain('disconnected:53118');
    expect(r.fabrics).toEqual([expect.objectContaining({ events: [], terminated: 1, errors: [] })]);
    expect(r.callMethods).toEqual(['addNewFabric', 'associateMstWithUserID', 'sendFabricEvent']);
    expect(r.violations).toEqual([]);
    expect(await step<Leftovers>('leftovers')).toEqual({ shimListeners: 9, listenersLeft: [], localParticipantOwn: [], pcOwnFunctions: [[]] });
  });

  it('maps disabling and enabling the local audio and video tracks to audioMute/audioUnmute and videoPause/videoResume', async () => {
    await join({ way: 'a', video: true });
    await step('setEnabled', 'audio', false);
    await step('setEnabled', 'audio', true);
    await step('setEnabled', 'video', false);
    await step('setEnabled', 'video', true);
    const r = await summary();
    expect(r.fabrics.map((f) => f.events)).toEqual([['audioMute', 'audioUnmute', 'videoPause', 'videoResume']]);
    await step('disconnect');
    expect((await summary()).fabrics.map((f) => f.terminated)).toEqual([1]);
  });

  it('maps publishing a screen-share track (renegotiated with the server) to screenShareStart, and unpublishing it to screenShareStop', async () => {
    await join({ way: 'a' });
    await step('publishScreen');
    await expect.poll(async () => (await summary()).published, POLL).toEqual(['audio:track:sid', 'video:screen:sid']);
    await step('unpublishScreen');
    const r = await summary();
    expect(r.published).toEqual(['audio:track:sid']);
    expect(r.fabrics.map((f) => f.events)).toEqual([['screenShareStart', 'screenShareStop']]);
    expect(r.pcsBuilt, 'the new track rides the same pc').toBe(1);
    await step('disconnect');
  });

  it('sends nothing for a signaling reconnection (reconnecting, reconnected): the pc stays one live fabric', async () => {
    const room = await join({ way: 'a' });
    await server.dropSignaling(room);
    await expect.poll(async () => (await summary()).events, POLL).toEqual(expect.arrayContaining(['reconnecting:53001', 'reconnected']));
    const r = await summary();
    expect(r.callMethods).toEqual(['addNewFabric']);
    expect(r.fabrics.map((f) => f.terminated)).toEqual([0]);
    await step('disconnect');
    expect((await summary()).fabrics.map((f) => f.terminated)).toEqual([1]);
  });

  it("leaves Twilio's codec-probe pc alone: only the Room's pc becomes a fabric", async () => {
    await join({ way: 'a', codecProbe: true });
    const r = await summary();
    expect(r.pcsBuilt, "Twilio's probe pc and the Room's pc").toBe(2);
    expect(r.fabrics).toEqual([expect.objectContaining({ fake: false })]);
    await step('disconnect');
  });

  it('way (b): a Room attached after connect() gets one fake pc whose stats come from room.getStats(); the real callstats.js takes it; its end is sent once', async () => {
    const room = await join({ way: 'b', realCallstats: true });
    let r = await summary();
    expect(r.pcsBuilt, "Twilio's own pc, unseen by the shim").toBe(1);
    expect(r.fabrics).toEqual([
      expect.objectContaining({ fake: true, added: [...SERVER_FABRIC, room, { remoteEndpointType: 'server' }], states: ['connected', 'stable'] }),
    ]);
    await server.addParticipant(room, 'bob');
    expect(await step('audioFlowing')).toBe(true);
    await expect.poll(async () => (await summary()).fabrics[0]!.associations, POLL).toHaveLength(1);
    const stats = await step<{ types: string[]; packetsSent: number; packetsReceived: number; inboundSsrcs: string[] }>('fakeStats');
    expect(stats.types).toEqual(expect.arrayContaining(['inbound-rtp', 'outbound-rtp', 'remote-inbound-rtp', 'codec']));
    expect(stats.packetsSent).toBeGreaterThan(0);
    expect(stats.packetsReceived).toBeGreaterThan(0);
    expect((await summary()).fabrics[0]!.associations).toEqual([['bob', stats.inboundSsrcs[0], 'microphone']]);
    expect(await step<string[]>('inboundSsrcs'), "the SSRC Twilio's stats give is the pc's").toEqual(stats.inboundSsrcs);
    // Held long enough for callstats.js to poll the fake pc and send a stats batch.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    await server.endRoom(room);
    await expect.poll(async () => (await summary()).state, POLL).toBe('disconnected');
    r = await summary();
    expect(r.fabrics).toEqual([expect.objectContaining({ terminated: 1, errors: [], states: ['closed', 'closed'] })]);
    expect(r.violations).toEqual([]);
    expect(await step<Leftovers>('leftovers')).toMatchObject({ shimListeners: 9, listenersLeft: [], localParticipantOwn: [] });
    const [setup] = await collector.waitForEvent({ conferenceID: room, eventType: 'fabricSetup', timeoutMs: 20_000 });
    const [terminated] = await collector.waitForEvent({ conferenceID: room, eventType: 'fabricTerminated', timeoutMs: 20_000 });
    expect(terminated!.connectionID).toBe(setup!.connectionID);
    const { batches } = await collector.api<{ batches: unknown[] }>(
      `conferences/${encodeURIComponent(room)}/fabrics/${encodeURIComponent(setup!.connectionID!)}/batches`,
    );
    expect(batches.length, 'stats batches from the fake pc at the collector').toBeGreaterThan(0);
  }, 60_000);

  it('way (b): a signaling reconnection leaves the fake pc connected', async () => {
    const room = await join({ way: 'b' });
    await server.dropSignaling(room);
    await expect.poll(async () => (await summary()).events, POLL).toEqual(expect.arrayContaining(['reconnecting:53001', 'reconnected']));
    const r = await summary();
    expect(r.fabrics.map((f) => [f.states[0], f.terminated])).toEqual([['connected', 0]]);
    expect(r.callMethods).toEqual(['addNewFabric']);
    await step('disconnect');
  });

  it('with the shim, the pc Twilio uses is still its own class (ChromeRTCPeerConnection), whose browser pc is the fabric; the app sees the same Room as without the shim', async () => {
    const outcome = async (way: 'a' | 'none') => {
      const room = await join({ way, video: true });
      const pcs = await step<unknown[]>('roomPcs');
      await server.addParticipant(room, 'bob');
      const audio = await step<boolean>('audioFlowing');
      await expect.poll(async () => (await summary()).published, POLL).toEqual(['audio:track:sid', 'video:track:sid']);
      await server.endRoom(room);
      await expect.poll(async () => (await summary()).state, POLL).toBe('disconnected');
      const { events, participants, published } = await summary();
      return { pcs, audio, events, participants, published };
    };
    const plain = await outcome('none');
    expect(plain.pcs).toEqual([{ className: 'ChromeRTCPeerConnection', twilioDefaultClass: true, browserPc: false, innerPcIsFabric: false }]);
    expect(plain.audio).toBe(true);
    const shimmed = await outcome('a');
    expect(shimmed.pcs).toEqual([{ className: 'ChromeRTCPeerConnection', twilioDefaultClass: true, browserPc: false, innerPcIsFabric: true }]);
    expect({ ...shimmed, pcs: undefined }).toEqual({ ...plain, pcs: undefined });
  }, 60_000);

  it('keeps the Room working when the monitoring client throws on every call, and warns once per kind', async () => {
    const room = await join({ way: 'a', brokenClient: true });
    await server.addParticipant(room, 'bob');
    expect(await step('audioFlowing')).toBe(true);
    await step('setEnabled', 'audio', false);
    await step('disconnect');
    const r = await summary();
    expect(r.events).toContain('disconnected:none');
    for (const method of ['addNewFabric', 'sendFabricEvent']) expect(r.warnings.filter((w) => w.includes(`${method} threw`))).toHaveLength(1);
  });

  it('dispose while connected: nothing more is sent, every listener and wrapper is gone, the Room goes on', async () => {
    const room = await join({ way: 'a' });
    await step('dispose');
    const before = (await summary()).callMethods.length;
    expect(await step<Leftovers>('leftovers')).toEqual({ shimListeners: 9, listenersLeft: [], localParticipantOwn: [], pcOwnFunctions: [[]] });
    await server.addParticipant(room, 'bob');
    expect(await step('audioFlowing')).toBe(true);
    await step('setEnabled', 'audio', false);
    await step('disconnect');
    expect((await summary()).callMethods).toHaveLength(before);
  });
});
