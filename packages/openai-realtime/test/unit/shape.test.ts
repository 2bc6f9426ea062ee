import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import {
  monitorOpenAIRealtime,
  type MonitorOpenAIRealtimeOptions,
  type OpenAIRealtimeMonitor,
  type OpenAIRealtimeWebRTCLike,
} from '../../src/index.ts';
import { fakeTransport } from './fakes.ts';

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor', () => {
    expectTypeOf<MonitorOpenAIRealtimeOptions>().toExtend<ShimMonitorOptions<string>>();
    expectTypeOf<OpenAIRealtimeMonitor>().toExtend<ShimMonitor<OpenAIRealtimeWebRTCLike>>();
    const monitor = monitorOpenAIRealtime(new RecordingCallstats(), fakeTransport(), { conferenceID: 'c' });
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
    monitor.dispose();
  });
});
