import {
  createShimMonitor,
  FABRIC_USAGES,
  invalidArgument,
  listenOn,
  patchMethod,
  requireMethods,
  requireNonEmptyString,
  requireOneOf,
  shimMonitor,
  trackKindsOf,
  usageOfKinds,
  wrapPeerConnection,
  type CallstatsClient,
  type FabricHandle,
  type FabricPeerConnection,
  type FabricUsage,
  type PeerConnectionFunction,
  type RemoteUserID,
  type ShimKernel,
  type ShimMonitor,
  type ShimMonitorOptions,
} from '@shims/core';
import { globalWebRTC, hookWebRTC } from './hook-wrtc.js';
import { mapSimplePeerError } from './map-simple-peer-error.js';
import type { SimplePeerConstructor, SimplePeerLike, SimplePeerOptions, WebRTCImplementation } from './simple-peer-types.js';

/** simple-peer knows nothing of the remote side: `remoteUserID` is the app's, required. */
export interface MonitorSimplePeerOptions extends ShimMonitorOptions<void> {
  /** The user at the other end of this peer (or a function that names it when the pc is built). */
  remoteUserID: RemoteUserID<void>;
  /**
   * Default: from the local streams given to simple-peer: none → `data`, audio → `audio`,
   * video → `video`, both → `multiplex`. A peer that only receives media should say so here.
   */
  fabricUsage?: FabricUsage;
}

/** With simple-peer's options instead of a peer: the class the shim creates the peer with. */
export interface MonitorNewSimplePeerOptions<P extends SimplePeerLike = SimplePeerLike> extends MonitorSimplePeerOptions {
  /** The default export of `simple-peer` (the shim imports no simple-peer code itself). */
  SimplePeer: SimplePeerConstructor<P>;
}

/** `fabricFor(peer)`: the fabric of this peer's pc, while it is monitored. */
export interface SimplePeerMonitor<P extends SimplePeerLike = SimplePeerLike> extends ShimMonitor<P> {
  /** The peer: the one given, or the one the shim created from the options. */
  readonly peer: P;
  /** True while the peer's pc is registered: until it closes, or until `dispose()`. */
  readonly monitoring: boolean;
  /**
   * Tells callstats.js that the app muted or unmuted its local audio (`audioMute`,
   * `audioUnmute`) or paused or resumed its video (`videoPause`, `videoResume`). simple-peer
   * has no mute API (apps set `track.enabled`), so the shim cannot see it happen; this call does
   * not touch the tracks. Only a change is sent; the peer starts unmuted.
   */
  setMuted(kind: 'audio' | 'video', muted: boolean): void;
}

const WHERE = 'monitorSimplePeer';
const SOURCE = '@shims/simple-peer';
const CLIENT_METHODS = ['addNewFabric', 'reportError', 'sendFabricEvent', 'associateMstWithUserID'] as const;
const MUTE_EVENTS = {
  audio: ['audioUnmute', 'audioMute'],
  video: ['videoResume', 'videoPause'],
} as const;

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

