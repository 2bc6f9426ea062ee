import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { usageOfOffer, type ShimMonitor, type ShimMonitorOptions } from '@shims/core';
import { usageOfTracks } from '../../src/janus-shim.ts';
import { monitorJanus, type JanusHandleInfo, type JanusMonitor, type JanusPluginHandle, type MonitorJanusOptions } from '../../src/index.ts';

// A pc with what core's addFabric needs, built through the global constructor as janus.js does.
class FakePc extends EventTarget {
  signalingState = 'stable';
  iceConnectionState = 'new';
  localDescription = null;
  remoteDescription = null;
  async getStats() {
    return new Map();
  }
  async createOffer() {
    return { type: 'offer', sdp: '' };
  }
  async createAnswer() {
    return { type: 'answer', sdp: '' };
  }
  async setLocalDescription() {}
  async setRemoteDescription() {}
  async addIceCandidate() {}
  close() {
    this.signalingState = 'closed';
  }
}
const global = globalThis as { RTCPeerConnection?: unknown };

/** A janus.js-shaped session: attach answers asynchronously with a handle whose createOffer builds a pc synchronously. */
function fakeJanus() {
  const handles: Array<JanusPluginHandle & Record<string, unknown>> = [];
  let nextId = 1;
  const session = {
    attach(callbacks: { plugin: string; success?: (h: unknown) => void; oncleanup?: () => void; onlocaltrack?: (t: unknown, on: boolean) => void }) {
      const webrtcStuff = { pc: null as FakePc | null, myStream: null };
      const id = nextId++;
      const handle = {
        plugin: callbacks.plugin,
        id,
        getPlugin: () => callbacks.plugin,
        getId: () => id,
        webrtcStuff,
        createOffer(cb: { tracks?: unknown[] }) {
          if (!webrtcStuff.pc) webrtcStuff.pc = new (global.RTCPeerConnection as typeof FakePc)();
          void cb;
        },
        createAnswer() {
          if (!webrtcStuff.pc) webrtcStuff.pc = new (global.RTCPeerConnection as typeof FakePc)();
        },
        send: vi.fn(),
        muteAudio: () => webrtcStuff.pc !== null,
        unmuteAudio: () => webrtcStuff.pc !== null,
        muteVideo: () => false,
        unmuteVideo: () => true,
        onlocaltrack: callbacks.onlocaltrack ?? (() => {}),
        oncleanup: callbacks.oncleanup ?? (() => {}),
        hangup() {
          try {
            webrtcStuff.pc!.close();
          } catch {
            // janus.js ignores a missing pc here
          }
          webrtcStuff.pc = null;
          handle.oncleanup();
        },
        detach() {
          handle.hangup();
        },
      };
      handles.push(handle as never);
      queueMicrotask(() => callbacks.success?.(handle));
    },
    // janus.js without cleanupHandles: the session goes, the handles' pcs stay open.
    destroy: vi.fn(),
  };
  return { session, handles };
}
const attached = (
  session: { attach(c: object): void },
  plugin: string,
  callbacks: object = {},
): Promise<Required<JanusPluginHandle> & Record<string, (...a: never[]) => unknown>> =>
  new Promise((resolve) => session.attach({ plugin, ...callbacks, success: resolve }));

afterEach(() => {
  delete global.RTCPeerConnection;
});

describe('monitorJanus arguments', () => {
  it('throws a TypeError naming what is wrong', () => {
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    expect(() => monitorJanus(client, {} as never, { conferenceID: 'c' })).toThrow(/janus must be a Janus session/);
    expect(() => monitorJanus(client, null as never, { conferenceID: 'c' })).toThrow(TypeError);
    expect(() => monitorJanus({} as never, session as never, { conferenceID: 'c' })).toThrow(/client must have addNewFabric/);
    expect(() => monitorJanus(client, session as never, { conferenceID: '' })).toThrow(/conferenceID/);
    expect(() => monitorJanus(client, session as never, undefined as never)).toThrow(/options/);
    expect(() => monitorJanus(client, session as never, { conferenceID: 'c', remoteUserID: 1 as never })).toThrow(/remoteUserID/);
    const monitor = monitorJanus(client, session, { conferenceID: 'c', watchMediaDevices: false });
    expect(() => monitor.describeHandle({} as never, {})).toThrow(/handle must be a janus.js plugin handle/);
    expect(() => monitor.addHandle(null as never)).toThrow(TypeError);
  });
});

