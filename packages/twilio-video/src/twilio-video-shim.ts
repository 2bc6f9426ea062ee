import {
  createScope,
  createShimMonitor,
  invalidArgument,
  shimMonitor,
  watchPageMediaDevices,
  type CallstatsClient,
  type FabricHandle,
  type ShimMonitor,
  type ShimMonitorOptions,
  type WatchMediaOptions,
} from '@shims/core';
import { isScreenShareTrack } from './map-twilio-event.js';
import { monitoredConstructor } from './monitored-constructor.js';
import { twilioDefaultPeerConnection } from './twilio-default-peer-connection.js';
import { FABRIC_ATTRIBUTES, FABRIC_USAGE, fakeRoomFabrics, realRoomFabrics } from './room-fabrics.js';
import type { PeerConnectionConstructor, TwilioRoom, TwilioTrack } from './twilio-types.js';
import { watchRoom } from './watch-room.js';

/**
 * `conferenceID`: the Room's name is a good choice. `remoteUserID`: the remote side of every pc
 * (Twilio's media server, of which the SDK tells nothing); default `twilio-media-server`.
 */
export interface MonitorTwilioVideoOptions extends ShimMonitorOptions<void>, WatchMediaOptions {
  /** Whether a local video track is a screen share. Default: from `getDisplayMedia`, or named `*screen*`. */
  isScreenShare?: (track: TwilioTrack) => boolean;
}

/** `connect()` options with the shim's pc constructor; Twilio's `ConnectOptions` type omits the field. */
export type MonitoredConnectOptions<T extends object> = Omit<T, 'RTCPeerConnection'> & { RTCPeerConnection: PeerConnectionConstructor };

/** `fabricFor(room)`: the attached Room's first live fabric (way (b): its fake pc's). */
export interface TwilioVideoMonitor extends ShimMonitor<TwilioRoom> {
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
}

const SOURCE = '@shims/twilio-video';
const WHERE = 'monitorTwilioVideo';
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
  if (!ok) throw invalidArgument('attach', 'room', 'must be a Twilio Room (from connect(), with on, getStats and localParticipant)', room);
}

/**
 * Monitors a Twilio Video Room with callstats.js. Give `connectOptions()` to `connect()` and every
 * pc Twilio builds for the Room becomes a fabric the moment it exists, its failures reported
 * with the function that failed and its close ending it once; then `attach(room)` maps the
 * Room's events. A Room connected without it can still be attached: it gets a fake pc.
 */
export function monitorTwilioVideo(client: CallstatsClient, options: MonitorTwilioVideoOptions): TwilioVideoMonitor {
  const monitor = createShimMonitor<void>(client, options, SOURCE, () => DEFAULT_REMOTE);
  if (options.isScreenShare !== undefined && typeof options.isScreenShare !== 'function') {
    monitor.dispose();
    throw invalidArgument(WHERE, 'options.isScreenShare', 'must be a function from a local track to a boolean', options.isScreenShare);
  }
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
  let attached: TwilioRoom | undefined;
  // twilio-video captures through the page's getUserMedia (`createLocalTracks`, `connect()` with
  // `audio`/`video`): watched from now until the Room ends, or dispose.
  const media = createScope(monitor);
  watchPageMediaDevices(options, { reportMediaError: monitor.reportMediaError, onDispose: media.onDispose });

  // The fabric is the browser's pc, not Twilio's wrapper around it: callstats.js reads the pc's
  // states, events and getStats(), and the wrapper shows emulated ones (its signalingState says
  // 'have-local-offer' while it holds the offer back, and it re-dispatches only some events); and
  // Twilio's every negotiation call reaches the native pc's methods, so their wrappers report
  // what really failed, including the addIceCandidate failures Twilio swallows.
  const onCreated = (pc: RTCPeerConnection): void => {
    if (monitor.disposed) return;
    built.add(pc);
    monitor.addFabric(pc, { remoteUserID: monitor.userOf(), fabricUsage: FABRIC_USAGE, fabricAttributes: FABRIC_ATTRIBUTES });
  };

  const connectOptions = <T extends object>(connect?: T): MonitoredConnectOptions<T> => {
    if (connect !== undefined && (typeof connect !== 'object' || connect === null)) {
      throw invalidArgument('connectOptions', 'options', "must be connect()'s options object", connect);
    }
    const base = (connect as { RTCPeerConnection?: unknown } | undefined)?.RTCPeerConnection;
    if (base !== undefined && typeof base !== 'function')
      throw invalidArgument('connectOptions', 'options.RTCPeerConnection', 'must be a constructor', base);
    // Without the app's own class, Twilio's default one: the app's call behaves as without the shim.
    const twilioDefault = base === undefined ? twilioDefaultPeerConnection() : undefined;
    if (base === undefined && twilioDefault === undefined) {
      monitor.warn(
        'connectOptions:no-default-class',
        "twilio-video's default pc class could not be loaded; Twilio builds the Room's pcs with the page's RTCPeerConnection instead",
      );
    }
    const Monitored = monitoredConstructor(base as PeerConnectionConstructor | undefined, twilioDefault, onCreated);
    return { ...connect, RTCPeerConnection: Monitored } as MonitoredConnectOptions<T>;
  };

  const attach = (room: TwilioRoom): void => {
    requireRoom(room);
    if (attached === room) return;
    if (attached)
      throw invalidArgument(
        'attach',
        'room',
        'must be the Room already attached (this monitor already watches another Room; use one monitorTwilioVideo per Room)',
        room,
      );
    if (monitor.disposed) {
      monitor.warn('attach:disposed', 'attach called after dispose(); the Room is not monitored');
      return;
    }
    if (room.state === 'disconnected') {
      monitor.warn('attach:disconnected', 'attach called with a disconnected Room; nothing to monitor');
      for (const fabric of monitor.fabrics()) fabric.terminate();
      media.dispose();
      return;
    }
    const isRoomPc = (fabric: FabricHandle): boolean => built.has(fabric.pc);
    const fabrics = monitor.fabrics().some(isRoomPc) ? realRoomFabrics(monitor, isRoomPc) : fakeRoomFabrics(monitor, room, monitor.userOf());
    attached = room;
    // Undone when the Room disconnects, or at dispose; the Room is let go either way.
    const scope = createScope(monitor);
    scope.onDispose(media.dispose);
    scope.onDispose(fabrics.release);
    scope.onDispose(() => {
      if (attached === room) attached = undefined;
    });
    watchRoom(room, fabrics, { isScreenShare, warn: monitor.warn, scope });
  };

  return shimMonitor(monitor, (room: TwilioRoom) => (room === attached ? monitor.fabrics()[0] : undefined), { connectOptions, attach });
}
