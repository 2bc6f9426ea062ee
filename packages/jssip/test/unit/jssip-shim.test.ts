import { EventEmitter } from 'node:events';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorJsSip, type JsSipMonitor, type JsSipSession, type MonitorJsSipOptions } from '../../src/index.ts';

class FakeUA extends EventEmitter {
  call = vi.fn();
}
class FakeSession extends EventEmitter {
  connection: object | null = null;
  direction: 'incoming' | 'outgoing' = 'outgoing';
  remote_identity = { uri: { user: 'bob', toString: () => 'sip:bob@example.invalid' } };
}
/** The smallest pc the monitor accepts. */
function fakePc() {
  const pc = {
    createOffer: vi.fn(async () => ({})),
    createAnswer: vi.fn(async () => ({})),
    setLocalDescription: vi.fn(async () => {}),
    setRemoteDescription: vi.fn(async () => {}),
    addIceCandidate: vi.fn(async () => {}),
    close: vi.fn(),
    getStats: vi.fn(async () => new Map()),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    signalingState: 'stable',
    iceConnectionState: 'new',
    iceGatheringState: 'new',
    connectionState: 'new',
    localDescription: null,
    remoteDescription: null,
  };
  return pc;
}
const events = (client: RecordingCallstats) => client.callsOf('sendFabricEvent').map((c) => c.args[1]);

describe('monitorJsSip arguments', () => {
  it('throws a TypeError naming what is wrong', () => {
    const client = new RecordingCallstats();
    expect(() => monitorJsSip(client, {} as never, { conferenceID: 'c' })).toThrow(/ua must be a JsSIP UA/);
    expect(() => monitorJsSip(client, null as never, { conferenceID: 'c' })).toThrow(TypeError);
    expect(() => monitorJsSip({} as never, new FakeUA() as never, { conferenceID: 'c' })).toThrow(/client must have addNewFabric/);
    expect(() => monitorJsSip(client, new FakeUA() as never, { conferenceID: '' })).toThrow(/conferenceID/);
    expect(() => monitorJsSip(client, new FakeUA() as never, undefined as never)).toThrow(/options/);
    expect(() => monitorJsSip(client, new FakeUA() as never, { conferenceID: 'c', remoteUserID: 1 as never })).toThrow(/remoteUserID/);
    expect(() => monitorJsSip(client, new FakeUA() as never, { conferenceID: 'c', outgoingFabricUsage: 'voice' as never })).toThrow(
      /outgoingFabricUsage/,
    );
  });
});

