import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import {
  monitorTwilioVoice,
  type MonitorTwilioVoiceOptions,
  type TwilioVoiceCall,
  type TwilioVoiceDevice,
  type TwilioVoiceMonitor,
} from '../../src/index.ts';
import { FakeCall, FakeDevice, FakePc } from './fakes.ts';

globalThis.RTCPeerConnection ??= FakePc as unknown as typeof RTCPeerConnection;
const asDevice = (device: FakeDevice) => device as unknown as TwilioVoiceDevice;
const start = (options: Partial<MonitorTwilioVoiceOptions> = {}) => {
  const client = new RecordingCallstats();
  const device = new FakeDevice();
  const monitor = monitorTwilioVoice(client, asDevice(device), { conferenceID: 'c', ...options });
  return { client, device, monitor };
};
/** An outgoing call through the shim's `connect`, its pc built as the SDK builds it. */
const outgoing = async (device: FakeDevice, to = 'bob') => {
  const call = await device.connect({ params: { To: to } });
  await Promise.resolve();
  return { call, pc: device.buildPc() };
};

describe('monitorTwilioVoice', () => {
  it('has the @shims shape', () => {
    expectTypeOf<MonitorTwilioVoiceOptions>().toExtend<ShimMonitorOptions<TwilioVoiceCall>>();
    expectTypeOf<TwilioVoiceMonitor>().toExtend<ShimMonitor<TwilioVoiceCall>>();
    const { monitor } = start();
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
    monitor.dispose();
  });

  it('throws a TypeError naming what is wrong, and changes nothing', () => {
    const client = new RecordingCallstats();
    expect(() => monitorTwilioVoice(client, {} as TwilioVoiceDevice, { conferenceID: 'c' })).toThrow(
      /monitorTwilioVoice: device must be a Twilio Voice Device/,
    );
    const destroyed = new FakeDevice();
    destroyed.state = 'destroyed';
    expect(() => monitorTwilioVoice(client, asDevice(destroyed), { conferenceID: 'c' })).toThrow(TypeError);
    const device = new FakeDevice();
    expect(() => monitorTwilioVoice(client, asDevice(device), { conferenceID: '' })).toThrow(/options\.conferenceID/);
    expect(() => monitorTwilioVoice(client, asDevice(device), { conferenceID: 'c', remoteUserID: 5 as never })).toThrow(/options\.remoteUserID/);
    expect(device.updated).toEqual([]);
  });

  it("adds each call's pc as an audio fabric of the callee or the caller, before the SDK uses it", async () => {
    const { client, device } = start();
    const { call, pc } = await outgoing(device);
    expect(client.calls.map((c) => [c.method, ...c.args.slice(1)])).toEqual([
      ['addNewFabric', 'bob', 'audio', 'c', { remoteEndpointType: 'server' }],
    ]);
    expect(client.calls[0]!.args[0]).toBe(pc);
    const incoming = new FakeCall('INCOMING', { CallSid: 'CA1', From: 'client:carol' });
    device.emit('incoming', incoming);
    incoming.state = 'connecting';
    device.buildPc();
    expect(client.calls.at(-1)!.args[1]).toBe('client:carol');
    call.emit('mute', true, call);
    expect(client.calls.at(-1)!.args.slice(1, 2)).toEqual(['audioMute']);
  });

  it("keeps the app's own class underneath, the one it gave the Device and one it sets later", async () => {
    class AppPc extends FakePc {}
    class LaterPc extends FakePc {}
    const client = new RecordingCallstats();
    const device = new FakeDevice();
    device._options.RTCPeerConnection = AppPc;
    const monitor = monitorTwilioVoice(client, asDevice(device), { conferenceID: 'c' });
    expect((await outgoing(device)).pc).toBeInstanceOf(AppPc);
    device.updateOptions({ RTCPeerConnection: LaterPc });
    expect((await outgoing(device)).pc).toBeInstanceOf(LaterPc);
    expect(client.callsOf('addNewFabric')).toHaveLength(2);
    monitor.dispose();
    expect(device._options.RTCPeerConnection, 'the Device has the app class back').toBe(LaterPc);
    expect(Object.hasOwn(device, 'connect') || Object.hasOwn(device, 'updateOptions')).toBe(false);
  });

  it("reports the SDK's 53402 once, with the function it stands for, unless core's wrapper saw the failure", async () => {
    const { client, device } = start();
    const { call, pc } = await outgoing(device);
    // The SDK's error for a failure core did not see (the pc function never failed through it).
    const unseen = Object.assign(new Error('Error processing answer'), { code: 53402 });
    call.emit('error', unseen);
    expect(client.callsOf('reportError').map((c) => c.args.slice(2))).toEqual([['setRemoteDescription', unseen]]);
    // A failure core's wrapper saw and reported: the SDK's error for it adds nothing.
    pc.fail.add('setRemoteDescription');
    await pc.setRemoteDescription().catch(() => {});
    call.emit('error', Object.assign(new Error('Error processing answer'), { code: 53402 }));
    expect(client.callsOf('reportError').map((c) => (c.args[3] as Error).message)).toEqual(['Error processing answer', 'bad answer']);
    // Errors that stand for no pc function (a getUserMedia failure: core's media path) are left alone.
    call.emit('error', Object.assign(new Error('denied'), { code: 31401 }));
    expect(client.callsOf('reportError')).toHaveLength(2);
  });

  it('ends the fabric once at disconnect, cancel or reject, and lets go of the call', async () => {
    for (const end of ['disconnect', 'cancel', 'reject']) {
      const { client, device } = start();
      const { call, pc } = await outgoing(device);
      call.state = 'closed';
      call.emit(end);
      pc.close();
      call.emit(end);
      expect(client.calls.filter((c) => c.args[1] === 'fabricTerminated')).toHaveLength(1);
      expect(call.listenerCount('mute')).toBe(0);
    }
  });

  it('device.destroy() ends every fabric and the monitor; a pc of a call it could not tie falls back to the default name', async () => {
    const { client, device, monitor } = start();
    device.buildPc();
    expect(client.calls[0]!.args[1]).toBe('twilio-voice');
    device.destroy();
    expect(client.calls.at(-1)!.args[1]).toBe('fabricTerminated');
    expect(monitor.fabrics()).toEqual([]);
    expect(device.listenerCount('incoming')).toBe(0);
  });

  it('attached mid-call: takes the pc of the call in progress (read where the SDK keeps it)', async () => {
    const client = new RecordingCallstats();
    const device = new FakeDevice();
    const call = await device.connect({ params: { To: 'bob' } });
    const pc = device.buildPc();
    call.state = 'open';
    Object.assign(call, { _mediaHandler: { version: { pc } } });
    const monitor = monitorTwilioVoice(client, asDevice(device), { conferenceID: 'c' });
    expect(monitor.fabricFor(call as unknown as TwilioVoiceCall)?.pc).toBe(pc);
    expect(client.calls[0]!.args[1]).toBe('bob');
  });

  it('never throws into the SDK or the app: a strange incoming call is warned about, updateOptions takes what the SDK takes', () => {
    const warnings: unknown[] = [];
    const { device, monitor } = start({ logger: (...args: unknown[]) => warnings.push(args[0]) });
    expect(() => device.emit('incoming', {})).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(() => device.updateOptions()).not.toThrow();
    expect(() => device.updateOptions('odd' as never)).not.toThrow();
    monitor.dispose();
  });
});
