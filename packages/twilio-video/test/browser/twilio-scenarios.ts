// twilio-video scenarios beyond the conformance suite, driven step by step from Node (which moves
// the local signaling server: participants join and leave, the signaling drops, the room ends).
// This page has no pc tap: it counts the pcs it builds with a Proxy of its own.
import type { CallstatsClient, FabricPeerConnection } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorTwilioVideo, type TwilioVideoMonitor } from '../../src/index.ts';
import { localConnectOptions, remoteAudioFlowing, screenTrack, Video, type Room } from './twilio-app.ts';
// Twilio's default pc class (ChromeRTCPeerConnection here), from the module the shim reads too.
import * as twilioPeerConnectionModule from 'twilio-video/es5/webrtc/rtcpeerconnection/index.js';

type Way = 'a' | 'b' | 'none';
interface StartOptions {
  /** a: connectOptions + attach; b: attach after a plain connect(); none: no shim (Twilio's defaults). */
  way: Way;
  token: string;
  room: string;
  video?: boolean;
  /** Hide RTCRtpSender.getCapabilities so that Twilio probes codecs with a pc of its own. */
  codecProbe?: boolean;
  /** Forward to the page's real callstats.js (into the collector). */
  realCallstats?: boolean;
  brokenClient?: boolean;
}

// Every pc the page builds, through a Proxy (not a subclass): Twilio's adapter keeps working.
const NativePeerConnection = globalThis.RTCPeerConnection;
const allPcs: RTCPeerConnection[] = [];
globalThis.RTCPeerConnection = new Proxy(NativePeerConnection, {
  construct(target, args, newTarget) {
    const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
    allPcs.push(pc);
    return pc;
  },
});

const ROOM_EVENTS = ['disconnected', 'reconnecting', 'reconnected', 'trackSubscribed', 'trackUnsubscribed'];
const LOCAL_EVENTS = ['trackDisabled', 'trackEnabled', 'trackPublished', 'trackStopped'];

let s: {
  client: RecordingCallstats;
  warnings: string[];
  monitor?: TwilioVideoMonitor;
  room: Room;
  tracks: Video.LocalTrack[];
  screen?: Video.LocalVideoTrack;
  events: string[];
  firstPc: number;
  /** The listeners the shim added at attach (those that were not there just before). */
  shimListeners: Listeners;
};

type Listeners = Array<[emitter: Room | Video.LocalParticipant, event: string, listener: unknown]>;
const listenersOf = (room: Room): Listeners => [
  ...ROOM_EVENTS.flatMap((e) => room.listeners(e).map((l): Listeners[number] => [room, e, l])),
  ...LOCAL_EVENTS.flatMap((e) => room.localParticipant.listeners(e).map((l): Listeners[number] => [room.localParticipant, e, l])),
];

async function start(options: StartOptions) {
  const real = (window as { __shimsRealCallstats?: CallstatsClient }).__shimsRealCallstats;
  const client = new RecordingCallstats(options.realCallstats && real ? { delegate: real } : {});
  const warnings: string[] = [];
  const fail = () => {
    throw new Error('monitoring client bug');
  };
  const broken = { addNewFabric: fail, reportError: fail, sendFabricEvent: fail, associateMstWithUserID: fail };
  const monitor =
    options.way === 'none'
      ? undefined
      : monitorTwilioVideo(options.brokenClient ? broken : client, { conferenceID: options.room, logger: { warn: (m) => warnings.push(m) } });
  const tracks = await Video.createLocalTracks({ audio: true, video: options.video ? { width: 320, height: 240, frameRate: 15 } : false });
  const firstPc = allPcs.length;
  const getCapabilities = RTCRtpSender.getCapabilities;
  if (options.codecProbe) Object.defineProperty(RTCRtpSender, 'getCapabilities', { value: undefined, configurable: true, writable: true });
  let room: Room;
  try {
    const connect = { ...localConnectOptions(options.room, tracks), ...(options.codecProbe ? { preferredAudioCodecs: ['opus'] } : {}) };
    room = await Video.connect(options.token, (options.way === 'a' ? monitor!.connectOptions(connect) : connect) as Video.ConnectOptions);
  } finally {
    if (options.codecProbe) Object.defineProperty(RTCRtpSender, 'getCapabilities', { value: getCapabilities, configurable: true, writable: true });
  }
  const events: string[] = [];
  room.on('participantConnected', (p: Video.RemoteParticipant) => events.push(`participantConnected:${p.identity}`));
  room.on('participantDisconnected', (p: Video.RemoteParticipant) => events.push(`participantDisconnected:${p.identity}`));
  room.on('reconnecting', (e: { code?: number }) => events.push(`reconnecting:${e?.code}`));
  room.on('reconnected', () => events.push('reconnected'));
  room.on('disconnected', (_r: Room, e?: { code?: number }) => events.push(`disconnected:${e?.code ?? 'none'}`));
  const before = listenersOf(room).map(([, , l]) => l);
  monitor?.attach(room);
  const shimListeners = listenersOf(room).filter(([, , l]) => !before.includes(l));
  s = { client, warnings, monitor, room, tracks, events, firstPc, shimListeners };
  return summary();
}

