import {
  createScope,
  createShimMonitor,
  invalidArgument,
  requireMethods,
  requireOneOf,
  shimMonitor,
  watchPageMediaDevices,
  type CallstatsClient,
  type FabricHandle,
  type FabricLifecycleEvent,
  type ShimMonitor,
  type ShimMonitorOptions,
  type ShimScope,
  type WatchMediaOptions,
} from '@shims/core';
import type {
  ChimeContext,
  ChimeController,
  ChimeMeetingSession,
  ChimeObserver,
  ChimeSessionInternals,
  ChimeVideoTileState,
} from './amazon-chime-types.js';
import { hookProperty } from './hook-property.js';
import { ATTENDEE_USER_IDS, nextCamera, tileUser, type AttendeeUserID, type CameraState } from './map-amazon-chime-tile.js';

/** Which of the session's pcs: the attendee's own (audio, video), or its content share's. */
export type AmazonChimePcRole = 'attendee' | 'content';

/** What amazon-chime-sdk-js knows of the remote side of a pc: the Chime media server, for this session and role. */
export interface AmazonChimeRemote {
  readonly session: ChimeMeetingSession;
  readonly role: AmazonChimePcRole;
}

/**
 * `conferenceID`: the meeting ID is a good choice. `remoteUserID`: the remote side of every pc
 * (the Chime media server), a user ID or a function of `{ session, role }`; default
 * `chime-media-server`. `attendeeUserID` (default `externalUserId`, the app's own user ID): which
 * ID names a remote attendee whose video is associated. `watchMediaDevices` (default true): the
 * page's getUserMedia/getDisplayMedia failures, the device controller's included, until `dispose()`.
 */
export interface MonitorAmazonChimeOptions extends ShimMonitorOptions<AmazonChimeRemote>, WatchMediaOptions {
  attendeeUserID?: AttendeeUserID;
}

/** `fabricFor(meetingSession)`: the fabric of the attendee's pc (audio and video), while active. */
export interface AmazonChimeMonitor extends ShimMonitor<ChimeMeetingSession> {}

const SOURCE = '@shims/amazon-chime';
const WHERE = 'monitorAmazonChime';
const DEFAULT_REMOTE = 'chime-media-server';
const FABRIC_ATTRIBUTES = { remoteEndpointType: 'server' } as const;
/** The usage label of the one audio stream Chime's media server sends: every remote attendee, mixed. */
const MIXED_AUDIO = 'mixed-audio';
/** How often, and how many times, a received track's SSRC is looked up in its receiver's stats. */
const SSRC_POLL_MS = 1_000;
const SSRC_POLLS = 20;
const AUDIO_VIDEO_METHODS = [
  'addObserver',
  'removeObserver',
  'addContentShareObserver',
  'removeContentShareObserver',
  'realtimeSubscribeToMuteAndUnmuteLocalAudio',
  'realtimeUnsubscribeToMuteAndUnmuteLocalAudio',
  'realtimeIsLocalAudioMuted',
  'getAllRemoteVideoTiles',
] as const;

function requireSession(session: unknown): asserts session is ChimeMeetingSession {
  const requirement = 'must be an amazon-chime-sdk-js meeting session (new DefaultMeetingSession(), with audioVideo)';
  if (typeof session !== 'object' || session === null) throw invalidArgument(WHERE, 'meetingSession', requirement, session);
  requireMethods((session as { audioVideo?: unknown }).audioVideo, AUDIO_VIDEO_METHODS, 'meetingSession', WHERE, requirement);
}

async function inboundSsrc(receiver: RTCRtpReceiver): Promise<string | undefined> {
  let ssrc: string | undefined;
  (await receiver.getStats()).forEach((stats: { type: string; ssrc?: number }) => {
    if (stats.type === 'inbound-rtp' && stats.ssrc !== undefined) ssrc ??= String(stats.ssrc);
  });
  return ssrc;
}

/**
 * Monitors an amazon-chime-sdk-js meeting session with callstats.js, from `new
 * DefaultMeetingSession()` (or mid-call) until `dispose()`: the pc each `start()` and each
 * reconnection builds, and the content share's, become fabrics before their first event; their
 * failures are reported with the function that failed, their close ends them once; local mute,
 * camera stop/start and content share are mapped, and remote attendees' video is associated.
 */
