import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorTwilioVideo, type MonitorTwilioVideoOptions, type TwilioRoom, type TwilioVideoMonitor } from '../../src/index.ts';
import { FakeRoom, FakeRTCPeerConnection, FakeTrack, FakeTwilioPeerConnection, ThrowingTwilioPeerConnection } from './fakes.ts';

// Twilio's default pc class, as the shim imports it from twilio-video's internal module; each test
// sets it (in Node the real module exports a constructor that throws "not supported").
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it vi.hoisted types `current` as undefined
const twilioDefault = vi.hoisted(() => ({ current: undefined as unknown }));
vi.mock('twilio-video/es5/webrtc/rtcpeerconnection/index.js', () => ({
  get default() {
    return twilioDefault.current;
  },
}));

const asRoom = (room: FakeRoom) => room as unknown as TwilioRoom;
const flush = () => new Promise((resolve) => setImmediate(resolve));
const events = (client: RecordingCallstats) => client.callsOf('sendFabricEvent').map((c) => c.args[1]);

/** Way (a): a monitor, and a pc built the way Twilio builds it through the connect option. */
function connectedThroughShim(client = new RecordingCallstats(), extra: object = {}) {
  const monitoring = monitorTwilioVideo(client, { conferenceID: 'conf', ...extra });
  const options = monitoring.connectOptions({ name: 'room-1', RTCPeerConnection: FakeRTCPeerConnection as never });
  const pc = new options.RTCPeerConnection({ iceServers: [] }, { chromeSpecificConstraints: undefined }) as unknown as FakeRTCPeerConnection;
  return { client, monitoring, options, pc };
}

beforeEach(() => {
  FakeRTCPeerConnection.instances = [];
  twilioDefault.current = FakeTwilioPeerConnection;
});

/** Runs `fn` with the page's `RTCPeerConnection` set to the fake browser class. */
function withGlobalPc<T>(fn: () => T): T {
  const holder = globalThis as { RTCPeerConnection?: unknown };
  const before = holder.RTCPeerConnection;
  holder.RTCPeerConnection = FakeRTCPeerConnection;
  try {
    return fn();
  } finally {
    holder.RTCPeerConnection = before;
  }
}
afterEach(() => {
  vi.useRealTimers();
});

describe('monitorTwilioVideo arguments', () => {
  it('throws a TypeError naming what is wrong', () => {
    const client = new RecordingCallstats();
    expect(() => monitorTwilioVideo({} as never, { conferenceID: 'c' })).toThrow(/client must have addNewFabric/);
    expect(() => monitorTwilioVideo(client, undefined as never)).toThrow(/options must be an object/);
    expect(() => monitorTwilioVideo(client, { conferenceID: '' })).toThrow(/conferenceID/);
    expect(() => monitorTwilioVideo(client, { conferenceID: 'c', remoteUserID: '' })).toThrow(/remoteUserID/);
    expect(() => monitorTwilioVideo(client, { conferenceID: 'c', isScreenShare: true as never })).toThrow(/isScreenShare/);
    const monitoring = monitorTwilioVideo(client, { conferenceID: 'c' });
    expect(() => monitoring.connectOptions('x' as never)).toThrow(TypeError);
    expect(() => monitoring.connectOptions({ RTCPeerConnection: 42 } as never)).toThrow(/RTCPeerConnection must be a constructor/);
    expect(() => monitoring.attach({} as never)).toThrow(/room must be a Twilio Room/);
    expect(() => monitoring.attach(null as never)).toThrow(TypeError);
  });
});

