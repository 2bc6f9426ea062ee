import {
  createScope,
  createShimMonitor,
  invalidArgument,
  listenOn,
  shimMonitor,
  watchPageMediaDevices,
  type CallstatsClient,
  type FabricHandle,
  type FabricLifecycleEvent,
  type ShimChanges,
  type ShimMonitor,
  type ShimMonitorOptions,
  type WatchMediaOptions,
} from '@shims/core';
import type { LivekitEngine, LivekitParticipant, LivekitRoom, LivekitTrack, LivekitTrackPublication, LivekitTransport } from './livekit-types.js';
import { muteEventOf, SCREEN_SHARE, usageLabelOf } from './map-livekit-event.js';

/** Which of the Room's pcs: `publisher` (the only one in single-pc mode) or `subscriber` (two-pc mode). */
export type LivekitPcRole = 'publisher' | 'subscriber';

/** What livekit-client knows of the remote side of a pc: the LiveKit server, for this Room and role. */
export interface LivekitRemote {
  readonly room: LivekitRoom;
  readonly role: LivekitPcRole;
}

/**
 * `conferenceID`: the Room's name is a good choice. `remoteUserID`: the remote side of every pc
 * (the LiveKit server), a user ID or a function of `{ room, role }`; default `livekit-server`.
 * `watchMediaDevices` (default true): the page's getUserMedia/getDisplayMedia failures, the
 * Room's own captures included, are reported until `dispose()`.
 */
export interface MonitorLivekitOptions extends ShimMonitorOptions<LivekitRemote>, WatchMediaOptions {}

/** `fabricFor(room)`: the fabric of the pc the Room publishes on (its only pc in single-pc mode), while active. */
export interface LivekitMonitor extends ShimMonitor<LivekitRoom> {}

const SOURCE = '@shims/livekit';
const WHERE = 'monitorLivekit';
const DEFAULT_REMOTE = 'livekit-server';
const FABRIC_ATTRIBUTES = { remoteEndpointType: 'server' } as const;
/** How often, and how many times, a remote track's SSRC is looked up in its receiver's stats. */
const SSRC_POLL_MS = 1_000;
const SSRC_POLLS = 20;

function requireRoom(room: unknown): asserts room is LivekitRoom {
  const r = room as Partial<LivekitRoom> | null;
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof r.on === 'function' &&
    typeof r.off === 'function' &&
    typeof r.localParticipant === 'object' &&
    r.localParticipant !== null &&
    typeof (r.remoteParticipants as Map<string, unknown> | undefined)?.values === 'function';
  if (!ok)
    throw invalidArgument(WHERE, 'room', 'must be a livekit-client Room (new Room(), with on, off, localParticipant and remoteParticipants)', room);
}

/**
 * Turns an own property into an accessor whose setter calls `onSet` with each new value, until
 * `owner` is disposed (then the property is put back as it was, with the latest value). An
 * accessor already there (another monitor's) keeps working underneath. False when the property is
 * missing or cannot be redefined.
 */
function watchProperty<T>(owner: ShimChanges, target: object, name: string, onSet: (value: T) => void): boolean {
  const previous = Object.getOwnPropertyDescriptor(target, name);
  if (!previous?.configurable || ('value' in previous && !previous.writable)) return false;
  let current = previous.value as T;
  const accessor: PropertyDescriptor = {
    configurable: true,
    enumerable: previous.enumerable ?? true,
    get: previous.get ? () => previous.get!.call(target) as T : () => current,
    set(value: T) {
      if (previous.set) previous.set.call(target, value);
      else current = value;
      onSet(value);
    },
  };
  Object.defineProperty(target, name, accessor);
  owner.onDispose(() => {
    // Someone who redefined the property since keeps it (ours then only forwards).
    if (Object.getOwnPropertyDescriptor(target, name)?.set !== accessor.set) return;
    Object.defineProperty(target, name, previous.get || previous.set ? previous : { ...previous, value: current });
  });
  return true;
}

