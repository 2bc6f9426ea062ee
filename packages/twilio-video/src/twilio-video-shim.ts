import { createShimMonitor, requireNonEmptyString, type CallstatsClient, type FabricHandle, type ShimLogger } from '@shims/core';
import { isScreenShareTrack } from './map-twilio-event.js';
import { monitoredConstructor } from './monitored-constructor.js';
import { twilioDefaultPeerConnection } from './twilio-default-peer-connection.js';
import { FABRIC_ATTRIBUTES, FABRIC_USAGE, fakeRoomFabrics, realRoomFabrics } from './room-fabrics.js';
import type { PeerConnectionConstructor, TwilioRoom, TwilioTrack } from './twilio-types.js';
import { watchRoom } from './watch-room.js';

export interface MonitorTwilioVideoOptions {
  /** The conference every pc of the Room belongs to; the Room's name is a good choice. */
  conferenceID: string;
  /** The remote side of every pc (Twilio's media server). Default: `twilio-media-server`. */
  remoteUserID?: string;
  /** Whether a local video track is a screen share. Default: from `getDisplayMedia`, or named `*screen*`. */
  isScreenShare?: (track: TwilioTrack) => boolean;
  /** Attach SDP to reported errors (it carries IP addresses). Default: false. */
  collectSDP?: boolean;
  /** Where failures of the monitoring itself go; default: `console.warn`, once per kind. */
  logger?: ShimLogger;
}

/** `connect()` options with the shim's pc constructor; Twilio's `ConnectOptions` type omits the field. */
export type MonitoredConnectOptions<T extends object> = Omit<T, 'RTCPeerConnection'> & { RTCPeerConnection: PeerConnectionConstructor };

export interface TwilioVideoMonitor extends Disposable {
  /**
   * Way (a), before `connect()`: the app's connect options (copied, not changed) with an
   * `RTCPeerConnection` constructor through which every pc of the Room is monitored from its start.
   */
  connectOptions<T extends object = Record<string, never>>(options?: T): MonitoredConnectOptions<T>;
  /**
   * After `connect()` resolves: maps the Room's events (mute, screen share, remote tracks,
   * reconnection, disconnect) onto its fabrics. Way (b): a Room connected without
   * `connectOptions` gets one fake pc fed from `room.getStats()`. One Room at a time.
   */
  attach(room: TwilioRoom): void;
  /** The fabrics still live: the Room's pcs, or its fake pc. */
  fabrics(): FabricHandle[];
  /** Stops monitoring: every listener, wrapper and timer the shim added is removed; nothing more is sent. */
  dispose(): void;
}

const SOURCE = '@shims/twilio-video';
const DEFAULT_REMOTE = 'twilio-media-server';

function requireRoom(room: unknown): asserts room is TwilioRoom {
  const r = room as Partial<TwilioRoom> | null;
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof r.on === 'function' &&
    typeof r.getStats === 'function' &&
    typeof r.localParticipant === 'object' &&
    r.localParticipant !== null &&
    typeof r.localParticipant.on === 'function';
  if (!ok) throw new TypeError(`attach: room must be a Twilio Room (from connect(), with on, getStats and localParticipant), got ${r === null ? 'null' : typeof r}`);
}

/**
 * Monitors a Twilio Video Room with callstats.js. Give `connectOptions()` to `connect()` and every
 * pc Twilio builds for the Room becomes a fabric the moment it exists, its failures reported
 * with the function that failed and its close ending it once; then `attach(room)` maps the
 * Room's events. A Room connected without it can still be attached: it gets a fake pc.
 */