describe('monitorJsSip sessions', () => {
  it('adds an outgoing pc at newRTCSession and maps hold, mute and the end', () => {
    const client = new RecordingCallstats();
    const ua = new FakeUA();
    monitorJsSip(client, ua, { conferenceID: 'c', outgoingFabricUsage: 'audio' });
    const session = new FakeSession();
    session.connection = fakePc();
    ua.emit('newRTCSession', { originator: 'local', session });
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(0, 4))).toEqual([[session.connection, 'bob', 'audio', 'c']]);
    session.emit('hold', { originator: 'local' });
    session.emit('hold', { originator: 'remote' });
    session.emit('unhold', { originator: 'local' });
    session.emit('unhold', { originator: 'remote' });
    session.emit('unhold', { originator: 'remote' });
    session.emit('muted', { audio: true, video: true });
    session.emit('unmuted', { audio: false, video: true });
    session.emit('ended', {});
    session.emit('failed', {});
    expect(events(client)).toEqual(['fabricHold', 'fabricResume', 'audioMute', 'videoPause', 'videoResume', 'fabricTerminated']);
    expect(client.violations).toEqual([]);
  });

  it('adds an incoming pc only when answer() builds it, with the usage of the offer', () => {
    const client = new RecordingCallstats();
    const ua = new FakeUA();
    monitorJsSip(client, ua, { conferenceID: 'c', remoteUserID: () => 'carol' });
    const session = new FakeSession();
    session.direction = 'incoming';
    ua.emit('newRTCSession', { originator: 'remote', session, request: { body: 'v=0\r\nm=video 9 x\r\n' } });
    expect(client.callsOf('addNewFabric')).toEqual([]);
    const pc = fakePc();
    session.emit('peerconnection', { peerconnection: pc });
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1, 3))).toEqual([['carol', 'video']]);
  });

  it('reports a getUserMedia failure once, and no typed pc failure event (the pc wrapper reports those)', async () => {
    const client = new RecordingCallstats();
    const ua = new FakeUA();
    monitorJsSip(client, ua, { conferenceID: 'c' });
    const session = new FakeSession();
    const pc = fakePc();
    const failure = new DOMException('boom', 'OperationError');
    pc.setRemoteDescription.mockRejectedValueOnce(failure);
    session.connection = pc;
    ua.emit('newRTCSession', { originator: 'local', session });
    await expect((pc as unknown as RTCPeerConnection).setRemoteDescription({ type: 'answer', sdp: '' })).rejects.toBe(failure);
    session.emit('peerconnection:setremotedescriptionfailed', failure);
    session.emit('failed', {});
    session.emit('getusermediafailed', new DOMException('no mic', 'NotAllowedError'));
    await Promise.resolve();
    session.emit('getusermediafailed', new DOMException('later', 'NotAllowedError'));
    expect(client.callsOf('reportError').map((c) => [c.args[0] === null ? null : 'pc', c.args[2]])).toEqual([
      ['pc', 'setRemoteDescription'],
      [null, 'getUserMedia'],
    ]);
  });

  it('removes every listener at dispose and sends nothing more', () => {
    const client = new RecordingCallstats();
    const ua = new FakeUA();
    const monitor = monitorJsSip(client, ua, { conferenceID: 'c' });
    const session = new FakeSession();
    session.connection = fakePc();
    ua.emit('newRTCSession', { originator: 'local', session });
    expect(monitor.fabricFor(session as never)).toBeDefined();
    monitor.dispose();
    expect(ua.listenerCount('newRTCSession')).toBe(0);
    expect(session.eventNames()).toEqual([]);
    expect(monitor.fabricFor(session as never)).toBeUndefined();
    const before = client.calls.length;
    session.emit('muted', { audio: true });
    session.emit('ended', {});
    ua.emit('newRTCSession', { originator: 'local', session: Object.assign(new FakeSession(), { connection: fakePc() }) });
    expect(client.calls.length).toBe(before);
  });
});

describe('a monitor created while sessions run (late attachment)', () => {
  it('adds each live session of the UA once, with the usage of its offer, and ends it at its end', () => {
    const client = new RecordingCallstats();
    const ua = new FakeUA();
    const live = Object.assign(new FakeSession(), {
      isEnded: () => false,
      direction: 'incoming' as const,
      _request: { body: 'v=0\r\nm=audio 9 x\r\n' },
    });
    live.connection = fakePc();
    const ended = Object.assign(new FakeSession(), { isEnded: () => true, connection: fakePc() });
    const ringing = Object.assign(new FakeSession(), { isEnded: () => false, direction: 'incoming' as const });
    const monitor = monitorJsSip(client, Object.assign(ua, { _sessions: { a: live, b: ended, c: ringing } }) as never, { conferenceID: 'c' });
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(0, 4))).toEqual([[live.connection, 'bob', 'audio', 'c']]);
    // JsSIP reporting the session or its pc again adds nothing.
    ua.emit('newRTCSession', { originator: 'remote', session: live });
    live.emit('peerconnection', { peerconnection: live.connection });
    expect(client.callsOf('addNewFabric')).toHaveLength(1);
    // A session still ringing is caught when answer() builds its pc.
    ringing.emit('peerconnection', { peerconnection: fakePc() });
    expect(client.callsOf('addNewFabric')).toHaveLength(2);
    live.emit('ended', {});
    expect(events(client)).toEqual(['fabricTerminated']);
    monitor.dispose();
    expect(ringing.eventNames()).toEqual([]);
  });
});

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor', () => {
    expectTypeOf<MonitorJsSipOptions>().toExtend<ShimMonitorOptions<JsSipSession>>();
    expectTypeOf<JsSipMonitor>().toExtend<ShimMonitor<JsSipSession>>();
    const monitor = monitorJsSip(new RecordingCallstats(), new FakeUA(), { conferenceID: 'c' });
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
  });
});