describe('monitorJanus with a janus.js-shaped session', () => {
  it('adds the pc built inside createOffer, named by plugin, with usage from tracks; the app callbacks object is untouched', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    monitorJanus(client, session, { conferenceID: 'c', watchMediaDevices: false });
    const callbacks = { plugin: 'janus.plugin.echotest' };
    const handle = await attached(session, callbacks.plugin, callbacks);
    expect(Object.keys(callbacks)).toEqual(['plugin']);
    handle.createOffer({ tracks: [{ type: 'audio', capture: true }] });
    const pc = (handle.webrtcStuff as { pc: object }).pc;
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1))).toEqual([
      ['janus.plugin.echotest', 'audio', 'c', { remoteEndpointType: 'server' }],
    ]);
    expect(client.callsOf('addNewFabric')[0]!.args[0]).toBe(pc);
    expect(global.RTCPeerConnection, 'the global constructor is put back').toBe(FakePc);
  });

  it('names a subscriber by plugin and feed, or as the app says (option, then describeHandle)', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    const monitor = monitorJanus(client, session, {
      conferenceID: 'c',
      watchMediaDevices: false,
      remoteUserID: (h) => (h.feed ? `user-of-${h.feed}` : `${h.plugin}#${h.handleId}`),
    });
    const sub = await attached(session, 'janus.plugin.videoroom');
    sub.send({ message: { request: 'join', ptype: 'subscriber', room: 1, streams: [{ feed: 42 }, { feed: 42 }] } });
    sub.createAnswer({ jsep: { type: 'offer', sdp: 'v=0\r\nm=audio 9 x\r\nm=video 9 x\r\n' } });
    const pub = await attached(session, 'janus.plugin.videoroom');
    pub.createOffer({});
    const other = await attached(session, 'janus.plugin.videoroom');
    monitor.describeHandle(other, { remoteUserID: 'alice', fabricUsage: 'video' });
    other.createOffer({ tracks: [{ type: 'audio' }] });
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1, 3))).toEqual([
      ['user-of-42', 'multiplex'],
      [`janus.plugin.videoroom#${pub.id}`, 'multiplex'],
      ['alice', 'video'],
    ]);
    expect(() => monitor.describeHandle(other, { fabricUsage: 'nope' as never })).toThrow(/fabricUsage must be one of/);
  });

  it('ends each pc once: hangup closes it, oncleanup fires again at detach; a re-offer is a new fabric', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    monitorJanus(client, session, { conferenceID: 'c', watchMediaDevices: false });
    const cleanups = vi.fn();
    const handle = await attached(session, 'janus.plugin.echotest', { oncleanup: cleanups });
    handle.createOffer({});
    handle.hangup();
    handle.createOffer({});
    handle.detach();
    handle.detach();
    expect(cleanups).toHaveBeenCalledTimes(3);
    expect(client.fabrics).toHaveLength(2);
    for (const pc of client.fabrics) {
      expect(client.callsOf('sendFabricEvent', pc).filter((c) => c.args[1] === 'fabricTerminated')).toHaveLength(1);
    }
    expect(client.violations).toEqual([]);
  });

  it('ends every fabric of the session at janus.destroy(), which leaves the pcs open without cleanupHandles', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    monitorJanus(client, session, { conferenceID: 'c', watchMediaDevices: false });
    const a = await attached(session, 'janus.plugin.videoroom');
    const b = await attached(session, 'janus.plugin.videoroom');
    a.createOffer({});
    b.createAnswer({});
    session.destroy({ success: () => {} });
    expect(session.destroy).toBeDefined();
    expect(client.fabrics.map((pc) => client.callsOf('sendFabricEvent', pc).filter((c) => c.args[1] === 'fabricTerminated').length)).toEqual([1, 1]);
    a.detach();
    b.detach();
    expect(client.violations).toEqual([]);
  });

  it('maps mute calls that succeed, and screen-share tracks added and removed', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    monitorJanus(client, session, { conferenceID: 'c', watchMediaDevices: false });
    const seen: boolean[] = [];
    const handle = await attached(session, 'janus.plugin.echotest', { onlocaltrack: (_t: unknown, on: boolean) => seen.push(on) });
    const appTrack = { kind: 'video', getSettings: () => ({}) };
    const displayTrack = { kind: 'video', getSettings: () => ({ displaySurface: 'monitor' }) };
    const camera = { kind: 'video', getSettings: () => ({ deviceId: 'cam' }) };
    handle.createOffer({ tracks: [{ type: 'screen', capture: appTrack }] });
    handle.muteAudio();
    handle.unmuteAudio();
    handle.muteVideo(); // janus.js answered false: nothing changed
    handle.unmuteVideo();
    handle.onlocaltrack(appTrack as never, true);
    handle.onlocaltrack(camera as never, true);
    handle.onlocaltrack(displayTrack as never, true);
    handle.onlocaltrack(appTrack as never, false);
    handle.onlocaltrack(displayTrack as never, false);
    handle.onlocaltrack(displayTrack as never, false);
    expect(seen).toEqual([true, true, true, false, false, false]);
    const pc = client.fabrics[0]!;
    expect(client.callsOf('addNewFabric', pc)[0]!.args[2]).toBe('screen');
    expect(client.callsOf('sendFabricEvent', pc).map((c) => c.args[1])).toEqual([
      'audioMute',
      'audioUnmute',
      'videoResume',
      'screenShareStart',
      'screenShareStart',
      'screenShareStop',
      'screenShareStop',
    ]);
  });

  it('adds a handle attached before monitoring with addHandle, its live pc late', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    const early = await attached(session, 'janus.plugin.echotest');
    early.createOffer({});
    const monitor = monitorJanus(client, session, { conferenceID: 'c', watchMediaDevices: false });
    monitor.addHandle(early);
    monitor.addHandle(early);
    expect(client.fabrics).toEqual([(early.webrtcStuff as { pc: object }).pc]);
    expect(monitor.fabricFor(early)?.active).toBe(true);
  });

  it('names a late handle by describeHandle, given before its live pc is added, and adds it once', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    const early = await attached(session, 'janus.plugin.videoroom');
    early.createOffer({});
    const monitor = monitorJanus(client, session, { conferenceID: 'c', watchMediaDevices: false });
    monitor.describeHandle(early, { remoteUserID: 'alice', fabricUsage: 'audio' });
    monitor.addHandle(early);
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1, 3))).toEqual([['alice', 'audio']]);
    monitor.dispose();
    expect(monitor.fabricFor(early)).toBeUndefined();
  });

  it('puts back janus.attach and every handle method at dispose, and sends nothing more', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    const { attach, destroy } = session;
    const monitor = monitorJanus(client, session, { conferenceID: 'c', watchMediaDevices: false });
    expect(session.attach).not.toBe(attach);
    expect(session.destroy).not.toBe(destroy);
    const handle = await attached(session, 'janus.plugin.echotest');
    const wrapped = Object.entries(handle)
      .filter(([, v]) => typeof v === 'function')
      .map(([k, v]) => [k, v] as const);
    handle.createOffer({});
    monitor.dispose();
    expect(session.attach).toBe(attach);
    expect(session.destroy).toBe(destroy);
    expect(Object.hasOwn(session, 'attach')).toBe(true);
    for (const [name, value] of wrapped) {
      if (['createOffer', 'createAnswer', 'send', 'muteAudio', 'detach', 'oncleanup'].includes(name)) expect(handle[name]).not.toBe(value);
    }
    const calls = client.calls.length;
    handle.muteAudio();
    handle.hangup();
    handle.createOffer({});
    expect(client.calls.length).toBe(calls);
  });

  it('warns once and goes on when the app remoteUserID function throws', async () => {
    global.RTCPeerConnection = FakePc;
    const client = new RecordingCallstats();
    const { session } = fakeJanus();
    const logger = { warn: vi.fn() };
    monitorJanus(client, session, {
      conferenceID: 'c',
      watchMediaDevices: false,
      logger,
      remoteUserID: () => {
        throw new Error('app bug');
      },
    });
    const handle = await attached(session, 'janus.plugin.echotest');
    handle.createOffer({});
    expect(client.callsOf('addNewFabric')[0]!.args[1]).toBe('janus.plugin.echotest');
    expect(logger.warn.mock.calls.map(([m]) => m)).toEqual([expect.stringMatching(/^\[@shims\/janus\] options.remoteUserID threw/)]);
  });
});