describe('way (a): the RTCPeerConnection connect option', () => {
  it("returns a copy of the app's options with a constructor, and leaves the app's object as it was", () => {
    const monitoring = monitorTwilioVideo(new RecordingCallstats(), { conferenceID: 'c' });
    const app = { name: 'r', iceServers: [], insights: false };
    const options = monitoring.connectOptions(app);
    expect(options).toMatchObject({ name: 'r', iceServers: [], insights: false });
    expect(typeof options.RTCPeerConnection).toBe('function');
    expect(app).toEqual({ name: 'r', iceServers: [], insights: false });
  });

  it('adds each pc as a server fabric the moment Twilio builds it, with the arguments Twilio gave', () => {
    const { client, pc } = connectedThroughShim();
    expect(pc).toBeInstanceOf(FakeRTCPeerConnection);
    expect(pc.args).toEqual([{ iceServers: [] }, { chromeSpecificConstraints: undefined }]);
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1))).toEqual([
      ['twilio-media-server', 'multiplex', 'conf', { remoteEndpointType: 'server' }],
    ]);
    expect(client.fabrics).toEqual([pc]);
  });

  it("builds Twilio's own default class when the app gave none; the browser pc it builds inside is the fabric", () => {
    const client = new RecordingCallstats();
    const monitoring = monitorTwilioVideo(client, { conferenceID: 'c' });
    const options = monitoring.connectOptions({});
    withGlobalPc(() => {
      const pc = new options.RTCPeerConnection(
        { iceServers: [] },
        { chromeSpecificConstraints: { optional: [] } },
      ) as unknown as FakeTwilioPeerConnection;
      expect(pc).toBeInstanceOf(FakeTwilioPeerConnection);
      expect(pc).toBeInstanceOf(options.RTCPeerConnection);
      expect(pc._peerConnection.args).toEqual([{ iceServers: [] }, { optional: [] }]);
      expect(client.fabrics).toEqual([pc._peerConnection]);
      expect(globalThis.RTCPeerConnection, 'the global constructor is put back').toBe(FakeRTCPeerConnection);
      // A probe pc built with the global constructor (Twilio's codec probe) is not a fabric.
      new FakeRTCPeerConnection();
      expect(client.fabrics).toHaveLength(1);
    });
  });

  it("keeps Twilio's behaviour (a held-back offer) and reports what failed on the browser pc, even the addIceCandidate failures Twilio swallows", async () => {
    const client = new RecordingCallstats();
    const monitoring = monitorTwilioVideo(client, { conferenceID: 'c' });
    const options = monitoring.connectOptions({});
    const pc = withGlobalPc(() => new options.RTCPeerConnection({}, {})) as unknown as FakeTwilioPeerConnection;
    pc._peerConnection.failNext = 'setLocalDescription';
    await expect(pc.setLocalDescription({ type: 'offer', sdp: 'o' }), "Twilio's wrapper holds the offer back").resolves.toBeUndefined();
    expect(pc.signalingState).toBe('have-local-offer');
    expect(client.callsOf('reportError')).toHaveLength(0);
    await expect(pc.setRemoteDescription({ type: 'answer', sdp: 'a' })).rejects.toThrow('setLocalDescription failed');
    pc._peerConnection.failNext = 'addIceCandidate';
    await expect(pc.addIceCandidate({ candidate: '' })).rejects.toThrow('addIceCandidate failed');
    expect(client.callsOf('reportError').map((c) => [c.args[0], c.args[2]])).toEqual([
      [pc._peerConnection, 'setLocalDescription'],
      [pc._peerConnection, 'addIceCandidate'],
    ]);
  });

  it("registers the instance itself when Twilio's default class is the browser's (it builds no inner pc)", () => {
    twilioDefault.current = FakeRTCPeerConnection;
    const client = new RecordingCallstats();
    const options = monitorTwilioVideo(client, { conferenceID: 'c' }).connectOptions({});
    const pc = new options.RTCPeerConnection();
    expect(pc).toBeInstanceOf(FakeRTCPeerConnection);
    expect(client.fabrics).toEqual([pc]);
  });

  it("registers nothing when Twilio's default class throws, and the error reaches Twilio", () => {
    twilioDefault.current = ThrowingTwilioPeerConnection;
    const client = new RecordingCallstats();
    const options = monitorTwilioVideo(client, { conferenceID: 'c' }).connectOptions({});
    withGlobalPc(() => {
      expect(() => new options.RTCPeerConnection({}, {})).toThrow('unsupported configuration');
      expect(globalThis.RTCPeerConnection).toBe(FakeRTCPeerConnection);
    });
    expect(client.fabrics).toEqual([]);
  });

  it("falls back to the page's RTCPeerConnection, read when Twilio builds the pc, when Twilio's default class cannot be loaded; warns once", () => {
    twilioDefault.current = undefined;
    const client = new RecordingCallstats();
    const warnings: string[] = [];
    const monitoring = monitorTwilioVideo(client, { conferenceID: 'c', logger: { warn: (m) => warnings.push(m) } });
    const options = monitoring.connectOptions({});
    monitoring.connectOptions({});
    expect(warnings).toEqual([expect.stringContaining("twilio-video's default pc class could not be loaded")]);
    withGlobalPc(() => {
      const pc = new options.RTCPeerConnection();
      expect(pc).toBeInstanceOf(FakeRTCPeerConnection);
      expect(client.fabrics).toEqual([pc]);
    });
  });

  it('throws like the browser when called without new', () => {
    const monitoring = monitorTwilioVideo(new RecordingCallstats(), { conferenceID: 'c' });
    const Ctor = monitoring.connectOptions({ RTCPeerConnection: FakeRTCPeerConnection as never }).RTCPeerConnection as unknown as () => unknown;
    expect(() => Ctor()).toThrow(/new/);
  });

  it('reports a failing pc method with its function and the original error; the caller still gets it', async () => {
    const { client, pc } = connectedThroughShim();
    pc.failNext = 'createOffer';
    const error = await pc.createOffer().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    // Twilio swallows addIceCandidate failures (it logs a warning): the wrapper still sees them.
    pc.failNext = 'addIceCandidate';
    await pc.addIceCandidate().catch(() => {});
    const reports = client.callsOf('reportError').map((c) => [c.args[2], c.args[3]]);
    expect(reports).toEqual([
      ['createOffer', error],
      ['addIceCandidate', expect.objectContaining({ message: 'addIceCandidate failed' })],
    ]);
  });

  it('attaches SDP to a reported error only with collectSDP', async () => {
    for (const collectSDP of [false, true]) {
      const { client, pc } = connectedThroughShim(new RecordingCallstats(), { collectSDP });
      pc.failNext = 'setRemoteDescription';
      await pc.setRemoteDescription({ type: 'answer', sdp: 'v=0 remote' }).catch(() => {});
      expect(client.callsOf('reportError')[0]!.args.slice(4)).toEqual(collectSDP ? [undefined, 'v=0 remote'] : []);
    }
  });

  it('ends a pc once: at its close, and not again when the Room disconnects', () => {
    const { client, monitoring, pc } = connectedThroughShim();
    const room = new FakeRoom();
    monitoring.attach(asRoom(room));
    pc.close();
    room.disconnect();
    expect(events(client)).toEqual(['fabricTerminated']);
    expect(client.violations).toEqual([]);
  });

  it("reports the page's getUserMedia failures (createLocalTracks) from monitorTwilioVideo until the Room ends, or not at all with watchMediaDevices: false", async () => {
    const denied = new DOMException('denied', 'NotAllowedError');
    const mediaDevices = { getUserMedia: () => Promise.reject(denied) };
    const original = mediaDevices.getUserMedia;
    vi.stubGlobal('navigator', { mediaDevices });
    try {
      const off = new RecordingCallstats();
      monitorTwilioVideo(off, { conferenceID: 'conf', watchMediaDevices: false });
      expect(mediaDevices.getUserMedia).toBe(original);

      const { client, monitoring } = connectedThroughShim();
      await expect(mediaDevices.getUserMedia()).rejects.toBe(denied);
      expect(client.callsOf('reportError').map((c) => c.args)).toEqual([[null, 'conf', 'getUserMedia', denied]]);
      const room = new FakeRoom();
      monitoring.attach(asRoom(room));
      room.disconnect();
      expect(mediaDevices.getUserMedia).toBe(original);
      expect(off.calls).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('ends a pc Twilio left open when the Room disconnects', () => {
    const { client, monitoring } = connectedThroughShim();
    const room = new FakeRoom();
    monitoring.attach(asRoom(room));
    room.disconnect({ code: 53118 });
    expect(events(client)).toEqual(['fabricTerminated']);
    expect(monitoring.fabrics()).toEqual([]);
  });

  it('maps local track disable/enable to mute and video pause', () => {
    const { client, monitoring } = connectedThroughShim();
    const room = new FakeRoom();
    const mic = new FakeTrack('audio', 'mic');
    const cam = new FakeTrack('video', 'cam');
    room.localParticipant.publish(mic, 'MT1');
    room.localParticipant.publish(cam, 'MT2');
    monitoring.attach(asRoom(room));
    room.localParticipant.setEnabled(mic, false);
    room.localParticipant.setEnabled(mic, true);
    room.localParticipant.setEnabled(cam, false);
    room.localParticipant.setEnabled(cam, true);
    expect(events(client)).toEqual(['audioMute', 'audioUnmute', 'videoPause', 'videoResume']);
  });

  it('sends the state of tracks already disabled or shared at attach', () => {
    const { client, monitoring } = connectedThroughShim();
    const room = new FakeRoom();
    const mic = new FakeTrack('audio', 'mic');
    mic.isEnabled = false;
    room.localParticipant.publish(mic, 'MT1');
    room.localParticipant.publish(new FakeTrack('video', 'screen'), 'MT2');
    monitoring.attach(asRoom(room));
    expect(events(client)).toEqual(['audioMute', 'screenShareStart']);
  });

  it('maps a screen share published then unpublished, or stopped, to screenShareStart/Stop, once each', () => {
    const { client, monitoring } = connectedThroughShim();
    const room = new FakeRoom();
    monitoring.attach(asRoom(room));
    const byName = new FakeTrack('video', 'screen-share');
    const byDisplay = new FakeTrack('video', 'x', { displaySurface: 'monitor' });
    const camera = new FakeTrack('video', 'camera');
    room.localParticipant.publish(camera, 'MT0');
    room.localParticipant.publish(byName, 'MT1');
    room.localParticipant.unpublishTrack(byName);
    room.localParticipant.unpublishTrack(byName);
    room.localParticipant.publish(byDisplay, 'MT2');
    room.localParticipant.emit('trackStopped', byDisplay);
    room.localParticipant.unpublishTrack(camera);
    expect(events(client)).toEqual(['screenShareStart', 'screenShareStop', 'screenShareStart', 'screenShareStop']);
    expect(room.localParticipant.unpublished).toEqual([byName, byName, camera]);
  });

  it("uses the app's isScreenShare rule", () => {
    const { client, monitoring } = connectedThroughShim(new RecordingCallstats(), {
      isScreenShare: (t: { name?: string }) => t.name === 'presentation',
    });
    const room = new FakeRoom();
    monitoring.attach(asRoom(room));
    room.localParticipant.publish(new FakeTrack('video', 'screen'), 'MT1');
    room.localParticipant.publish(new FakeTrack('video', 'presentation'), 'MT2');
    expect(events(client)).toEqual(['screenShareStart']);
  });

  it("associates a remote participant's track with its identity once its SSRC shows in the pc's stats", async () => {
    vi.useFakeTimers();
    const { client, monitoring, pc } = connectedThroughShim();
    const room = new FakeRoom();
    monitoring.attach(asRoom(room));
    room.join('bob', new FakeTrack('audio', 'bob-mic'), 'MT9');
    await vi.advanceTimersByTimeAsync(0);
    expect(client.callsOf('associateMstWithUserID')).toEqual([]);
    pc.inbound = [{ trackIdentifier: 'mst-bob-mic', ssrc: 1234 }];
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.callsOf('associateMstWithUserID').map((c) => c.args.slice(1))).toEqual([['bob', 'conf', '1234', 'microphone']]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.callsOf('associateMstWithUserID')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('associates tracks of participants already in the Room at attach', async () => {
    const { client, monitoring, pc } = connectedThroughShim();
    const room = new FakeRoom();
    room.join('carol', new FakeTrack('video', 'carol-cam'), 'MT5');
    pc.inbound = [{ trackIdentifier: 'mst-carol-cam', ssrc: 77 }];
    monitoring.attach(asRoom(room));
    await flush();
    expect(client.callsOf('associateMstWithUserID').map((c) => c.args.slice(1))).toEqual([['carol', 'conf', '77', 'camera']]);
  });

  it('stops looking for an SSRC when the track is unsubscribed, the Room ends or the monitor is disposed', async () => {
    vi.useFakeTimers();
    for (const end of ['unsubscribe', 'disconnect', 'dispose'] as const) {
      const { client, monitoring } = connectedThroughShim();
      const room = new FakeRoom();
      monitoring.attach(asRoom(room));
      const track = new FakeTrack('audio', 'dave-mic');
      const participant = room.join('dave', track, 'MT3');
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount(), end).toBe(1);
      if (end === 'unsubscribe') room.emit('trackUnsubscribed', track, participant.tracks.get('MT3'), participant);
      if (end === 'disconnect') room.disconnect();
      if (end === 'dispose') monitoring.dispose();
      await vi.advanceTimersByTimeAsync(30_000);
      expect(vi.getTimerCount(), end).toBe(0);
      expect(client.callsOf('associateMstWithUserID'), end).toEqual([]);
    }
  });

  it("sends nothing for reconnecting/reconnected: callstats.js reads the real pc's ICE states itself", () => {
    const { client, monitoring } = connectedThroughShim();
    const room = new FakeRoom();
    monitoring.attach(asRoom(room));
    room.emit('reconnecting', { code: 53405 });
    room.emit('reconnected');
    expect(client.calls.map((c) => c.method)).toEqual(['addNewFabric']);
  });

  it('leaves no listener or wrapper on the Room after it disconnects, and after dispose', () => {
    for (const end of ['disconnect', 'dispose'] as const) {
      const { monitoring } = connectedThroughShim();
      const room = new FakeRoom();
      const unpublishTrack = room.localParticipant.unpublishTrack;
      monitoring.attach(asRoom(room));
      expect(room.listenersLeft()).toBeGreaterThan(0);
      expect(Object.hasOwn(room.localParticipant, 'unpublishTrack')).toBe(true);
      if (end === 'disconnect') room.disconnect();
      else monitoring.dispose();
      expect(room.listenersLeft(), end).toBe(0);
      expect(Object.hasOwn(room.localParticipant, 'unpublishTrack'), end).toBe(false);
      expect(room.localParticipant.unpublishTrack).toBe(unpublishTrack);
    }
  });

  it('sends nothing after dispose, and a pc built after it is not monitored', async () => {
    const { client, monitoring, options, pc } = connectedThroughShim();
    const room = new FakeRoom();
    const mic = new FakeTrack('audio', 'mic');
    room.localParticipant.publish(mic, 'MT1');
    monitoring.attach(asRoom(room));
    monitoring.dispose();
    const before = client.calls.length;
    room.localParticipant.setEnabled(mic, false);
    pc.failNext = 'createOffer';
    await pc.createOffer().catch(() => {});
    pc.close();
    new options.RTCPeerConnection();
    room.disconnect();
    expect(client.calls.length).toBe(before);
    expect(Object.hasOwn(pc, 'createOffer')).toBe(false);
  });

  it('watches one Room at a time', () => {
    const { monitoring } = connectedThroughShim();
    const room = new FakeRoom();
    monitoring.attach(asRoom(room));
    monitoring.attach(asRoom(room));
    expect(() => monitoring.attach(asRoom(new FakeRoom('other')))).toThrow(/another Room/);
    room.disconnect();
    expect(() => monitoring.attach(asRoom(new FakeRoom('next')))).not.toThrow();
  });

  it('keeps the Room working when the monitoring client throws on every call, and warns once per kind', async () => {
    const fail = () => {
      throw new Error('monitoring client bug');
    };
    const client = { addNewFabric: fail, reportError: fail, sendFabricEvent: fail, associateMstWithUserID: fail };
    const warn = vi.fn();
    const monitoring = monitorTwilioVideo(client, { conferenceID: 'c', logger: { warn } });
    const pc = new (monitoring.connectOptions({
      RTCPeerConnection: FakeRTCPeerConnection as never,
    }).RTCPeerConnection)() as unknown as FakeRTCPeerConnection;
    pc.inbound = [{ trackIdentifier: 'mst-eve-mic', ssrc: 5 }];
    const room = new FakeRoom();
    const mic = new FakeTrack('audio', 'mic');
    room.localParticipant.publish(mic, 'MT1');
    monitoring.attach(asRoom(room));
    expect(() => {
      room.localParticipant.setEnabled(mic, false);
      room.join('eve', new FakeTrack('audio', 'eve-mic'), 'MT2');
    }).not.toThrow();
    await flush();
    expect(() => room.disconnect()).not.toThrow();
    const kinds = warn.mock.calls.map(([message]) => String(message).match(/callstats (\w+) threw/)?.[1]);
    expect(kinds.sort()).toEqual(['addNewFabric', 'associateMstWithUserID', 'sendFabricEvent']);
  });
});

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor, with connectOptions and attach', () => {
    expectTypeOf<MonitorTwilioVideoOptions>().toExtend<ShimMonitorOptions<void>>();
    expectTypeOf<TwilioVideoMonitor>().toExtend<ShimMonitor<TwilioRoom>>();
    const monitoring = monitorTwilioVideo(new RecordingCallstats(), { conferenceID: 'c' });
    expect(Object.keys(monitoring).sort()).toEqual(['attach', 'connectOptions', 'dispose', 'fabricFor', 'fabrics']);
    expect(monitoring[Symbol.dispose]).toBe(monitoring.dispose);
  });
});
