// The real livekit-client in the page, driven by livekit-server.test.ts. Records which pc
// functions the SDK calls (on which pc) and what the Room emits.
import { callingPcs, pcCalls } from '../twilio/pc-calls.ts';
import { LogLevel, Room, RoomEvent, Track, setLogExtension, setLogLevel, type RemoteParticipant, type RemoteTrack } from 'livekit-client';

const config = (window as unknown as { __shimsConfig: { url: string } }).__shimsConfig;
const events: string[] = [];
/** The SDK's own log (info and above), for a failing test to show. */
const logs: string[] = [];
setLogLevel(LogLevel.info);
setLogExtension((level, message) => logs.push(`${LogLevel[level]} ${message}`));
const createdPcs: RTCPeerConnection[] = [];
const NativePc = RTCPeerConnection;
// Counts every pc the SDK builds (also those it never calls a function on).
window.RTCPeerConnection = new Proxy(NativePc, {
  construct(target, args: [RTCConfiguration?]) {
    const pc = new target(...args);
    createdPcs.push(pc);
    return pc;
  },
});
let room: Room | undefined;

function record(joined: Room): void {
  joined
    .on(RoomEvent.ParticipantConnected, (p: RemoteParticipant) => events.push(`participantConnected:${p.identity}`))
    .on(RoomEvent.ParticipantDisconnected, (p: RemoteParticipant) => events.push(`participantDisconnected:${p.identity}`))
    .on(RoomEvent.TrackSubscribed, (t: RemoteTrack, _pub, p: RemoteParticipant) => events.push(`trackSubscribed:${p.identity}:${t.kind}`))
    .on(RoomEvent.Reconnecting, () => events.push('reconnecting'))
    .on(RoomEvent.SignalReconnecting, () => events.push('signalReconnecting'))
    .on(RoomEvent.Reconnected, () => events.push('reconnected'))
    .on(RoomEvent.Disconnected, (reason?: unknown) => events.push(`disconnected:${String(reason)}`));
}

async function inboundAudioPackets(): Promise<number> {
  let packets = 0;
  for (const pc of createdPcs) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((stat: { type: string; kind?: string; packetsReceived?: number }) => {
      if (stat.type === 'inbound-rtp' && stat.kind === 'audio') packets += stat.packetsReceived ?? 0;
    });
  }
  return packets;
}

const api = {
  events,
  logs,
  pcCalls,
  /** Joins and publishes Chromium's fake microphone. */
  async connect(token: string) {
    room = new Room();
    record(room);
    await room.connect(config.url, token, { rtcConfig: { iceServers: [] } });
    await room.localParticipant.setMicrophoneEnabled(true);
    const mic = room.localParticipant.getTrackPublication(Track.Source.Microphone);
    return { state: room.state, sid: room.localParticipant.sid, micSid: mic?.trackSid ?? null, pcs: createdPcs.length };
  },
  pcs: () => createdPcs.map((pc) => pc.connectionState),
  callingPcs: () => callingPcs.length,
  remoteParticipants: () => [...(room?.remoteParticipants.values() ?? [])].map((p) => p.identity).sort(),
  state: () => room?.state,
  inboundAudioPackets,
  async disconnect() {
    await room?.disconnect();
  },
};

(window as unknown as { livekitTest: typeof api }).livekitTest = api;
(window as unknown as { __shimsReady: boolean }).__shimsReady = true;
