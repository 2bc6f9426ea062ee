// The page of the Voice scenarios: real calls of @twilio/voice-sdk 2.18.5 against the testkit's
// Voice server, with the shim on RecordingCallstats (or, for the run of twenty calls, on a
// counting client that keeps no pc), reported back to Node as plain data. No pc tap here: it
// would hold every pc, and so every call, for the retention check.
import type { CallstatsClient } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import * as VoiceSdk from '@twilio/voice-sdk-2.18';
import { monitorTwilioVoice, type TwilioVoiceDevice, type TwilioVoiceMonitor } from '../../src/index.ts';
import type { DescribedCall, ScenarioApi } from './scenarios-api.ts';
import { audioReceived, newDevice, newIdentity, once, RTC_CONFIGURATION, waitFor, type Call, type Device } from './voice-app.ts';

let device: Device | undefined;
let monitor: TwilioVoiceMonitor | undefined;
let client = new RecordingCallstats();
let call: Call | undefined;
let ownClassBuilt = 0;
const events: string[] = [];
const weak = { monitors: [] as Array<WeakRef<object>>, devices: [] as Array<WeakRef<object>> };

const pcOf = (): RTCPeerConnection | undefined => (call ? (monitor?.fabricFor(call as never)?.pc as RTCPeerConnection | undefined) : undefined);
let lastPc: RTCPeerConnection | undefined;
let inboundSeen = 0;

function describeCalls(): DescribedCall[] {
  return client.calls.map(({ method, args: [pc, ...rest] }) => ({
    method,
    pc: pc === null ? null : pc === lastPc ? 'call' : 'other',
    rest: rest.map((arg) => (arg instanceof Error || arg instanceof DOMException ? `${arg.name}: ${arg.message}` : arg)),
  }));
}

async function packets(pc: RTCPeerConnection | undefined, type: 'inbound-rtp' | 'outbound-rtp'): Promise<number> {
  let count = 0;
  (await pc?.getStats())?.forEach((s: { type: string; packetsReceived?: number; packetsSent?: number }) => {
    if (s.type === type) count += s.packetsReceived ?? s.packetsSent ?? 0;
  });
  return count;
}

/** Own function-valued properties: wrappers left behind. */
const ownFunctions = (object: object): string[] =>
  Object.getOwnPropertyNames(object).filter((name) => typeof (object as Record<string, unknown>)[name] === 'function');
/** The pc methods core wraps, left as own properties of a pc (the SDK's own `onopen`, `onstatechange` are not counted). */
const PC_METHODS = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'close'];

const watchCall = (made: Call): Call => {
  call = made;
  for (const name of ['accept', 'disconnect', 'cancel', 'reject', 'reconnecting', 'reconnected', 'error']) made.on(name, () => events.push(name));
  return made;
};

