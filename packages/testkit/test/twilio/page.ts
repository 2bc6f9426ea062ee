import { callingPcs, pcCalls } from './pc-calls.ts';
import * as Video from 'twilio-video';
import type * as TwilioVideo from 'twilio-video';
const config = (window as unknown as { __shimsConfig: { wsServer: string } }).__shimsConfig;

/** Everything the Room did, as short strings the test waits for. */
const events: string[] = [];
let room: TwilioVideo.Room | undefined;

function record(joined: TwilioVideo.Room): void {
  joined.on('participantConnected', (p: TwilioVideo.RemoteParticipant) => events.push(`participantConnected:${p.identity}`));
  joined.on('participantDisconnected', (p: TwilioVideo.RemoteParticipant) => events.push(`participantDisconnected:${p.identity}`));
  joined.on('trackSubscribed', (t: TwilioVideo.RemoteTrack, _pub: unknown, p: TwilioVideo.RemoteParticipant) =>
    events.push(`trackSubscribed:${p.identity}:${t.kind}`),
  );
  joined.on('trackUnsubscribed', (t: TwilioVideo.RemoteTrack, _pub: unknown, p: TwilioVideo.RemoteParticipant) =>
    events.push(`trackUnsubscribed:${p.identity}:${t.kind}`),
  );
  joined.on('reconnecting', () => events.push('reconnecting'));
  joined.on('reconnected', () => events.push('reconnected'));
  joined.on('disconnected', (_r: unknown, error?: { code?: number }) => events.push(`disconnected:${error?.code ?? 'none'}`));
}

async function inboundAudioPackets(): Promise<number> {
  let packets = 0;
  for (const pc of callingPcs) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((stat: { type: string; kind?: string; packetsReceived?: number }) => {
      if (stat.type === 'inbound-rtp' && stat.kind === 'audio') packets += stat.packetsReceived ?? 0;
    });
  }
  return packets;
}

const api = {
  events,
  pcCalls,
  /** Joins with Chromium's fake microphone and camera, or with no tracks at all. */
  async connect(token: string, name: string, withTracks = true) {
    const tracks = withTracks ? await Video.createLocalTracks({ audio: true, video: { width: 320, height: 240, frameRate: 15 } }) : [];
    const options = { name, tracks, wsServer: config.wsServer, iceServers: [], insights: false };
    room = await Video.connect(token, options);
    record(room);
    const publications = [...room.localParticipant.tracks.values()].map((pub) => ({ kind: pub.kind, trackSid: pub.trackSid }));
    return { state: room.state, sid: room.sid, participantSid: room.localParticipant.sid, publications };
  },
  /** Waits until the SDK has a SID for each local track (publication acknowledged by the server). */
  async publications() {
    const local = room!.localParticipant;
    return [...local.tracks.values()].map((pub) => ({ kind: pub.kind, trackSid: pub.trackSid }));
  },
  /** Publishes one more (fake) microphone track after connecting: the SDK offers again. */
  async publishAudio() {
    const track = await Video.createLocalAudioTrack();
    const publication = await room!.localParticipant.publishTrack(track);
    return { kind: publication.kind, trackSid: publication.trackSid };
  },
  /** `identity:kind` of every remote track the Room is subscribed to (events may predate `record`). */
  subscribedTracks: () =>
    [...(room?.participants.values() ?? [])].flatMap((p) =>
      [...p.tracks.values()].filter((pub) => pub.isSubscribed).map((pub) => `${p.identity}:${pub.kind}`),
    ),
  remoteParticipants: () => [...(room?.participants.values() ?? [])].map((p) => p.identity),
  state: () => room?.state,
  inboundAudioPackets,
  disconnect: () => room?.disconnect(),
};

(window as unknown as { twilioTest: typeof api }).twilioTest = api;
(window as unknown as { __shimsReady: boolean }).__shimsReady = true;
