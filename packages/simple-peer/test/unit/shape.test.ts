import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorSimplePeer, type MonitorSimplePeerOptions, type SimplePeerLike, type SimplePeerMonitor } from '../../src/index.ts';

const fakePeer = () => ({ destroyed: true, signal() {}, destroy() {}, on() {}, removeListener() {} });

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor, with the peer extras', () => {
    expectTypeOf<MonitorSimplePeerOptions>().toExtend<ShimMonitorOptions<void>>();
    expectTypeOf<SimplePeerMonitor>().toExtend<ShimMonitor<SimplePeerLike>>();
    const peer = fakePeer();
    const monitor = monitorSimplePeer(new RecordingCallstats(), peer, { conferenceID: 'c', remoteUserID: () => 'bob', logger: { warn() {} } });
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics', 'monitoring', 'peer', 'setMuted']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
    expect(monitor.peer).toBe(peer);
    expect(monitor.fabricFor(peer)).toBeUndefined();
  });
});
