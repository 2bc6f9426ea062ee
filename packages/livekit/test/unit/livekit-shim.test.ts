import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorLivekit, type LivekitMonitor, type LivekitRemote, type LivekitRoom, type MonitorLivekitOptions } from '../../src/index.ts';
import { FakeEngine, FakePc, FakePublication, FakeRoom } from './fakes.ts';

const asRoom = (room: FakeRoom) => room as unknown as LivekitRoom;
const flush = () => new Promise((resolve) => setImmediate(resolve));
const events = (client: RecordingCallstats, pc?: object) => client.callsOf('sendFabricEvent', pc).map((c) => c.args[1]);
const OPTIONS = { conferenceID: 'conf', watchMediaDevices: false } as const;

function monitored(room = new FakeRoom(), client = new RecordingCallstats(), options: MonitorLivekitOptions = OPTIONS) {
  const monitor = monitorLivekit(client, asRoom(room), options);
  return { room, client, monitor, engine: room.engine! };
}

afterEach(() => vi.useRealTimers());

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor', () => {
    expectTypeOf<MonitorLivekitOptions>().toExtend<ShimMonitorOptions<LivekitRemote>>();
    expectTypeOf<LivekitMonitor>().toExtend<ShimMonitor<LivekitRoom>>();
    const { monitor } = monitored();
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
    monitor.dispose();
  });

  it('throws a TypeError naming the argument for a bad room or options, changing nothing', () => {
    const client = new RecordingCallstats();
    expect(() => monitorLivekit(client, {} as LivekitRoom, OPTIONS)).toThrow(/monitorLivekit.*room/);
    expect(() => monitorLivekit(client, null as unknown as LivekitRoom, OPTIONS)).toThrow(TypeError);
    const room = new FakeRoom();
    expect(() => monitorLivekit(client, asRoom(room), null as unknown as MonitorLivekitOptions)).toThrow(/options/);
    expect(() => monitorLivekit(client, asRoom(room), { conferenceID: 'c', remoteUserID: 42 as unknown as string })).toThrow(/remoteUserID/);
    expect(Object.getOwnPropertyDescriptor(room, 'engine')).toHaveProperty('writable', true);
    expect(room.listenerCount('trackMuted')).toBe(0);
  });
});