export function monitorTwilioVideo(client: CallstatsClient, options: MonitorTwilioVideoOptions): TwilioVideoMonitor {
  if (typeof options !== 'object' || options === null) throw new TypeError('monitorTwilioVideo: options must be an object with conferenceID');
  if (options.remoteUserID !== undefined) requireNonEmptyString(options.remoteUserID, 'remoteUserID', 'monitorTwilioVideo');
  if (options.isScreenShare !== undefined && typeof options.isScreenShare !== 'function') {
    throw new TypeError('monitorTwilioVideo: isScreenShare must be a function from a local track to a boolean');
  }
  const monitor = createShimMonitor(client, options, SOURCE);
  const remoteUserID = options.remoteUserID ?? DEFAULT_REMOTE;
  const appIsScreenShare = options.isScreenShare;
  const isScreenShare = (track: TwilioTrack): boolean => {
    if (!appIsScreenShare) return isScreenShareTrack(track);
    try {
      return appIsScreenShare(track) === true;
    } catch (error) {
      monitor.warn('isScreenShare:threw', `options.isScreenShare threw (${String(error)}); using the default rule`);
      return isScreenShareTrack(track);
    }
  };
  /** The pcs Twilio built through this monitor's constructor. */
  const built = new WeakSet<object>();
  let attached: { room: TwilioRoom; stop: () => void; release: () => void } | undefined;

  // The fabric is the browser's pc, not Twilio's wrapper around it: callstats.js reads the pc's
  // states, events and getStats(), and the wrapper shows emulated ones (its signalingState says
  // 'have-local-offer' while it holds the offer back, and it re-dispatches only some events); and
  // Twilio's every negotiation call reaches the native pc's methods, so their wrappers report
  // what really failed, including the addIceCandidate failures Twilio swallows.
  const onCreated = (pc: RTCPeerConnection): void => {
    if (monitor.disposed) return;
    built.add(pc);
    monitor.addFabric(pc, { remoteUserID, fabricUsage: FABRIC_USAGE, fabricAttributes: FABRIC_ATTRIBUTES });
  };

  const connectOptions = <T extends object>(connect?: T): MonitoredConnectOptions<T> => {
    if (connect !== undefined && (typeof connect !== 'object' || connect === null)) {
      throw new TypeError(`connectOptions: options must be connect()'s options object, got ${connect === null ? 'null' : typeof connect}`);
    }
    const base = (connect as { RTCPeerConnection?: unknown } | undefined)?.RTCPeerConnection;
    if (base !== undefined && typeof base !== 'function') throw new TypeError('connectOptions: options.RTCPeerConnection must be a constructor');
    // Without the app's own class, Twilio's default one: the app's call behaves as without the shim.
    const twilioDefault = base === undefined ? twilioDefaultPeerConnection() : undefined;
    if (base === undefined && twilioDefault === undefined) {
      monitor.warn('connectOptions:no-default-class', "twilio-video's default pc class could not be loaded; Twilio builds the Room's pcs with the page's RTCPeerConnection instead");
    }
    const Monitored = monitoredConstructor(base as PeerConnectionConstructor | undefined, twilioDefault, onCreated);
    return { ...connect, RTCPeerConnection: Monitored } as MonitoredConnectOptions<T>;
  };

  const attach = (room: TwilioRoom): void => {
    requireRoom(room);
    if (attached?.room === room) return;
    if (attached) throw new TypeError('attach: this monitor already watches another Room; use one monitorTwilioVideo per Room');
    if (monitor.disposed) {
      monitor.warn('attach:disposed', 'attach called after dispose(); the Room is not monitored');
      return;
    }
    if (room.state === 'disconnected') {
      monitor.warn('attach:disconnected', 'attach called with a disconnected Room; nothing to monitor');
      for (const fabric of monitor.fabrics()) fabric.terminate();
      return;
    }
    const isRoomPc = (fabric: FabricHandle): boolean => built.has(fabric.pc);
    const fabrics = monitor.fabrics().some(isRoomPc) ? realRoomFabrics(monitor, isRoomPc) : fakeRoomFabrics(monitor, room, remoteUserID);
    const current = {
      room,
      release: () => fabrics.release(),
      stop: () => {},
    };
    attached = current;
    current.stop = watchRoom(room, fabrics, {
      isScreenShare,
      warn: monitor.warn,
      onEnded: () => {
        if (attached === current) attached = undefined;
      },
    });
  };

  const dispose = (): void => {
    if (monitor.disposed) return;
    if (attached) {
      attached.stop();
      attached.release();
      attached = undefined;
    }
    monitor.dispose();
  };

  const handle = {
    connectOptions,
    attach,
    fabrics: () => monitor.fabrics(),
    dispose,
  } as TwilioVideoMonitor;
  if (typeof Symbol.dispose === 'symbol') handle[Symbol.dispose] = dispose;
  return handle;
}
