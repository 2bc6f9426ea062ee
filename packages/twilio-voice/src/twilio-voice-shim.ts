import {
  createScope,
  createShimMonitor,
  invalidArgument,
  listenOn,
  patchMethod,
  shimMonitor,
  watchPageMediaDevices,
  wrapPeerConnection,
  type CallstatsClient,
  type FabricHandle,
  type ShimMonitor,
  type ShimMonitorOptions,
  type WatchMediaOptions,
} from '@shims/core';
import { functionsOfError, muteEvent, remoteOfCall } from './map-twilio-voice-event.js';
import { monitoredConstructor, type ConstructorHooks } from './monitored-constructor.js';
import type { CallInternals, TwilioVoiceCall, TwilioVoiceDevice } from './twilio-voice-types.js';

/**
 * `conferenceID`: your call or ticket id is a good choice. `remoteUserID`: a user ID or a function
 * of the `Call`; default its `From` (incoming) or the `To` the app connected (outgoing).
 * `watchMediaDevices` (default true): the page's getUserMedia failures, the calls' own microphone
 * captures included, are reported until `dispose()` or the Device's `destroy()`.
 */
export interface MonitorTwilioVoiceOptions extends ShimMonitorOptions<TwilioVoiceCall>, WatchMediaOptions {}

/** `fabricFor(call)`: the fabric of the call's pc, while it is active. */
export interface TwilioVoiceMonitor extends ShimMonitor<TwilioVoiceCall> {}

const SOURCE = '@shims/twilio-voice';
const WHERE = 'monitorTwilioVoice';
/** A pc the shim could not tie to a call (see the README's limits). */
const DEFAULT_REMOTE = 'twilio-voice';
const ATTRIBUTES = { remoteEndpointType: 'server' } as const;

function requireDevice(device: unknown): asserts device is TwilioVoiceDevice {
  const d = device as Partial<TwilioVoiceDevice> | null;
  const ok = typeof d?.on === 'function' && typeof d.connect === 'function' && typeof d.updateOptions === 'function';
  if (!ok || d.state === 'destroyed') throw invalidArgument(WHERE, 'device', 'must be a Twilio Voice Device, not destroyed', device);
}

/**
 * Monitors every call of a @twilio/voice-sdk Device with callstats.js, from now until `dispose()`
 * or `device.destroy()`: each call's pc, made (`connect()`) or accepted, becomes a fabric as the
 * SDK builds it through the Device's public `RTCPeerConnection` option (the app's own class stays
 * underneath); its failures are reported with the function that failed, its end (disconnect,
 * cancel, reject, remote hang-up) ends it once; mute is mapped.
 */