describe('pcs', () => {
  it('adds each pc of transportsCreated before anything is called on it: multiplex, the LiveKit server as remote', () => {
    const { client, engine, monitor } = monitored();
    const { publisher } = engine.configure();
    const pc = publisher._pc!;
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(0, 5))).toEqual([
      [pc, 'livekit-server', 'multiplex', 'conf', { remoteEndpointType: 'server' }],
    ]);
    expect(monitor.fabricFor(asRoom(new FakeRoom()))).toBeUndefined();
    expect(monitor.fabrics().map((f) => f.pc)).toEqual([pc]);
    expect(client.violations).toEqual([]);
  });

  it('two pcs (the /rtc fallback): publisher and subscriber, named by remoteUserID({ room, role })', () => {
    const room = new FakeRoom();
    const remoteUserID = vi.fn(({ role }: LivekitRemote) => `sfu-${role}`);
    const { client, engine } = monitored(room, new RecordingCallstats(), { ...OPTIONS, remoteUserID });
    const { publisher, subscriber } = engine.configure(true);
    expect(client.callsOf('addNewFabric').map((c) => [c.args[0], c.args[1]])).toEqual([
      [publisher._pc, 'sfu-publisher'],
      [subscriber!._pc, 'sfu-subscriber'],
    ]);
    expect(remoteUserID).toHaveBeenCalledWith({ room, role: 'publisher' });
  });

  it('ends each pc once at its close, and adds the pcs of the next join on the same engine (full reconnect, v0 fallback)', () => {
    const { client, engine } = monitored();
    const old = engine.configure().publisher._pc!;
    engine.cleanup();
    const next = engine.configure(true);
    expect(events(client, old)).toEqual(['fabricTerminated']);
    expect(client.fabrics).toEqual([old, next.publisher._pc, next.subscriber!._pc]);
    engine.cleanup();
    expect(client.callsOf('sendFabricEvent').filter((c) => c.args[1] === 'fabricTerminated')).toHaveLength(3);
    expect(client.violations).toEqual([]);
  });

  it('adds a pc the transport re-creates later (its lazy `pc` getter after close)', () => {
    const { client, engine } = monitored();
    const transport = engine.configure().publisher;
    transport._pc!.close();
    transport._pc = null;
    const recreated = transport.pc;
    expect(client.fabrics.at(-1)).toBe(recreated);
  });

  it('adds the pcs of an engine the Room builds later (new Room engine after a disconnect)', () => {
    const { client, room } = monitored();
    room.engine!.close();
    room.engine = undefined;
    const engine = new FakeEngine();
    room.engine = engine;
    const { publisher } = engine.configure();
    expect(client.fabrics).toEqual([publisher._pc]);
  });

  it('ends a pc the SDK leaves open when the Room drops its engine (disconnect() during connect())', () => {
    const { client, engine, room } = monitored();
    const pc = engine.configure().publisher._pc!;
    room.engine = undefined;
    expect(pc.signalingState).toBe('stable');
    expect(events(client, pc)).toEqual(['fabricTerminated']);
    pc.close();
    expect(events(client, pc)).toEqual(['fabricTerminated']);
    expect(client.violations).toEqual([]);
  });

  it('reports a failing pc function once with the original error; the SDK gets that error', async () => {
    const { client, engine } = monitored();
    const pc = engine.configure().publisher._pc!;
    const error = new DOMException('bad', 'OperationError');
    pc.failNext = error;
    await expect(pc.createOffer()).rejects.toBe(error);
    expect(client.callsOf('reportError').map((c) => [c.args[0], c.args[2], c.args[3]])).toEqual([[pc, 'createOffer', error]]);
  });
});

describe('Room events', () => {
  it('maps local mute of microphone and camera onto the publishing pc, not the subscriber', () => {
    const { client, engine, room } = monitored();
    const { publisher, subscriber } = engine.configure(true);
    const mic = new FakePublication('TR_mic', 'audio', 'microphone');
    const cam = new FakePublication('TR_cam', 'video', 'camera');
    room.muteLocal(mic, true);
    room.muteLocal(mic, false);
    room.muteLocal(cam, true);
    room.muteLocal(cam, false);
    // A remote participant's mute is not ours.
    room.emit('trackMuted', mic, room.remoteParticipants.get('x') ?? {});
    expect(events(client, publisher._pc!)).toEqual(['audioMute', 'audioUnmute', 'videoPause', 'videoResume']);
    expect(events(client, subscriber!._pc!)).toEqual([]);
  });

  it('maps a screen share published and unpublished to screenShareStart / Stop, once each', () => {
    const { client, engine, room } = monitored();
    engine.configure();
    const screen = new FakePublication('TR_screen', 'video', 'screen_share');
    room.publishLocal(screen);
    room.publishLocal(screen);
    room.publishLocal(new FakePublication('TR_mic', 'audio', 'microphone'));
    room.unpublishLocal(screen);
    room.unpublishLocal(screen);
    expect(events(client)).toEqual(['screenShareStart', 'screenShareStop']);
  });

  it("associates a remote track with its participant's identity once its receiver's stats show the SSRC", async () => {
    vi.useFakeTimers();
    const { client, engine, room } = monitored();
    const pc = engine.configure(true).subscriber!._pc!;
    const { track } = room.subscribe('bob', pc, 'microphone', null);
    await vi.advanceTimersByTimeAsync(0);
    expect(client.callsOf('associateMstWithUserID')).toEqual([]);
    track.receiver!.ssrc = 5555;
    await vi.advanceTimersByTimeAsync(1_000);
    room.subscribe('carol', pc, 'camera', 7777);
    await vi.advanceTimersByTimeAsync(0);
    expect(client.callsOf('associateMstWithUserID').map((c) => c.args)).toEqual([
      [pc, 'bob', 'conf', '5555', 'microphone'],
      [pc, 'carol', 'conf', '7777', 'camera'],
    ]);
  });

  it('attached mid-call: adds the live pcs, sends a local mute already on, associates subscribed tracks', async () => {
    const room = new FakeRoom();
    const { publisher } = room.engine!.configure();
    const mic = new FakePublication('TR_mic', 'audio', 'microphone');
    mic.isMuted = true;
    room.localParticipant.trackPublications.set(mic.trackSid, mic);
    room.subscribe('bob', publisher._pc!, 'microphone', 42);
    const { client, monitor } = monitored(room);
    await flush();
    expect(client.fabrics).toEqual([publisher._pc]);
    expect(events(client)).toEqual(['audioMute']);
    expect(client.callsOf('associateMstWithUserID').map((c) => c.args.slice(1))).toEqual([['bob', 'conf', '42', 'microphone']]);
    expect(monitor.fabricFor(asRoom(room))?.pc).toBe(publisher._pc);
  });
});

