import type { WebSocket } from 'ws';
import { ServerPeer } from '../twilio/server-peer.ts';
import type { ToneParticipant } from '../twilio/tone-participant.ts';
import { decodeFrame, encodeFrame, frameTypeName, type ChimeSignalFrame, type ChimeSignalingProtocol } from './protocol.ts';
import type { VideoParticipant } from './video-participant.ts';

/** An attendee as the meeting knows it (a client's own, or one living on the server). */
export interface ChimeAttendee {
  readonly attendeeId: string;
  readonly externalUserId: string;
}

/** A remote attendee's camera, as the server lists it in INDEX and sends it when subscribed. */
export interface ChimeVideoSource {
  readonly attendee: ChimeAttendee;
  readonly streamId: number;
  readonly groupId: number;
  readonly video: VideoParticipant;
}

/** What a client session sees of its meeting. */
export interface MeetingView {
  readonly meetingId: string;
  /** The one audio stream every client receives: the media server's mix (a 440 Hz tone). */
  readonly mix: ToneParticipant;
  videoSources(): ChimeVideoSource[];
  /** This session subscribed: the meeting tells everyone it is present. */
  subscribed(session: ClientSession): void;
  /** This session is gone (leave, or its socket closed): the meeting tells the others. */
  ended(session: ClientSession): void;
  /** The `streams` of an AUDIO_STREAM_ID_INFO frame listing everyone present now. */
  presence(): object[];
}

type Log = (type: string) => void;

/** The m-sections of an SDP, each with its mid. */
function mediaSections(sdp: string): Array<{ text: string; mid: string | undefined; kind: string }> {
  const [, ...sections] = sdp.split(/\r\n(?=m=)/);
  return sections.map((text) => ({ text, mid: /\r\na=mid:(\S+)/.exec(text)?.[1], kind: /^m=(\w+)/.exec(text)?.[1] ?? '' }));
}

/** Sets the msid of the section `mid` of `sdp` to `streamId trackId`: the SDK reads the stream id as the track label. */
function withMsid(sdp: string, mid: string, streamId: string, trackId: string): string {
  const [head, ...sections] = sdp.split(/\r\n(?=m=)/);
  return [
    head,
    ...sections.map((text) => {
      if (/\r\na=mid:(\S+)/.exec(text)?.[1] !== mid) return text;
      const msid = `a=msid:${streamId} ${trackId}`;
      const without = text.replace(/\r\na=msid:[^\r]*/g, '').replace(/( msid:)[^\r]*/g, `$1${streamId} ${trackId}`);
      return without.replace(/(\r\na=mid:\S+)/, `$1\r\n${msid}`);
    }),
  ].join('\r\n');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One attendee's signaling connection to the local Chime server (one WebSocket: a reconnection
 * opens a new one, so a new session) and its server-side pc. Chime does not trickle: the SDK's
 * offer carries all its candidates, and the answer must carry the server's.
 */
export class ClientSession {
  peer: ServerPeer | undefined;
  closed = false;
  /** Present in the meeting (it subscribed); its AUDIO_STREAM_ID_INFO stream id. */
  audioStreamId: number | undefined;
  /** The remote cameras this session receives now, by stream id. */
  private receiving = new Map<number, ChimeVideoSource>();
  private chain: Promise<void> = Promise.resolve();
  private nextSendStreamId = 1;

  readonly attendee: ChimeAttendee;
  private readonly meeting: MeetingView;
  private readonly protocol: ChimeSignalingProtocol;
  private readonly socket: WebSocket;
  private readonly log: Log;

  constructor(attendee: ChimeAttendee, meeting: MeetingView, protocol: ChimeSignalingProtocol, socket: WebSocket, log: Log) {
    this.attendee = attendee;
    this.meeting = meeting;
    this.protocol = protocol;
    this.socket = socket;
    this.log = log;
    socket.on('message', (data: Buffer) => this.receive(data));
    socket.on('close', () => this.close());
  }

  send(frame: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(encodeFrame(this.protocol, frame));
  }

  private get types(): ChimeSignalingProtocol['SdkSignalFrame']['Type'] {
    return this.protocol.SdkSignalFrame.Type;
  }

  private receive(data: Buffer): void {
    const frame = decodeFrame(this.protocol, data);
    if (!frame) return this.log('undecodable');
    const type = frameTypeName(this.protocol, frame.type);
    if (type !== 'PING_PONG') this.log(type);
    switch (frame.type) {
      case this.types.JOIN:
        // No TURN credentials: the SDK then builds its pc without the relay-only policy.
        this.send({ type: this.types.JOIN_ACK, joinack: { wantsCompressedSdp: false } });
        this.sendIndex();
        return;
      case this.types.SUBSCRIBE:
        void this.enqueue(() => this.answer(frame));
        return;
      case this.types.LEAVE:
        this.send({ type: this.types.LEAVE_ACK, leaveAck: {} });
        this.close();
        return;
      case this.types.PING_PONG:
        if (frame.pingPong?.type === this.protocol.SdkPingPongType.PING) {
          this.send({ type: this.types.PING_PONG, pingPong: { type: this.protocol.SdkPingPongType.PONG, pingId: frame.pingPong.pingId } });
        }
        return;
      default:
        // AUDIO_CONTROL (mute), CLIENT_METRIC, DATA_MESSAGE, MEETING_SESSION_TIMING...: logged only.
        return;
    }
  }

