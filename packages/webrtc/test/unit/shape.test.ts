import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import {
  monitorPeerConnection,
  monitorPeerConnections,
  type MonitorPeerConnectionOptions,
  type MonitorPeerConnectionsOptions,
  type PeerConnectionMonitor,
  type PeerConnectionsMonitor,
} from '../../src/index.ts';

/** A pc-shaped object: enough for the shim's checks in Node, where there is no WebRTC. */
function fakePc(): RTCPeerConnection {
  const pc = {
    signalingState: 'stable',
    localDescription: null,
    remoteDescription: null,
    getTransceivers: () => [],
    addEventListener() {},
    removeEventListener() {},
    getStats: () => Promise.resolve(new Map()),
  } as Record<string, unknown>;
  for (const m of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) pc[m] = () => Promise.resolve();
  pc.close = () => void (pc.signalingState = 'closed');
  return pc as unknown as RTCPeerConnection;
}

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor, both entry points', () => {
    expectTypeOf<MonitorPeerConnectionOptions>().toExtend<ShimMonitorOptions<RTCPeerConnection>>();
    expectTypeOf<MonitorPeerConnectionsOptions>().toExtend<ShimMonitorOptions<RTCPeerConnection>>();
    expectTypeOf<PeerConnectionMonitor>().toExtend<ShimMonitor<RTCPeerConnection>>();
    expectTypeOf<PeerConnectionsMonitor>().toExtend<ShimMonitor<RTCPeerConnection>>();
    const client = new RecordingCallstats();
    const one = monitorPeerConnection(client, fakePc(), { conferenceID: 'c', remoteUserID: 'bob' });
    expect(Object.keys(one).sort()).toEqual(['dispose', 'fabricFor', 'fabrics', 'monitoring', 'pc', 'setMuted']);
    expect(one[Symbol.dispose]).toBe(one.dispose);
    const all = monitorPeerConnections(client, { conferenceID: 'c' });
    expect(Object.keys(all).sort()).toEqual(['addPeerConnection', 'dispose', 'fabricFor', 'fabrics']);
    one.dispose();
    all.dispose();
  });
});

describe('monitorPeerConnection on a pc-shaped object', () => {
  it('registers it at once with the given user and usage, maps mutes, ends it once at close(), and nothing after dispose', () => {
    const client = new RecordingCallstats();
    const pc = fakePc();
    const handle = monitorPeerConnection(client, pc, { conferenceID: 'c', remoteUserID: (p) => (p === pc ? 'bob' : 'nobody'), fabricUsage: 'audio' });
    expect(handle.monitoring).toBe(true);
    expect(handle.fabricFor(pc)?.remoteUserID).toBe('bob');
    handle.setMuted('audio', true);
    handle.setMuted('audio', true);
    handle.setMuted('audio', false);
    pc.close();
    expect(handle.monitoring).toBe(false);
    handle.setMuted('video', true);
    handle.dispose();
    expect(client.calls.map((c) => `${c.method} ${String(c.args[1])}`)).toEqual([
      'addNewFabric bob',
      'sendFabricEvent audioMute',
      'sendFabricEvent audioUnmute',
      'sendFabricEvent fabricTerminated',
    ]);
    expect(client.violations).toEqual([]);
  });

  it('a closed pc: nothing registered, a warning, no throw', () => {
    const client = new RecordingCallstats();
    const pc = fakePc();
    pc.close();
    const warnings: unknown[] = [];
    const handle = monitorPeerConnection(client, pc, {
      conferenceID: 'c',
      remoteUserID: 'bob',
      logger: { warn: (...a: unknown[]) => warnings.push(a[0]) },
    });
    expect(handle.monitoring).toBe(false);
    expect(client.calls).toEqual([]);
    expect(String(warnings[0])).toMatch(/closed/);
  });

  it('throws a TypeError naming a bad argument', () => {
    const client = new RecordingCallstats();
    expect(() => monitorPeerConnection(client, fakePc(), { conferenceID: 'c', remoteUserID: '' })).toThrow(
      /options.remoteUserID must be a non-empty string/,
    );
    expect(() => monitorPeerConnection(client, fakePc(), { conferenceID: 'c', remoteUserID: 'b', fabricUsage: 'x' as never })).toThrow(
      /options.fabricUsage must be one of/,
    );
    expect(() => monitorPeerConnection(client, fakePc(), { conferenceID: 'c', remoteUserID: 'b', collectSDP: 1 as never })).toThrow(
      /options.collectSDP must be a boolean/,
    );
    expect(() => monitorPeerConnection(client, null as never, { conferenceID: 'c', remoteUserID: 'b' })).toThrow(TypeError);
    const handle = monitorPeerConnection(client, fakePc(), { conferenceID: 'c', remoteUserID: 'b' });
    expect(() => handle.setMuted('screen' as never, true)).toThrow(/setMuted kind must be audio or video/);
    handle.dispose();
  });
});

describe('monitorPeerConnections where there is no RTCPeerConnection (Node)', () => {
  it('taps nothing, and addPeerConnection still registers a pc the app hands over', () => {
    const client = new RecordingCallstats();
    const handle = monitorPeerConnections(client, { conferenceID: 'c', remoteUserID: 'bob' });
    const pc = fakePc();
    const fabric = handle.addPeerConnection(pc, { fabricUsage: 'data' });
    expect(fabric?.remoteUserID).toBe('bob');
    expect(handle.fabrics()).toEqual([fabric]);
    handle.dispose();
    expect(client.calls.map((c) => `${c.method} ${String(c.args[1])} ${String(c.args[2])}`)).toEqual(['addNewFabric bob data']);
  });
});