export function monitorAmazonChime(
  client: CallstatsClient,
  meetingSession: ChimeMeetingSession,
  options: MonitorAmazonChimeOptions,
): AmazonChimeMonitor {
  requireSession(meetingSession);
  const monitor = createShimMonitor<AmazonChimeRemote>(client, options, SOURCE, () => DEFAULT_REMOTE);
  const userKey = options.attendeeUserID ?? 'externalUserId';
  requireOneOf(userKey, ATTENDEE_USER_IDS, 'options.attendeeUserID', WHERE);
  watchPageMediaDevices(options, monitor);
  const audioVideo = meetingSession.audioVideo;
  const internals = meetingSession as unknown as ChimeSessionInternals;
  const roles = new WeakMap<object, AmazonChimePcRole>();
  const attendeeFabric = (): FabricHandle | undefined =>
    monitor
      .fabrics()
      .filter((fabric) => roles.get(fabric.pc) === 'attendee')
      .at(-1);
  const sendLocal = (event: FabricLifecycleEvent | undefined): void => {
    if (event && !monitor.disposed) attendeeFabric()?.send(event);
  };

  // A received track's SSRC shows in its receiver's stats once media flows: looked up until then.
  const timers = new Set<ReturnType<typeof setTimeout>>();
  monitor.onDispose(() => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  });
  // Once per received track (a tile is updated many times) and per pc's mixed audio.
  const associating = new WeakSet<object>();
  const associate = (fabric: FabricHandle, key: object, receiverOf: () => RTCRtpReceiver | undefined, userID: string, usage: string): void => {
    if (associating.has(key)) return;
    associating.add(key);
    let polls = 0;
    const attempt = async (): Promise<void> => {
      const receiver = receiverOf();
      const ssrc = receiver ? await inboundSsrc(receiver).catch(() => undefined) : undefined;
      if (monitor.disposed || !fabric.active) return;
      if (ssrc) {
        fabric.associateStream(userID, ssrc, usage);
        return;
      }
      if (++polls >= SSRC_POLLS) {
        monitor.warn('associate:no-ssrc', `no SSRC for ${userID}'s ${usage}: not associated`);
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
  const receiversOf = (fabric: FabricHandle): RTCRtpReceiver[] => (fabric.pc as RTCPeerConnection).getReceivers?.() ?? [];

  // A remote attendee's camera or content share: its tile's stream is one receiver's track.
  const associateTile = (state: ChimeVideoTileState): void => {
    const user = tileUser(state, userKey);
    const fabric = attendeeFabric();
    if (!user || !fabric) return;
    const [track] = state.boundVideoStream!.getVideoTracks();
    if (track) associate(fabric, track, () => receiversOf(fabric).find((r) => r.track === track), user.userID, user.usage);
  };

  const addPc = (pc: RTCPeerConnection | null | undefined, role: AmazonChimePcRole): void => {
    if (monitor.disposed || !pc || pc.signalingState === 'closed') return;
    roles.set(pc, role);
    const known = monitor.fabricFor(pc);
    const fabric = monitor.addFabric(pc, {
      remoteUserID: monitor.userOf({ session: meetingSession, role }),
      fabricUsage: 'multiplex',
      fabricAttributes: FABRIC_ATTRIBUTES,
    });
    if (known || role !== 'attendee') return;
    // Chime's media server mixes every remote attendee into one audio stream: it has no one user.
    associate(fabric, pc, () => receiversOf(fabric).find((r) => r.track.kind === 'audio'), fabric.remoteUserID, MIXED_AUDIO);
    if (audioVideo.realtimeIsLocalAudioMuted()) fabric.send('audioMute');
  };

  // Each controller (the attendee's, the content share's) keeps its state in a context object it
  // replaces at its first start(); CreatePeerConnectionTask stores each new pc in `context.peer`
  // (at start and at each reconnection), which an accessor turns into addFabric before any event.
  const watchController = (controller: ChimeController | undefined, role: AmazonChimePcRole): void => {
    if (typeof controller !== 'object' || controller === null) {
      monitor.warn(`controller:${role}`, `the session has no ${role} controller: its pcs are not monitored`);
      return;
    }
    let contextScope: ShimScope | undefined;
    const watchContext = (context: ChimeContext | undefined): void => {
      contextScope?.dispose();
      contextScope = undefined;
      if (typeof context !== 'object' || context === null || monitor.disposed) return;
      contextScope = createScope(monitor);
      addPc(context.peer, role);
      const hooked = hookProperty<RTCPeerConnection | null | undefined>(contextScope, context, 'peer', (pc, previous) => {
        // The SDK closes a pc before it lets go of it (the close ends the fabric); one it drops open ends here.
        if (previous && previous !== pc) monitor.fabricFor(previous)?.terminate();
        addPc(pc, role);
      });
      if (!hooked) monitor.warn('context:peer', 'the session state has no `peer`: later pcs are not monitored');
    };
    watchContext(controller.meetingSessionContext);
    if (!hookProperty(monitor, controller, 'meetingSessionContext', watchContext)) {
      monitor.warn('controller:context', 'the controller has no `meetingSessionContext`: pcs of a later start() are not monitored');
    }
  };
  watchController(internals.audioVideoController, 'attendee');
  watchController(internals.contentShareController?.contentAudioVideo, 'content');

  let camera: CameraState = { on: false, paused: false };
  let sharing = false;
  const share = (started: boolean): void => {
    if (sharing === started) return;
    sharing = started;
    sendLocal(started ? 'screenShareStart' : 'screenShareStop');
  };
  const observer: ChimeObserver = {
    videoTileDidUpdate(state) {
      if (monitor.disposed) return;
      if (!state.localTile) return associateTile(state);
      const next = nextCamera(camera, !!state.boundVideoStream);
      camera = next.camera;
      sendLocal(next.event);
    },
    contentShareDidStart: () => share(true),
    contentShareDidStop: () => share(false),
  };
  const onMute = (muted: boolean): void => sendLocal(muted ? 'audioMute' : 'audioUnmute');
  audioVideo.addObserver(observer);
  audioVideo.addContentShareObserver(observer);
  audioVideo.realtimeSubscribeToMuteAndUnmuteLocalAudio(onMute);
  monitor.onDispose(() => {
    audioVideo.removeObserver(observer);
    audioVideo.removeContentShareObserver(observer);
    audioVideo.realtimeUnsubscribeToMuteAndUnmuteLocalAudio(onMute);
  });

  // Attached mid-call: the remote tiles already shown, and a content share already running.
  for (const tile of audioVideo.getAllRemoteVideoTiles()) associateTile(tile.state());
  if (monitor.fabrics().some((fabric) => roles.get(fabric.pc) === 'content')) share(true);

  return shimMonitor(monitor, (session: ChimeMeetingSession) => (session === meetingSession ? attendeeFabric() : undefined));
}