const isSimplePeer = (value: unknown): value is SimplePeerLike => hasMethods(value, ['signal', 'destroy', 'on', 'removeListener']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Every argument is checked before anything happens: a bad one is the app's bug, at its call site. */
function checkArguments(client: unknown, peerOrOptions: unknown, options: unknown): 'peer' | 'options' {
  requireMethods(client, CLIENT_METHODS, 'client', WHERE);
  if (!isPlainObject(options)) throw invalidArgument(WHERE, 'options', 'must be an object with conferenceID and remoteUserID', options);
  requireNonEmptyString(options.conferenceID, 'options.conferenceID', WHERE);
  if (typeof options.remoteUserID !== 'function') requireNonEmptyString(options.remoteUserID, 'options.remoteUserID', WHERE);
  if (options.fabricUsage !== undefined) requireOneOf(options.fabricUsage, FABRIC_USAGES, 'options.fabricUsage', WHERE);
  if (options.collectSDP !== undefined && typeof options.collectSDP !== 'boolean') {
    throw invalidArgument(WHERE, 'options.collectSDP', 'must be a boolean', options.collectSDP);
  }
  if (isSimplePeer(peerOrOptions)) return 'peer';
  if (!isPlainObject(peerOrOptions)) {
    throw invalidArgument(WHERE, 'peer', "must be a simple-peer instance (with signal, destroy, on) or simple-peer's options", peerOrOptions);
  }
  if (typeof options.SimplePeer !== 'function') {
    throw invalidArgument(
      WHERE,
      'options',
      "must pass the SimplePeer class as options.SimplePeer to create the peer from simple-peer's options",
      options.SimplePeer,
    );
  }
  return 'options';
}

/** What the shim holds on one peer. */
interface Session {
  monitor: ShimKernel<void>;
  fabric: FabricHandle | undefined;
  pc: FabricPeerConnection | undefined;
  /** Whether the fabric was added while simple-peer built the pc, before it set its own handlers. */
  addedAtCreation: boolean;
  /** The pc functions whose failures @shims/core's wrapper reported on this pc. */
  failedPcCalls: Set<PeerConnectionFunction>;
}

/**
 * The pcs a live handle of this copy of the shim monitors. A second handle on the same peer
 * would add the pc again and report each failure twice: it stays inert instead.
 */
const monitoredPcs = new WeakSet<object>();

/** Adds the pc as a fabric; a pc the monitor cannot hold is warned about, never thrown. */
function addFabric(session: Session, pc: object, usage: FabricUsage, atCreation: boolean): void {
  if (monitoredPcs.has(pc)) {
    session.monitor.warn('pc:monitored', 'this peer is already monitored by another handle; dispose that one first. This handle does nothing');
    return;
  }
  try {
    session.fabric = session.monitor.addFabric(pc as FabricPeerConnection, { remoteUserID: session.monitor.userOf(), fabricUsage: usage });
  } catch (error) {
    session.monitor.warn('pc:unusable', "the peer's RTCPeerConnection cannot be monitored; the call goes on unmonitored", error);
    return;
  }
  session.pc = pc as FabricPeerConnection;
  session.addedAtCreation = atCreation;
  monitoredPcs.add(pc);
  session.monitor.onDispose(() => monitoredPcs.delete(pc));
  // A second subscriber on the wrapper core installed: it only notes which calls failed, so
  // `destroy(err)` can tell a failure core already reported from one it never saw.
  session.monitor.onDispose(wrapPeerConnection(pc, { onFailure: (fn) => session.failedPcCalls.add(fn) }));
}

/** Reports the error simple-peer is destroying the peer with, before its pc closes. */
function reportDestroyError(session: Session, error: unknown): void {
  const { fabric, pc } = session;
  // Like simple-peer, which emits `error` only for a truthy one: destroy() alone is a hang-up.
  if (!fabric?.active || !pc || !error) return;
  const { report, fn } = mapSimplePeerError(error);
  const heardAlready =
    report === 'never' ||
    (report === 'unless-pc-call-failed' && session.failedPcCalls.has(fn)) ||
    // callstats.js reads the ICE state in its own iceconnectionstatechange listener. Added at
    // the pc's creation, that listener runs before simple-peer's handler and sees `failed`.
    // Added later (an existing peer), it runs after simple-peer's handler, whose destroy has
    // closed the pc in the microtask between the two: it sees `closed`. And a connection
    // failure with ICE not failed (DTLS) it never sees at all.
    (report === 'unless-callstats-saw-ice-failure' && session.addedAtCreation && pc.iceConnectionState === 'failed');
  if (!heardAlready) fabric.reportError(fn, error);
}

/** Watches the peer: its `destroy(err)` for the error, its `close` for the end. */
function watchPeer(session: Session, peer: SimplePeerLike): void {
  const { monitor } = session;
  const watchingDestroy = patchMethod(
    monitor,
    peer,
    'destroy',
    (original) =>
      function destroy(this: unknown, ...args: unknown[]): unknown {
        try {
          reportDestroyError(session, args[0]);
        } catch {
          // Monitoring must not change how the peer is destroyed.
        }
        return original.apply(this, args);
      },
  );
  if (!watchingDestroy) monitor.warn('peer:destroy', 'cannot watch peer.destroy(); errors that end the call are not reported');

  // simple-peer emits `close` after it closed the pc, whose wrapped close() has sent
  // fabricTerminated. Should that wrapper be missing, this still ends the fabric, once.
  listenOn(monitor, peer, 'close', () => {
    session.fabric?.terminate();
    monitor.dispose();
  });
}

/**
 * Monitors one simple-peer connection with callstats.js, from its first event to its close.
 *
 * Given a peer, its pc is registered at once (call it right after `new SimplePeer()`, before
 * signaling). Given simple-peer's options and `options.SimplePeer`, the shim creates the peer
 * and registers its pc the moment simple-peer builds it; the peer is `handle.peer`.
 *
 * pc call failures are reported once with the original error; the error simple-peer destroys the
 * peer with is reported when callstats.js would not otherwise hear of it; the pc's close sends
 * one `fabricTerminated`. A broken client or an unexpected peer never breaks the call.
 */
export function monitorSimplePeer<P extends SimplePeerLike>(
  client: CallstatsClient,
  peer: P,
  options: MonitorSimplePeerOptions,
): SimplePeerMonitor<P>;
export function monitorSimplePeer<P extends SimplePeerLike>(
  client: CallstatsClient,
  peerOptions: SimplePeerOptions,
  options: MonitorNewSimplePeerOptions<P>,
): SimplePeerMonitor<P>;
export function monitorSimplePeer(
  client: CallstatsClient,
  peerOrOptions: SimplePeerLike | SimplePeerOptions,
  options: MonitorSimplePeerOptions | MonitorNewSimplePeerOptions,
): SimplePeerMonitor {
  const form = checkArguments(client, peerOrOptions, options);
  const monitor = createShimMonitor<void>(client, options, SOURCE);
  const session: Session = { monitor, fabric: undefined, pc: undefined, addedAtCreation: false, failedPcCalls: new Set() };

  let peer: SimplePeerLike;
  if (form === 'peer') {
    peer = peerOrOptions as SimplePeerLike;
    const pc = (peer as { _pc?: unknown })._pc;
    if (typeof pc === 'object' && pc !== null) {
      const kinds = [...trackKindsOf(peer.streams ?? []), ...senderTrackKindsOf(pc)];
      addFabric(session, pc, options.fabricUsage ?? usageOfKinds(kinds, 'data'), false);
    } else if (peer.destroyed) {
      monitor.warn('peer:destroyed', 'the peer is already destroyed; nothing to monitor');
    } else {
      monitor.warn('peer:no-pc', 'peer._pc not found: this simple-peer version moved it; the call goes on unmonitored');
    }
  } else {
    const peerOptions = peerOrOptions as SimplePeerOptions;
    const { SimplePeer } = options as MonitorNewSimplePeerOptions;
    // As simple-peer chooses: `wrtc` if it is an object, else the browser's globals.
    const given: unknown = peerOptions.wrtc;
    const wrtc = typeof given === 'object' && given !== null ? (given as WebRTCImplementation) : globalWebRTC();
    const usage = options.fabricUsage ?? usageOfKinds(trackKindsOf(peerOptions.streams ?? (peerOptions.stream ? [peerOptions.stream] : [])), 'data');
    // Without a usable WebRTC the options go through untouched: simple-peer fails its own way.
    const hooked =
      typeof wrtc?.RTCPeerConnection === 'function'
        ? hookWebRTC(wrtc, (pc) => {
            if (!session.pc && !monitor.disposed) addFabric(session, pc, usage, true);
          })
        : undefined;
    try {
      peer = new SimplePeer((hooked ? { ...peerOptions, wrtc: hooked } : peerOptions) as never);
    } catch (error) {
      monitor.dispose();
      throw error;
    }
  }

  if (session.fabric) watchPeer(session, peer);
  else monitor.dispose();

  const muted = { audio: false, video: false };
  return shimMonitor(monitor, (of: SimplePeerLike) => (of === peer && session.pc ? monitor.fabricFor(session.pc) : undefined), {
    peer,
    get monitoring() {
      return !monitor.disposed && session.fabric?.active === true;
    },
    setMuted(kind: 'audio' | 'video', mute: boolean) {
      if (kind !== 'audio' && kind !== 'video') throw invalidArgument(WHERE, 'setMuted kind', 'must be audio or video', kind);
      if (typeof mute !== 'boolean') throw invalidArgument(WHERE, 'setMuted muted', 'must be a boolean', mute);
      if (muted[kind] === mute) return;
      muted[kind] = mute;
      session.fabric?.send(MUTE_EVENTS[kind][mute ? 1 : 0]);
    },
  });
}

/** The kinds of the tracks a pc sends, where it can say (tracks added after construction). */
function senderTrackKindsOf(pc: object): string[] {
  const getSenders = (pc as { getSenders?: () => ReadonlyArray<{ track: { kind: string } | null }> }).getSenders;
  if (typeof getSenders !== 'function') return [];
  try {
    return getSenders.call(pc).flatMap((sender) => (sender.track ? [sender.track.kind] : []));
  } catch {
    return [];
  }
}