/**
 * Monitors every peerconnection of a livekit-client Room with callstats.js, from `new Room()`
 * (or mid-call) until `dispose()`: each pc the Room's engine builds (one in single-pc mode,
 * publisher and subscriber in two-pc mode, new ones at a full reconnect or a new engine) becomes
 * a fabric before its first event; its failures are reported with the function that failed, its
 * close ends it once; local mute and screen share, and remote tracks' users, are mapped.
 */
export function monitorLivekit(client: CallstatsClient, room: LivekitRoom, options: MonitorLivekitOptions): LivekitMonitor {
  requireRoom(room);
  const monitor = createShimMonitor<LivekitRemote>(client, options, SOURCE, () => DEFAULT_REMOTE);
  watchPageMediaDevices(options, monitor);
  const roles = new WeakMap<object, LivekitPcRole>();
  const hooked = new WeakSet<object>();

  /** The pcs of the Room's current engine: ended if the Room drops the engine with them still open. */
  let current: { engine: LivekitEngine; pcs: Set<RTCPeerConnection> } | undefined;
  const addPc = (pc: RTCPeerConnection, role: LivekitPcRole, pcs: Set<RTCPeerConnection>): void => {
    if (monitor.disposed || pc.signalingState === 'closed') return;
    pcs.add(pc);
    roles.set(pc, role);
    monitor.addFabric(pc, { remoteUserID: monitor.userOf({ room, role }), fabricUsage: 'multiplex', fabricAttributes: FABRIC_ATTRIBUTES });
  };

  // A PCTransport builds its pc in its constructor, and again lazily if something reads its pc
  // after close: every pc it stores in `_pc` is added, before the SDK calls anything on it.
  const watchTransport = (owner: ShimChanges, transport: LivekitTransport | undefined, role: LivekitPcRole, pcs: Set<RTCPeerConnection>): void => {
    if (typeof transport !== 'object' || transport === null || hooked.has(transport)) return;
    hooked.add(transport);
    const scope = createScope(owner);
    if (transport._pc) addPc(transport._pc, role, pcs);
    const watched = watchProperty<RTCPeerConnection | null>(scope, transport, '_pc', (pc) => {
      if (pc) addPc(pc, role, pcs);
    });
    if (!watched) monitor.warn('transport:_pc', "livekit-client's PCTransport has no `_pc` field: a pc it re-creates later is not monitored");
  };

  // The Room's engine builds the pcs (`transportsCreated`) at each join; a full reconnect joins
  // again on the same engine, and a Room reconnecting after a disconnect builds a new engine.
  const watchEngine = (engine: LivekitEngine | undefined): void => {
    // The Room dropped its engine: pcs it left open (livekit-client 2.23 does, when disconnect()
    // comes while connect() waits for the server) are over for the Room; end their fabrics.
    if (current && current.engine !== engine) {
      for (const pc of current.pcs) monitor.fabricFor(pc)?.terminate();
      current = undefined;
    }
    if (typeof engine !== 'object' || engine === null || hooked.has(engine) || monitor.disposed) return;
    hooked.add(engine);
    const pcs = new Set<RTCPeerConnection>();
    current = { engine, pcs };
    const scope = createScope(monitor);
    listenOn(scope, engine, 'transportsCreated', (publisher: LivekitTransport, subscriber?: LivekitTransport) => {
      watchTransport(scope, publisher, 'publisher', pcs);
      watchTransport(scope, subscriber, 'subscriber', pcs);
    });
    // A closing engine closes its pcs (each fabric ends at its close()) and is never used again.
    listenOn(scope, engine, 'closing', () => scope.dispose());
    watchTransport(scope, engine.pcManager?.publisher, 'publisher', pcs);
    watchTransport(scope, engine.pcManager?.subscriber, 'subscriber', pcs);
  };

  const engineOf = (r: LivekitRoom): LivekitEngine | undefined => (r as unknown as { engine?: LivekitEngine }).engine;
  watchEngine(engineOf(room));
  if (!watchProperty<LivekitEngine | undefined>(monitor, room, 'engine', watchEngine)) {
    monitor.warn('room:engine', "livekit-client's Room has no `engine` field: pcs of an engine built later are not monitored");
  }

  const publishing = (): FabricHandle[] => monitor.fabrics().filter((fabric) => roles.get(fabric.pc) === 'publisher');
  const sendLocal = (event: FabricLifecycleEvent | undefined): void => {
    if (event) for (const fabric of publishing()) fabric.send(event);
  };
  const isLocal = (participant: LivekitParticipant | undefined): boolean => participant === room.localParticipant;

  // Local mute / unmute (setMicrophoneEnabled, setCameraEnabled, track.mute()).
  listenOn(monitor, room, 'trackMuted', (publication: LivekitTrackPublication, participant: LivekitParticipant) => {
    if (isLocal(participant)) sendLocal(muteEventOf(publication, true));
  });
  listenOn(monitor, room, 'trackUnmuted', (publication: LivekitTrackPublication, participant: LivekitParticipant) => {
    if (isLocal(participant)) sendLocal(muteEventOf(publication, false));
  });
  // Screen share: the video of source `screen_share`, published and unpublished (once each).
  const sharing = new Set<string>();
  const screenShare = (publication: LivekitTrackPublication, started: boolean): void => {
    if (publication.source !== SCREEN_SHARE || sharing.has(publication.trackSid) === started) return;
    if (started) sharing.add(publication.trackSid);
    else sharing.delete(publication.trackSid);
    sendLocal(started ? 'screenShareStart' : 'screenShareStop');
  };
  listenOn(monitor, room, 'localTrackPublished', (publication: LivekitTrackPublication) => screenShare(publication, true));
  listenOn(monitor, room, 'localTrackUnpublished', (publication: LivekitTrackPublication) => screenShare(publication, false));

  // Remote tracks → associateMstWithUserID(participant identity, SSRC), once the receiver's stats show the SSRC.
  const timers = new Set<ReturnType<typeof setTimeout>>();
  monitor.onDispose(() => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  });
  const associated = new WeakSet<RTCRtpReceiver>();
  const fabricReceiving = (receiver: RTCRtpReceiver): FabricHandle | undefined =>
    monitor.fabrics().find((fabric) => (fabric.pc as RTCPeerConnection).getReceivers?.().includes(receiver));
  const ssrcOf = async (receiver: RTCRtpReceiver): Promise<string | undefined> => {
    let ssrc: string | undefined;
    (await receiver.getStats()).forEach((stats: { type: string; ssrc?: number }) => {
      if (stats.type === 'inbound-rtp' && stats.ssrc !== undefined) ssrc ??= String(stats.ssrc);
    });
    return ssrc;
  };
  const associate = (track: LivekitTrack | undefined, publication: LivekitTrackPublication, participant: LivekitParticipant): void => {
    const receiver = track?.receiver;
    if (!receiver || associated.has(receiver) || monitor.disposed) return;
    associated.add(receiver);
    let polls = 0;
    const attempt = async (): Promise<void> => {
      const fabric = fabricReceiving(receiver);
      const ssrc = fabric ? await ssrcOf(receiver).catch(() => undefined) : undefined;
      if (monitor.disposed || (fabric && !fabric.active)) return;
      if (fabric && ssrc) {
        fabric.associateStream(participant.identity, ssrc, usageLabelOf(publication.source ?? track?.source));
        return;
      }
      if (++polls >= SSRC_POLLS) {
        monitor.warn(
          'associate:no-ssrc',
          `no SSRC found for ${participant.identity}'s ${publication.kind} track; it is not associated with the user`,
        );
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        void attempt();
      }, SSRC_POLL_MS);
      timers.add(timer);
    };
    void attempt();
  };
  listenOn(monitor, room, 'trackSubscribed', (track: LivekitTrack, publication: LivekitTrackPublication, participant: LivekitParticipant) =>
    associate(track, publication, participant),
  );

  // Attached mid-call: what the Room already holds.
  for (const participant of room.remoteParticipants.values()) {
    for (const publication of participant.trackPublications.values()) associate(publication.track, publication, participant);
  }
  for (const publication of room.localParticipant.trackPublications.values()) {
    if (publication.isMuted) sendLocal(muteEventOf(publication, true));
    screenShare(publication, true);
  }

  return shimMonitor(monitor, (target: LivekitRoom) => (target === room ? publishing().at(-1) : undefined));
}