  /** The remote cameras of the meeting (INDEX): the SDK subscribes to those it wants. */
  sendIndex(): void {
    const sources = this.meeting
      .videoSources()
      .filter((source) => source.attendee.attendeeId !== this.attendee.attendeeId)
      .map((source) => ({
        streamId: source.streamId,
        groupId: source.groupId,
        attendeeId: source.attendee.attendeeId,
        externalUserId: source.attendee.externalUserId,
        mediaType: this.protocol.SdkStreamMediaType.VIDEO,
        trackLabel: source.video.trackLabel,
        framerate: 15,
        maxBitrateKbps: 600,
        avgBitrateBps: 300_000,
        width: source.video.width,
        height: source.video.height,
      }));
    this.send({ type: this.types.INDEX, index: { atCapacity: false, sources, numParticipants: sources.length + 1 } });
  }

  /** The whole presence list (AUDIO_STREAM_ID_INFO), or the given streams only. */
  sendPresence(streams = this.meeting.presence()): void {
    this.send({ type: this.types.AUDIO_STREAM_ID_INFO, audioStreamIdInfo: { streams } });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step).catch((error: unknown) => {
      if (!this.closed) this.log(`error:${error instanceof Error ? error.message : String(error)}`);
    });
    this.chain = next;
    return next;
  }

  /**
   * SUBSCRIBE: the SDK's offer (every candidate in it) → SUBSCRIBE_ACK with the server peer's
   * answer once it gathered its candidates. The mix goes on the audio section; each subscribed
   * remote camera on the receive-only video section the SDK put it in (`receiveStreamIds[i]` is
   * the stream of the i-th video section, 0 for its own camera's).
   */
  private async answer(frame: ChimeSignalFrame): Promise<void> {
    const offer = frame.sub?.sdpOffer ?? '';
    if (this.closed || !offer) return;
    this.peer ??= new ServerPeer(this.attendee.attendeeId, () => {});
    const pc = this.peer.pc;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const audio = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
    if (audio && !audio.sender.track) pc.addTrack(this.meeting.mix.track, this.meeting.mix.stream);
    const videoMids = mediaSections(offer)
      .filter((section) => section.kind === 'video')
      .map((section) => section.mid);
    const sources = new Map(this.meeting.videoSources().map((source) => [source.streamId, source]));
    const placed: Array<{ mid: string; source: ChimeVideoSource }> = [];
    this.receiving = new Map();
    for (const [i, streamId] of (frame.sub?.receiveStreamIds ?? []).entries()) {
      const source = sources.get(streamId);
      const transceiver = pc.getTransceivers().find((t) => t.mid === videoMids[i]);
      if (!source || !transceiver || transceiver.mid === null) continue;
      if (transceiver.sender.track !== source.video.track) await transceiver.sender.replaceTrack(source.video.track);
      transceiver.direction = 'sendonly';
      placed.push({ mid: transceiver.mid, source });
      this.receiving.set(streamId, source);
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    for (let i = 0; i < 100 && pc.iceGatheringState !== 'complete'; i++) await sleep(20);
    let sdp = pc.localDescription?.sdp ?? '';
    for (const { mid, source } of placed) sdp = withMsid(sdp, mid, source.video.trackLabel, source.video.track.id);
    const sections = mediaSections(sdp);
    const tracks = placed.map(({ mid, source }) => ({
      streamId: source.streamId,
      trackLabel: source.video.trackLabel,
      ssrc: Number(/\r\na=ssrc:(\d+)/.exec(sections.find((s) => s.mid === mid)?.text ?? '')?.[1] ?? 0),
    }));
    // The SDK's own camera, if it sends one, gets a stream id from the server.
    const allocations = (frame.sub?.sendStreams ?? [])
      .filter((stream) => stream.mediaType === this.protocol.SdkStreamMediaType.VIDEO)
      .map(() => ({ streamId: this.nextSendStreamId++ * 2, groupId: 1, trackLabel: 'camera' }));
    if (this.closed) return;
    this.send({
      type: this.types.SUBSCRIBE_ACK,
      suback: { duplex: this.protocol.SdkStreamServiceType.DUPLEX, sdpAnswer: sdp, tracks, allocations },
    });
    if (this.audioStreamId === undefined) this.meeting.subscribed(this);
  }

  /** The remote cameras this session receives now. */
  receivedStreams(): number[] {
    return [...this.receiving.keys()];
  }

  /** Drops the WebSocket without a close frame: the SDK reconnects (a new session and pc). */
  dropSignaling(): void {
    this.socket.terminate();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.peer?.close();
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1000);
    this.meeting.ended(this);
  }
}