/** Per fabric: real or fake pc, the arguments it was added with, its events, associations, errors, end. */
function fabrics() {
  const { client } = s;
  return client.fabrics.map((pc) => {
    const calls = (method: Parameters<RecordingCallstats['callsOf']>[0]) => client.callsOf(method, pc);
    return {
      fake: !allPcs.includes(pc as RTCPeerConnection),
      added: calls('addNewFabric')[0]!.args.slice(1),
      events: calls('sendFabricEvent')
        .map((c) => c.args[1] as string)
        .filter((e) => e !== 'fabricTerminated'),
      terminated: calls('sendFabricEvent').filter((c) => c.args[1] === 'fabricTerminated').length,
      associations: calls('associateMstWithUserID').map((c) => [c.args[1], c.args[3], c.args[4]]),
      errors: calls('reportError').map((c) => [c.args[2], (c.args[3] as { code?: number })?.code]),
      states: [(pc as FabricPeerConnection).iceConnectionState, (pc as FabricPeerConnection).signalingState],
    };
  });
}

async function inboundSsrcs(): Promise<string[]> {
  const ssrcs: string[] = [];
  for (const pc of allPcs.slice(s.firstPc)) {
    if (pc.signalingState === 'closed') continue;
    (await pc.getStats()).forEach((stats: { type: string; ssrc?: number; kind?: string }) => {
      if (stats.type === 'inbound-rtp' && stats.kind === 'audio') ssrcs.push(String(stats.ssrc));
    });
  }
  return ssrcs;
}

function summary() {
  const { room } = s;
  return {
    state: room.state,
    events: [...s.events],
    fabrics: fabrics(),
    pcsBuilt: allPcs.length - s.firstPc,
    callMethods: s.client.calls.map((c) => c.method),
    violations: [...s.client.violations],
    warnings: [...s.warnings],
    published: [...room.localParticipant.tracks.values()]
      .map((p) => `${p.kind}:${p.trackName === 'screen' ? 'screen' : 'track'}:${/^MT/.test(p.trackSid) ? 'sid' : 'none'}`)
      .sort(),
    participants: [...room.participants.values()].map((p) => p.identity).sort(),
  };
}

/** What is left of the shim on the Room and on the pcs it wrapped: compared with before attach. */
function leftovers() {
  const { room } = s;
  return {
    shimListeners: s.shimListeners.length,
    listenersLeft: s.shimListeners.filter(([emitter, event, l]) => emitter.listeners(event).includes(l as never)).map(([, event]) => event),
    localParticipantOwn: ['unpublishTrack', 'unpublishTracks'].filter((m) => Object.hasOwn(room.localParticipant, m)),
    pcOwnFunctions: allPcs
      .slice(s.firstPc)
      .map((pc) => Object.getOwnPropertyNames(pc).filter((n) => typeof (pc as unknown as Record<string, unknown>)[n] === 'function')),
  };
}

interface TwilioInternalRoom {
  _signaling?: { _peerConnectionManager?: { _peerConnections?: Map<string, { _peerConnection?: { _peerConnection?: unknown } }> } };
}

/** The pcs Twilio's Room holds (internals read for the test only): their class, and their browser pc. */
function roomPcs() {
  const TwilioDefault = twilioPeerConnectionModule.default as new () => unknown;
  const held = [...((s.room as unknown as TwilioInternalRoom)._signaling?._peerConnectionManager?._peerConnections?.values() ?? [])];
  return held.map(({ _peerConnection: pc }) => ({
    className: pc?.constructor.name,
    twilioDefaultClass: pc instanceof TwilioDefault,
    browserPc: pc instanceof NativePeerConnection,
    innerPcIsFabric: s.client.fabrics.includes(pc?._peerConnection as never),
  }));
}

/** The fake pc's getStats (way b): the stats types and the packets they count. */
async function fakeStats() {
  const fake = s.client.fabrics.find((pc) => !allPcs.includes(pc as RTCPeerConnection)) as FabricPeerConnection | undefined;
  if (!fake) return null;
  const list = [...(await fake.getStats()).values()] as Array<RTCStats & { packetsSent?: number; packetsReceived?: number; ssrc?: number }>;
  return {
    types: [...new Set(list.map((x) => x.type))].sort(),
    packetsSent: list.filter((x) => x.type === 'outbound-rtp').reduce((n, x) => n + (x.packetsSent ?? 0), 0),
    packetsReceived: list.filter((x) => x.type === 'inbound-rtp').reduce((n, x) => n + (x.packetsReceived ?? 0), 0),
    inboundSsrcs: list.filter((x) => x.type === 'inbound-rtp').map((x) => String(x.ssrc)),
  };
}

function setEnabled(kind: 'audio' | 'video', enabled: boolean) {
  for (const track of s.tracks) {
    if (track.kind === kind && (track.kind === 'audio' || track.kind === 'video')) enabled ? track.enable() : track.disable();
  }
}

async function publishScreen() {
  s.screen = screenTrack();
  await s.room.localParticipant.publishTrack(s.screen);
}

function unpublishScreen() {
  if (!s.screen) return;
  s.room.localParticipant.unpublishTrack(s.screen);
  s.screen.stop();
}

function end() {
  s.room.disconnect();
  for (const track of s.tracks) if (track.kind !== 'data') track.stop();
  s.screen?.stop();
}

Object.assign(window, {
  scenarios: {
    start,
    summary,
    leftovers,
    fakeStats,
    inboundSsrcs,
    roomPcs,
    setEnabled,
    publishScreen,
    unpublishScreen,
    audioFlowing: () => remoteAudioFlowing(s.room, 10_000),
    disconnect: end,
    dispose: () => s.monitor?.dispose(),
  },
});
(window as { __shimsReady?: boolean }).__shimsReady = true;
