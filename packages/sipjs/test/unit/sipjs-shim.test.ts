import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorSipJs, type MonitorSipJsOptions, type SipJsMonitor, type SipJsSession } from '../../src/index.ts';

/** SIP.js's Emitter, enough for stateChange. */
function emitter<T>() {
  const listeners = new Set<(data: T) => void>();
  return {
    addListener: (l: (data: T) => void) => void listeners.add(l),
    removeListener: (l: (data: T) => void) => void listeners.delete(l),
    emit: (data: T) => [...listeners].forEach((l) => l(data)),
    get size() {
      return listeners.size;
    },
  };
}
function fakeSession(user = 'bob', extra: object = {}) {
  return { state: 'Initial', stateChange: emitter<string>(), remoteIdentity: { uri: { user, toString: () => `sip:${user}@x.invalid` } }, ...extra };
}
class FakePc extends EventTarget {
  signalingState = 'stable';
  localDescription: { sdp: string } | null = null;
  remoteDescription: { sdp: string } | null = null;
  senders = [{ track: { kind: 'audio', enabled: true } }];
  createOffer = vi.fn(async () => ({}));
  createAnswer = vi.fn(async () => ({}));
  setLocalDescription = vi.fn(async () => {});
  setRemoteDescription = vi.fn(async () => {});
  addIceCandidate = vi.fn(async () => {});
  close = vi.fn();
  getStats = vi.fn(async () => new Map());
  getSenders = () => this.senders;
}
function fakeUA() {
  const handlers: Array<{ peerConnection: FakePc; enableSenderTracks(e: boolean): void; mediaStreamFactory: () => Promise<unknown> }> = [];
  const factory = vi.fn((_session?: unknown) => {
    const pc = new FakePc();
    const sdh = {
      peerConnection: pc,
      enableSenderTracks(enable: boolean) {
        for (const s of pc.senders) s.track.enabled = enable;
      },
      mediaStreamFactory: vi.fn(async () => {
        throw new DOMException('no mic', 'NotAllowedError');
      }),
    };
    handlers.push(sdh);
    return sdh;
  });
  return { ua: { configuration: { sessionDescriptionHandlerFactory: factory } }, factory, handlers };
}
const events = (client: RecordingCallstats) => client.callsOf('sendFabricEvent').map((c) => c.args[1]);
const AUDIO = (direction: string) => `v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=${direction}\r\n`;

describe('monitorSipJs arguments', () => {
  it('throws a TypeError naming what is wrong', () => {
    const client = new RecordingCallstats();
    expect(() => monitorSipJs(client, {} as never, { conferenceID: 'c' })).toThrow(/userAgent must be a SIP.js UserAgent/);
    expect(() => monitorSipJs(client, { configuration: {} }, { conferenceID: 'c' })).toThrow(/sessionDescriptionHandlerFactory/);
    expect(() => monitorSipJs({} as never, fakeUA().ua as never, { conferenceID: 'c' })).toThrow(/client must have addNewFabric/);
    expect(() => monitorSipJs(client, fakeUA().ua as never, { conferenceID: '' })).toThrow(/conferenceID/);
    expect(() => monitorSipJs(client, fakeUA().ua as never, undefined as never)).toThrow(/options/);
    expect(() => monitorSipJs(client, fakeUA().ua as never, { conferenceID: 'c', remoteUserID: 1 as never })).toThrow(/remoteUserID/);
    expect(() => monitorSipJs(client, fakeUA().ua as never, { conferenceID: 'c', outgoingFabricUsage: 'x' as never })).toThrow(/outgoingFabricUsage/);
  });
});