describe('fabric usage', () => {
  it('from tracks', () => {
    expect(usageOfTracks([{ type: 'audio' }])).toBe('audio');
    expect(usageOfTracks([{ type: 'video' }])).toBe('video');
    expect(usageOfTracks([{ type: 'screen' }])).toBe('screen');
    expect(usageOfTracks([{ type: 'data' }])).toBe('data');
    expect(usageOfTracks([{ type: 'audio' }, { type: 'video' }])).toBe('multiplex');
    expect(usageOfTracks([{ type: 'audio' }, { type: 'video', remove: true }])).toBe('audio');
    expect(usageOfTracks(undefined)).toBe('multiplex');
  });
  it('from an offer', () => {
    expect(usageOfOffer('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n')).toBe('audio');
    expect(usageOfOffer('v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n')).toBe('data');
    expect(usageOfOffer('v=0\r\nm=audio 9 x\r\nm=video 9 x\r\n')).toBe('multiplex');
    expect(usageOfOffer(undefined)).toBe('multiplex');
  });
});

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor, with per-handle extras', () => {
    expectTypeOf<MonitorJanusOptions>().toExtend<ShimMonitorOptions<JanusHandleInfo>>();
    expectTypeOf<JanusMonitor>().toExtend<ShimMonitor<JanusPluginHandle>>();
    const monitor = monitorJanus(new RecordingCallstats(), { attach: vi.fn() }, { conferenceID: 'c', watchMediaDevices: false });
    expect(Object.keys(monitor).sort()).toEqual(['addHandle', 'describeHandle', 'dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
    monitor.dispose();
  });
});