export function monitorTwilioVoice(client: CallstatsClient, device: TwilioVoiceDevice, options: MonitorTwilioVoiceOptions): TwilioVoiceMonitor {
  requireDevice(device);
  const monitor = createShimMonitor<TwilioVoiceCall>(client, options, SOURCE, remoteOfCall);
  // The SDK captures the microphone itself at accept (`audiohelper.ts`, the page's getUserMedia).
  watchPageMediaDevices(options, monitor);
  const pcs = new WeakMap<TwilioVoiceCall, RTCPeerConnection>();
  /** Calls watched, and what ends each one's watch. */
  const ends = new Map<TwilioVoiceCall, () => void>();
  /** What ties a pc to a watched call: its fabric, and the failures core's wrappers see on it. */
  const adopt = new WeakMap<TwilioVoiceCall, (pc: RTCPeerConnection) => void>();
  const fabricOf = (call: TwilioVoiceCall): FabricHandle | undefined => {
    const pc = pcs.get(call);
    return pc && monitor.fabricFor(pc);
  };

  const watchCall = (call: TwilioVoiceCall): void => {
    try {
      watch(call);
    } catch (error) {
      // From the SDK's emit or promise: the shim's failure must not land there.
      monitor.warn('call', String(error), error);
    }
  };
  const watch = (call: TwilioVoiceCall): void => {
    // A call ignored (`call.ignore()`) or dropped while pending emits nothing: let go of it now.
    for (const [old, end] of ends) if (old.status() === 'closed') end();
    if (ends.has(call) || monitor.disposed) return;
    const scope = createScope(monitor);
    // pc function failures core's wrappers saw, so the SDK's error for the same one is not sent twice.
    const failed = new Set<string>();
    const end = (): void => {
      fabricOf(call)?.terminate();
      scope.dispose();
    };
    ends.set(call, end);
    scope.onDispose(() => ends.delete(call));
    listenOn(scope, call, 'mute', (muted: boolean) => fabricOf(call)?.send(muteEvent(muted)));
    for (const event of ['disconnect', 'cancel', 'reject']) listenOn(scope, call, event, end);
    listenOn(scope, call, 'error', (error: unknown) => {
      const fns = functionsOfError(error);
      if (fns && !fns.some((fn) => failed.has(fn))) fabricOf(call)?.reportError(fns[0]!, error);
      failed.clear();
      if (call.status() === 'closed') end();
    });
    adopt.set(call, (pc) => {
      pcs.set(call, pc);
      scope.onDispose(wrapPeerConnection(pc, { onFailure: (fn) => failed.add(fn) }));
    });
  };
  const addPc = (pc: RTCPeerConnection, call: TwilioVoiceCall | undefined): void => {
    if (monitor.disposed) return;
    const fabric = monitor.addFabric(pc, {
      remoteUserID: call ? monitor.userOf(call) : DEFAULT_REMOTE,
      fabricUsage: 'audio',
      fabricAttributes: ATTRIBUTES,
    });
    if (call) adopt.get(call)?.(pc);
    if (call?.isMuted()) fabric.send('audioMute');
  };
  /** The call the SDK is building a pc for: accepted (`connecting`), without a pc yet. */
  const connecting = (): TwilioVoiceCall | undefined => [...ends.keys()].reverse().find((call) => call.status() === 'connecting' && !pcs.has(call));

  // The app's own pc class, if it gave one: there is no public getter, so the option is read
  // where the Device keeps it. Without one, the SDK would use the page's RTCPeerConnection.
  const hooks: ConstructorHooks = {
    base: (device as { _options?: { RTCPeerConnection?: unknown } })._options?.RTCPeerConnection,
    created: (pc) => addPc(pc, connecting()),
  };
  const Monitored = monitoredConstructor(hooks);
  const update = device.updateOptions;
  update.call(device, { RTCPeerConnection: Monitored });
  monitor.onDispose(() => {
    hooks.created = undefined;
    if (device.state !== 'destroyed') update.call(device, { RTCPeerConnection: hooks.base });
  });
  // A class the app sets later goes underneath ours.
  patchMethod(
    monitor,
    device,
    'updateOptions',
    (original) =>
      function updateOptionsWatched(this: unknown, next?: { RTCPeerConnection?: unknown }) {
        // Object(): the SDK spreads whatever it is given, so a string or nothing must not throw here.
        const given = Object(next) as { RTCPeerConnection?: unknown };
        if ('RTCPeerConnection' in given) {
          hooks.base = given.RTCPeerConnection;
          next = { ...next, RTCPeerConnection: Monitored };
        }
        return original.call(this, next);
      },
  );
  patchMethod(
    monitor,
    device,
    'connect',
    (original) =>
      function connectWatched(this: unknown, ...args: unknown[]) {
        const made = original.apply(this, args) as Promise<TwilioVoiceCall> | undefined;
        // Directly on the SDK's promise: this runs before the accepted call builds its pc (after getUserMedia).
        if (typeof made?.then === 'function') made.then(watchCall, () => {});
        return made;
      },
  );
  listenOn(monitor, device, 'incoming', watchCall);
  listenOn(monitor, device, 'destroyed', () => {
    for (const fabric of monitor.fabrics()) fabric.terminate();
    monitor.dispose();
  });

  // Attached mid-call: the calls the Device holds, and the pc of the one in progress (internal reads).
  const active = (device as { _activeCall?: TwilioVoiceCall | null })._activeCall;
  for (const call of [...device.calls, ...(active ? [active] : [])]) {
    watchCall(call);
    const pc = (call as CallInternals)._mediaHandler?.version?.pc;
    if (pc) addPc(pc, call);
  }

  return shimMonitor(monitor, fabricOf);
}