describe('monitorSipJs sessions', () => {
  it('adds each pc as its handler is built, maps hold, mute and getUserMedia, and ends the fabrics at Terminated', async () => {
    const client = new RecordingCallstats();
    const { ua, handlers } = fakeUA();
    monitorSipJs(client, ua as never, { conferenceID: 'c', outgoingFabricUsage: 'audio' });
    const session = fakeSession();
    ua.configuration.sessionDescriptionHandlerFactory(session);
    ua.configuration.sessionDescriptionHandlerFactory(session); // an early-media fork
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1, 4))).toEqual([
      ['bob', 'audio', 'c'],
      ['bob', 'audio', 'c'],
    ]);
    const [sdh] = handlers;
    const pc = sdh!.peerConnection;
    const settle = (local: string, remote: string) => {
      pc.localDescription = { sdp: AUDIO(local) };
      pc.remoteDescription = { sdp: AUDIO(remote) };
      pc.dispatchEvent(new Event('signalingstatechange'));
    };
    settle('sendrecv', 'sendrecv'); // the baseline
    settle('sendonly', 'recvonly'); // we hold
    settle('sendrecv', 'sendrecv');
    settle('recvonly', 'sendonly'); // they hold
    settle('recvonly', 'sendonly');
    settle('sendrecv', 'sendrecv');
    sdh!.enableSenderTracks(false);
    sdh!.enableSenderTracks(false);
    sdh!.enableSenderTracks(true);
    await expect(sdh!.mediaStreamFactory()).rejects.toThrow('no mic');
    session.stateChange.emit('Terminated');
    expect(events(client)).toEqual([
      'fabricHold',
      'fabricResume',
      'fabricHold',
      'fabricResume',
      'audioMute',
      'audioUnmute',
      'fabricTerminated',
      'fabricTerminated',
    ]);
    expect(client.callsOf('reportError').map((c) => c.args[2])).toEqual(['getUserMedia']);
    expect(session.stateChange.size).toBe(0);
    expect(client.violations).toEqual([]);
  });

  it('takes an incoming session’s usage from its offer', () => {
    const client = new RecordingCallstats();
    const { ua } = fakeUA();
    monitorSipJs(client, ua as never, { conferenceID: 'c', remoteUserID: () => 'carol' });
    const invitation = fakeSession('x', { accept: () => {}, request: { body: 'v=0\r\nm=video 9 x\r\n' } });
    ua.configuration.sessionDescriptionHandlerFactory(invitation);
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1, 3))).toEqual([['carol', 'video']]);
  });

  it('puts the factory and every wrapper back at dispose, and sends nothing more', () => {
    const client = new RecordingCallstats();
    const { ua, factory, handlers } = fakeUA();
    const monitor = monitorSipJs(client, ua as never, { conferenceID: 'c' });
    const session = fakeSession();
    ua.configuration.sessionDescriptionHandlerFactory(session);
    const sdh = handlers[0]!;
    // SIP.js keeps the handler it asked the factory for as the session's.
    Object.assign(session, { sessionDescriptionHandler: sdh });
    expect(monitor.fabricFor(session as never)?.pc).toBe(sdh.peerConnection);
    expect(Object.keys(sdh)).toEqual(['peerConnection', 'enableSenderTracks', 'mediaStreamFactory']);
    const wrappedMute = sdh.enableSenderTracks;
    monitor.dispose();
    expect(ua.configuration.sessionDescriptionHandlerFactory).toBe(factory);
    expect(sdh.enableSenderTracks).not.toBe(wrappedMute);
    expect(session.stateChange.size).toBe(0);
    const before = client.calls.length;
    sdh.enableSenderTracks(false);
    session.stateChange.emit('Terminated');
    expect(client.calls.length).toBe(before);
    expect(monitor.fabricFor(session as never)).toBeUndefined();
  });
});

describe('a monitor created while sessions run (late attachment)', () => {
  it("adds each live session's current pc once, ends it at Terminated, and dispose undoes it", () => {
    const client = new RecordingCallstats();
    const { ua } = fakeUA();
    const pc = new FakePc();
    const sdh = { peerConnection: pc, enableSenderTracks: vi.fn() };
    const enable = sdh.enableSenderTracks;
    const live = fakeSession('bob', { state: 'Established', sessionDescriptionHandler: sdh, accept() {}, request: { body: AUDIO('sendrecv') } });
    const ended = fakeSession('carol', { state: 'Terminated', sessionDescriptionHandler: { peerConnection: new FakePc() } });
    const early = fakeSession('dave', { state: 'Establishing' });
    const monitor = monitorSipJs(client, Object.assign(ua, { _sessions: { a: live, b: ended, c: early } }) as never, { conferenceID: 'c' });
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(0, 4))).toEqual([[pc, 'bob', 'audio', 'c']]);
    expect(monitor.fabricFor(live as unknown as SipJsSession)?.active).toBe(true);
    expect(sdh.enableSenderTracks, 'mute is watched').not.toBe(enable);
    // A later handler of a session still establishing is caught by the factory as usual.
    ua.configuration.sessionDescriptionHandlerFactory(early);
    expect(client.callsOf('addNewFabric')).toHaveLength(2);
    live.stateChange.emit('Terminated');
    expect(events(client)).toEqual(['fabricTerminated']);
    expect(live.stateChange.size).toBe(0);
    monitor.dispose();
    expect(early.stateChange.size).toBe(0);
    expect(sdh.enableSenderTracks).toBe(enable);
  });
});

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor', () => {
    expectTypeOf<MonitorSipJsOptions>().toExtend<ShimMonitorOptions<SipJsSession>>();
    expectTypeOf<SipJsMonitor>().toExtend<ShimMonitor<SipJsSession>>();
    const monitor = monitorSipJs(new RecordingCallstats(), fakeUA().ua as never, { conferenceID: 'c' });
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
  });
});