describe('dispose', () => {
  it('removes every listener, accessor and timer; sends nothing more; a pc closed later is not ended', async () => {
    vi.useFakeTimers();
    const room = new FakeRoom();
    const engineBefore = room.engine!;
    const { client, monitor } = monitored(room);
    const { publisher } = engineBefore.configure();
    const pc = publisher._pc!;
    room.subscribe('bob', pc, 'microphone', null);
    await vi.advanceTimersByTimeAsync(0);
    const before = client.calls.length;
    monitor.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(Object.getOwnPropertyDescriptor(room, 'engine')).toMatchObject({ value: engineBefore, writable: true });
    expect(Object.getOwnPropertyDescriptor(publisher, '_pc')).toMatchObject({ value: pc, writable: true });
    for (const event of ['trackMuted', 'trackUnmuted', 'trackSubscribed', 'localTrackPublished', 'localTrackUnpublished'])
      expect(room.listenerCount(event), event).toBe(0);
    expect(engineBefore.listenerCount('transportsCreated')).toBe(0);
    expect((pc as FakePc & Record<string, unknown>).createOffer).toBe(FakePc.prototype.createOffer);
    room.muteLocal(new FakePublication('TR_mic', 'audio', 'microphone'), true);
    pc.close();
    engineBefore.configure();
    publisher._pc = new FakePc();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(client.calls.length).toBe(before);
  });

  it('releases a closed engine: its transports get plain fields back at `closing`', () => {
    const { room } = monitored();
    const engine = room.engine!;
    const { publisher } = engine.configure();
    engine.close();
    expect(Object.getOwnPropertyDescriptor(publisher, '_pc')).toMatchObject({ value: null, writable: true });
  });
});

describe('two monitors on one Room', () => {
  it('both add the pcs of a new engine; disposing the first leaves the second watching', () => {
    const room = new FakeRoom();
    const first = new RecordingCallstats();
    const second = new RecordingCallstats();
    const one = monitorLivekit(first, asRoom(room), OPTIONS);
    const two = monitorLivekit(second, asRoom(room), OPTIONS);
    room.engine = new FakeEngine();
    const pc = room.engine.configure().publisher._pc;
    expect(first.fabrics).toEqual([pc]);
    expect(second.fabrics).toEqual([pc]);
    one.dispose();
    room.engine = new FakeEngine();
    const next = room.engine.configure().publisher._pc;
    expect(first.fabrics).toEqual([pc]);
    expect(second.fabrics).toEqual([pc, next]);
    two.dispose();
    expect(room.engine.listenerCount('transportsCreated')).toBe(0);
  });
});