const api: ScenarioApi = {
  device(options = {}) {
    client = new RecordingCallstats();
    events.length = 0;
    ownClassBuilt = 0;
    // The app's own pc class (as a VDI redirection library gives one): the shim keeps it underneath.
    class AppPeerConnection extends RTCPeerConnection {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        ownClassBuilt++;
      }
    }
    const identity = newIdentity();
    device = newDevice(VoiceSdk, identity, options.ownClass ? { RTCPeerConnection: AppPeerConnection } : {}, (error) =>
      events.push(`device error ${(error as { code?: number }).code}`),
    );
    monitor = monitorTwilioVoice(client, device as unknown as TwilioVoiceDevice, {
      conferenceID: 'scenario',
      ...(options.namedByFunction
        ? { remoteUserID: (c) => `${c.direction.toLowerCase()}:${c.customParameters.get('To') ?? c.parameters.From}` }
        : {}),
    });
    return identity;
  },
  async connect(to) {
    watchCall(await device!.connect({ params: { To: to }, rtcConfiguration: RTC_CONFIGURATION }));
    await once(call!, 'accept');
    await audioReceived(call!);
    lastPc = pcOf();
    return {
      callSid: call!.parameters.CallSid!,
      inbound: await packets(lastPc, 'inbound-rtp'),
      outbound: await packets(lastPc, 'outbound-rtp'),
      fabricFor: !!lastPc,
      ownClassBuilt,
    };
  },
  async register() {
    await device!.register();
  },
  async incoming(answer) {
    const made = await once<Call>(device!, 'incoming');
    watchCall(made!);
    if (answer === 'reject') made!.reject();
    if (answer !== 'accept') return { callSid: made!.parameters.CallSid!, inbound: 0, fabricFor: false };
    made!.accept({ rtcConfiguration: RTC_CONFIGURATION });
    await once(made!, 'accept');
    await audioReceived(made!);
    lastPc = pcOf();
    return { callSid: made!.parameters.CallSid!, inbound: await packets(lastPc, 'inbound-rtp'), fabricFor: !!lastPc };
  },
  /** Tone packets received since the last call of this (after an ICE restart: on the new pair). */
  async inbound() {
    const now = await packets(lastPc, 'inbound-rtp');
    const fresh = now - inboundSeen;
    inboundSeen = now;
    return fresh;
  },
  waitStatus: (status) => waitFor(() => call?.status() === status, 20_000),
  mute() {
    call!.mute(true);
    call!.mute(true); // again: the SDK emits nothing, the shim sends nothing
    call!.mute(false);
  },
  hangUp: () => call!.disconnect(),
  destroy: () => device!.destroy(),
  dispose: () => monitor!.dispose(),
  state() {
    const c = call as unknown as { listenerCount?: (event: string) => number } | undefined;
    return {
      calls: describeCalls(),
      fabrics: monitor!.fabrics().length,
      // Only the shim listens to a call's `mute` (its listeners go together, by the call's scope).
      muteListeners: c?.listenerCount?.('mute') ?? 0,
      deviceWrappers: device ? ownFunctions(device).filter((name) => name === 'connect' || name === 'updateOptions') : [],
      mediaWrappers: ownFunctions(navigator.mediaDevices),
      ownOption: (device as unknown as { _options: { RTCPeerConnection?: unknown } })._options.RTCPeerConnection !== undefined,
      events: [...events],
    };
  },
  async serial(count) {
    const tally = { addNewFabric: 0, fabricTerminated: 0, other: 0, accepted: 0 };
    const counting: CallstatsClient = {
      addNewFabric: () => (tally.addNewFabric++, { status: 'success' }),
      sendFabricEvent: (_pc, event) => (event === 'fabricTerminated' ? tally.fabricTerminated++ : tally.other++, { status: 'success' }),
      reportError: () => (tally.other++, { status: 'success' }),
      associateMstWithUserID: () => (tally.other++, { status: 'success' }),
    };
    let pcWrappers = 0;
    for (let i = 0; i < count; i++) {
      const d = newDevice(VoiceSdk);
      const m = monitorTwilioVoice(counting, d as unknown as TwilioVoiceDevice, { conferenceID: `serial-${i}` });
      const made = await d.connect({ params: { To: 'bob' }, rtcConfiguration: RTC_CONFIGURATION });
      if (await once(made, 'accept')) tally.accepted++;
      const pc = m.fabricFor(made as never)?.pc as RTCPeerConnection | undefined;
      made.disconnect();
      d.destroy();
      pcWrappers += pc ? ownFunctions(pc).filter((name) => PC_METHODS.includes(name)).length : 0;
      weak.devices.push(new WeakRef(d));
      // The kernel's own dispose (the handle is a separate object): alive while anything holds the kernel.
      weak.monitors.push(new WeakRef(m.dispose));
    }
    return { tally, pcWrappers };
  },
  alive() {
    const count = (refs: Array<WeakRef<object>>) => refs.filter((ref) => ref.deref() !== undefined).length;
    return { monitors: count(weak.monitors), devices: count(weak.devices) };
  },
};

window.voiceScenarios = api;
window.__shimsReady = true;
