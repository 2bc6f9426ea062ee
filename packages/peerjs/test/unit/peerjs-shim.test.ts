import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { trackKindsOf, usageOfKinds, usageOfOffer, type ShimMonitor, type ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorPeerJs, type MonitorPeerJsOptions, type PeerJsConnection, type PeerJsMonitor } from '../../src/index.ts';

const fakePeer = () => ({ call: vi.fn(), connect: vi.fn(), destroy: vi.fn(), on: vi.fn(), off: vi.fn() });

describe('monitorPeerJs arguments', () => {
  it('throws a TypeError naming what is wrong', () => {
    const client = new RecordingCallstats();
    expect(() => monitorPeerJs(client, {} as never, { conferenceID: 'c' })).toThrow(/peer must be a PeerJS Peer/);
    expect(() => monitorPeerJs(client, null as never, { conferenceID: 'c' })).toThrow(TypeError);
    expect(() => monitorPeerJs({} as never, fakePeer() as never, { conferenceID: 'c' })).toThrow(/client must have addNewFabric/);
    expect(() => monitorPeerJs(client, fakePeer() as never, { conferenceID: '' })).toThrow(/conferenceID/);
    expect(() => monitorPeerJs(client, fakePeer() as never, undefined as never)).toThrow(/options/);
    expect(() => monitorPeerJs(client, fakePeer() as never, { conferenceID: 'c', remoteUserID: 1 as never })).toThrow(/remoteUserID/);
  });

  it('puts every hook back at dispose', () => {
    const peer = { ...fakePeer(), _handleMessage: vi.fn(), _addConnection: vi.fn() };
    const originals = { ...peer };
    const monitor = monitorPeerJs(new RecordingCallstats(), peer, { conferenceID: 'c' });
    expect(peer.call).not.toBe(originals.call);
    monitor.dispose();
    for (const name of ['call', 'connect', '_handleMessage', '_addConnection'] as const) expect(peer[name]).toBe(originals[name]);
    expect(peer.off).toHaveBeenCalledWith('close', expect.any(Function));
  });

  it('warns once when a PeerJS internal it hooks is missing, and goes on', () => {
    const logger = { warn: vi.fn() };
    monitorPeerJs(new RecordingCallstats(), fakePeer(), { conferenceID: 'c', logger });
    expect(logger.warn.mock.calls.map(([m]) => m)).toEqual([
      expect.stringMatching(/^\[@shims\/peerjs\] Peer._handleMessage not found/),
      expect.stringMatching(/^\[@shims\/peerjs\] Peer._addConnection not found/),
    ]);
  });
});

describe('fabric usage (core helpers, as the shim uses them)', () => {
  const stream = (...kinds: string[]) => ({ getTracks: () => kinds.map((kind) => ({ kind })) }) as unknown as MediaStream;
  it.each([
    [stream('audio'), 'audio'],
    [stream('video'), 'video'],
    [stream('audio', 'video'), 'multiplex'],
    [undefined, 'multiplex'],
  ])('from a stream: %#', (s, usage) => expect(usageOfKinds(trackKindsOf([s]))).toBe(usage));
  it('from an offer', () => {
    expect(usageOfOffer('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n', true)).toBe('audio');
    expect(usageOfOffer('v=0\r\nm=audio 9 x\r\nm=video 9 x\r\n', true)).toBe('multiplex');
    expect(usageOfOffer(undefined, true)).toBe('multiplex');
  });
});

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor', () => {
    expectTypeOf<MonitorPeerJsOptions>().toExtend<ShimMonitorOptions<string>>();
    expectTypeOf<PeerJsMonitor>().toExtend<ShimMonitor<PeerJsConnection>>();
    const monitor = monitorPeerJs(new RecordingCallstats(), fakePeer(), { conferenceID: 'c', logger: { warn() {} } });
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
  });
});

describe('a monitor created while calls run (late attachment)', () => {
  const fakePc = (state: RTCSignalingState = 'stable') =>
    Object.assign(new EventTarget(), {
      signalingState: state,
      localDescription: { sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n' },
      getStats: async () => new Map(),
      close() {},
    }) as unknown as RTCPeerConnection;
  const fakeConnection = (peer: string, pc: RTCPeerConnection | null) => {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    return {
      peer,
      type: 'media',
      peerConnection: pc,
      answer: vi.fn(),
      on: vi.fn((event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener)),
      off: vi.fn((event: string) => listeners.delete(event)),
      emit: (event: string) => listeners.get(event)?.(),
      listeners,
    };
  };

  it('adds every running pc the Peer holds once, ends it at its close, and never adds it again', () => {
    const client = new RecordingCallstats();
    const running = fakeConnection('bob', fakePc());
    const ended = fakeConnection('carol', fakePc('closed'));
    const ringing = fakeConnection('dave', null);
    const answer = ringing.answer;
    const peer = {
      ...fakePeer(),
      _addConnection: vi.fn(),
      _handleMessage: vi.fn(),
      connections: { bob: [running], carol: [ended], dave: [ringing] },
    };
    const monitor = monitorPeerJs(client, peer, { conferenceID: 'c' });

    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(0, 4))).toEqual([[running.peerConnection, 'bob', 'audio', 'c']]);
    expect(monitor.fabricFor(running)?.active).toBe(true);
    expect(ringing.answer, 'an unanswered call is caught at answer()').not.toBe(answer);
    // PeerJS passing the same connection again (or the pc's close) adds nothing.
    peer._addConnection('bob', running);
    expect(client.callsOf('addNewFabric')).toHaveLength(1);

    running.emit('close');
    running.peerConnection!.close();
    expect(client.callsOf('sendFabricEvent').map((c) => c.args[1])).toEqual(['fabricTerminated']);
    expect(monitor.fabrics()).toEqual([]);
  });

  it('dispose removes what the late attachment added', () => {
    const running = fakeConnection('bob', fakePc());
    const peer = { ...fakePeer(), connections: { bob: [running] } };
    const monitor = monitorPeerJs(new RecordingCallstats(), peer, { conferenceID: 'c', logger: { warn() {} } });
    expect(running.listeners.has('close')).toBe(true);
    monitor.dispose();
    expect(running.listeners.has('close')).toBe(false);
    expect(monitor.fabrics()).toEqual([]);
  });
});
