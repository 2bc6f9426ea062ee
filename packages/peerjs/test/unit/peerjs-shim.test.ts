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
