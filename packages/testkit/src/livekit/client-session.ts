import {
  DisconnectReason,
  JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  MediaSectionsRequirement,
  ParticipantInfo,
  ParticipantInfo_State,
  ParticipantPermission,
  ParticipantUpdate,
  Pong,
  ReconnectResponse,
  Room,
  ServerInfo,
  ServerInfo_Edition,
  SessionDescription,
  SignalRequest,
  SignalResponse,
  SignalTarget,
  TrackInfo,
  TrackPublishedResponse,
  TrackSource,
  TrackType,
  TrickleRequest,
} from '@livekit/protocol';
import type { WebSocket } from 'ws';
import { ServerPeer } from '../twilio/server-peer.ts';
import type { ToneParticipant } from '../twilio/tone-participant.ts';
import { livekitSid } from './token.ts';

/** A participant living on the server: the testkit's tone participant, with LiveKit ids. */
export interface LiveKitGuest {
  readonly identity: string;
  readonly sid: string;
  readonly trackSid: string;
  readonly tone: ToneParticipant;
  /** `ParticipantInfo.version`: the SDK ignores an update whose version is not above the last. */
  version: number;
}

export interface RoomView {
  readonly sid: string;
  readonly name: string;
  guests(): LiveKitGuest[];
}

/** `single`: one pc, the SDK offers (the `/rtc/v1` path); `dual`: publisher + subscriber (`/rtc`). */
export type SessionMode = 'single' | 'dual';

type ResponseMessage = SignalResponse['message'];
type Candidate = { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null };

const SERVER_VERSION = '1.9.0';

/** The guest's track as the SDK's `TrackInfo` reads it. */
function trackInfoOf(guest: LiveKitGuest): TrackInfo {
  return new TrackInfo({ sid: guest.trackSid, type: TrackType.AUDIO, name: 'microphone', source: TrackSource.MICROPHONE, mimeType: 'audio/opus' });
}

function guestInfo(guest: LiveKitGuest, connected: boolean): ParticipantInfo {
  return new ParticipantInfo({
    sid: guest.sid,
    identity: guest.identity,
    name: guest.identity,
    state: connected ? ParticipantInfo_State.ACTIVE : ParticipantInfo_State.DISCONNECTED,
    tracks: connected ? [trackInfoOf(guest)] : [],
    version: guest.version,
    isPublisher: connected,
    joinedAt: BigInt(Math.floor(Date.now() / 1000)),
    permission: new ParticipantPermission({ canSubscribe: true, canPublish: true, canPublishData: true }),
  });
}

/**
 * The SDK finds the participant and track of a received stream in its msid: stream id
 * `<participant sid>|<track sid>`, track id the track SID. The wrtc peer names them with its own
 * ids; only what is sent to the SDK is renamed (the server's own description keeps wrtc's names).
 */
function renameStreams(sdp: string, guests: Iterable<LiveKitGuest>): string {
  let renamed = sdp;
  for (const guest of guests) {
    const { stream, track } = guest.tone;
    renamed = renamed
      .split(`msid:${stream.id} ${track.id}`)
      .join(`msid:${guest.sid}|${guest.trackSid} ${guest.trackSid}`)
      .split(`a=msid:${stream.id} `)
      .join(`a=msid:${guest.sid}|${guest.trackSid} `);
  }
  return renamed;
}

/**
 * One client of the local LiveKit server: its signaling (one WebSocket at a time: a resume brings
 * a new one), its server-side pcs (one in `single` mode, publisher and subscriber in `dual`), the
 * tracks it publishes and the server-side participants it receives.
 */
export class ClientSession {
  readonly sid = livekitSid('PA');
  readonly publisher: ServerPeer;
  readonly subscriber: ServerPeer | undefined;
  closed = false;
  private socket: WebSocket | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Guests whose track the client receives, with the wrtc sender carrying it. */
  private readonly sending = new Map<LiveKitGuest, RTCRtpSender>();
  private readonly pendingCandidates = new Map<ServerPeer, Candidate[]>();
  private serverOfferId = 0;
  private answerWaiter: (() => void) | undefined;
  /** Resolved at the next answer the server sends on the publisher (single mode renegotiations). */
  private publisherAnswered: Array<() => void> = [];
  readonly published: TrackInfo[] = [];

  readonly identity: string;
  readonly room: RoomView;
  readonly mode: SessionMode;
  private readonly onLog: (type: string) => void;

  constructor(identity: string, room: RoomView, mode: SessionMode, onLog: (type: string) => void) {
    this.identity = identity;
    this.room = room;
    this.mode = mode;
    this.onLog = onLog;
    this.publisher = this.makePeer('publisher', SignalTarget.PUBLISHER);
    this.subscriber = mode === 'dual' ? this.makePeer('subscriber', SignalTarget.SUBSCRIBER) : undefined;
  }

  private makePeer(id: string, target: SignalTarget): ServerPeer {
    const peer = new ServerPeer(id, () => {});
    this.pendingCandidates.set(peer, []);
    peer.pc.addEventListener('icecandidate', (event) => {
      const candidate = event.candidate;
      if (!candidate?.candidate) return;
      const init = { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex };
      this.send({ case: 'trickle', value: new TrickleRequest({ candidateInit: JSON.stringify(init), target }) });
    });
    return peer;
  }

  /** Runs `step` after every step queued before it (offers, answers and guests change one pc). */
  enqueue(step: () => Promise<void> | void): Promise<void> {
    const next = this.chain.then(step).catch((error: unknown) => {
      if (!this.closed) this.onLog(`error:${error instanceof Error ? error.message : String(error)}`);
    });
    this.chain = next;
    return next;
  }

  attach(socket: WebSocket): void {
    this.socket = socket;
  }

  detach(socket: WebSocket): void {
    if (this.socket === socket) this.socket = undefined;
  }

  send(message: ResponseMessage): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) return;
    socket.send(new SignalResponse({ message }).toBinary());
  }

  /** The first message of a new session, then the answer to an offer that came with the join. */
  join(offer: SessionDescription | undefined): Promise<void> {
    const participant = new ParticipantInfo({
      sid: this.sid,
      identity: this.identity,
      name: this.identity,
      state: ParticipantInfo_State.JOINED,
      version: 1,
      joinedAt: BigInt(Math.floor(Date.now() / 1000)),
      permission: new ParticipantPermission({ canSubscribe: true, canPublish: true, canPublishData: true }),
    });
    this.send({
      case: 'join',
      value: new JoinResponse({
        room: new Room({ sid: this.room.sid, name: this.room.name }),
        participant,
        otherParticipants: this.room.guests().map((guest) => guestInfo(guest, true)),
        serverVersion: SERVER_VERSION,
        serverInfo: new ServerInfo({ edition: ServerInfo_Edition.Standard, version: SERVER_VERSION, protocol: 16 }),
        // As LiveKit: with two pcs the subscriber is primary (the server offers on it at once).
        subscriberPrimary: this.mode === 'dual',
        pingTimeout: 15,
        pingInterval: 5,
      }),
    });
    if (offer) return this.enqueue(() => this.answerPublisher(offer));
    if (this.mode === 'dual') return this.enqueue(() => this.offerSubscriber(false));
    return Promise.resolve();
  }

  /** A resumed signal connection (same session, new socket): `reconnect`, then ICE restarts. */
  resume(socket: WebSocket): Promise<void> {
    this.attach(socket);
    this.send({ case: 'reconnect', value: new ReconnectResponse({}) });
    // The SDK restarts ICE on the pc it offers on; the subscriber's restart is the server's offer.
    if (this.mode === 'dual') return this.enqueue(() => this.offerSubscriber(true));
    return Promise.resolve();
  }

  handle(request: SignalRequest): void {
    const message = request.message;
    switch (message.case) {
      case 'offer':
        void this.enqueue(() => this.answerPublisher(message.value));
        return;
      case 'answer':
        void this.acceptSubscriberAnswer(message.value);
        return;
      case 'trickle': {
        const peer = message.value.target === SignalTarget.SUBSCRIBER ? this.subscriber : this.publisher;
        if (peer) void this.addCandidate(peer, JSON.parse(message.value.candidateInit) as Candidate);
        return;
      }
      case 'addTrack': {
        const add = message.value;
        const track = new TrackInfo({
          sid: livekitSid('TR'),
          type: add.type,
          name: add.name,
          source: add.source,
          muted: add.muted,
          width: add.width,
          height: add.height,
          mimeType: add.type === TrackType.AUDIO ? 'audio/opus' : 'video/vp8',
        });
        this.published.push(track);
        this.send({ case: 'trackPublished', value: new TrackPublishedResponse({ cid: add.cid, track }) });
        return;
      }
      case 'mute': {
        const track = this.published.find((t) => t.sid === message.value.sid);
        if (track) track.muted = message.value.muted;
        return;
      }
      case 'ping':
        this.send({ case: 'pong', value: message.value });
        return;
      case 'pingReq':
        this.send({ case: 'pongResp', value: new Pong({ lastPingTimestamp: message.value.timestamp, timestamp: BigInt(Date.now()) }) });
        return;
      default:
        // subscription, trackSetting, updateLayers, syncState, leave (handled by the server)...
        return;
    }
  }

  /** A server-side participant joined: the client hears of it, then receives its track. */
  addGuest(guest: LiveKitGuest): Promise<void> {
    this.send({ case: 'update', value: new ParticipantUpdate({ participants: [guestInfo(guest, true)] }) });
    return this.renegotiate();
  }

  removeGuest(guest: LiveKitGuest): Promise<void> {
    this.send({ case: 'update', value: new ParticipantUpdate({ participants: [guestInfo(guest, false)] }) });
    return this.renegotiate();
  }

  /**
   * Sends the room's guests' tracks on the pc that carries the client's downstream: with two pcs
   * the server offers on the subscriber; with one it cannot offer (the SDK is the offerer there),
   * so it asks for a media section (`mediaSectionsRequirement`) and the SDK offers again.
   */
  private renegotiate(): Promise<void> {
    if (this.mode === 'dual') return this.enqueue(() => this.offerSubscriber(false));
    const answered = new Promise<void>((resolve) => {
      this.publisherAnswered.push(resolve);
      setTimeout(resolve, 5_000).unref();
    });
    this.send({ case: 'mediaSectionsRequirement', value: new MediaSectionsRequirement({ numAudios: 1, numVideos: 0 }) });
    return answered;
  }

  /** Asks the SDK to drop this session's pcs and join again (LeaveRequest RECONNECT). */
  requestReconnect(): void {
    this.send({
      case: 'leave',
      value: new LeaveRequest({ canReconnect: true, reason: DisconnectReason.STATE_MISMATCH, action: LeaveRequest_Action.RECONNECT }),
    });
  }

  /** Ends the session from the server (room deleted): the SDK disconnects. */
  end(): void {
    this.send({
      case: 'leave',
      value: new LeaveRequest({ canReconnect: false, reason: DisconnectReason.ROOM_DELETED, action: LeaveRequest_Action.DISCONNECT }),
    });
    this.close();
  }

  /** Drops the socket without a close frame: the SDK resumes on a new one. */
  dropSignaling(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  close(): void {
    this.closed = true;
    this.answerWaiter?.();
    for (const resolve of this.publisherAnswered.splice(0)) resolve();
    this.publisher.close();
    this.subscriber?.close();
    this.socket?.close();
    this.socket = undefined;
  }

  /** Adds or removes the guests' tracks on `pc` so that they match the room's guests. */
  private syncGuestTracks(pc: RTCPeerConnection): void {
    const guests = this.room.guests();
    for (const [guest, sender] of this.sending) {
      if (guests.includes(guest)) continue;
      pc.removeTrack(sender);
      this.sending.delete(guest);
    }
    for (const guest of guests) {
      if (!this.sending.has(guest)) this.sending.set(guest, pc.addTrack(guest.tone.track, guest.tone.stream));
    }
  }

  private midToTrackId(pc: RTCPeerConnection): Record<string, string> {
    const map: Record<string, string> = {};
    for (const transceiver of pc.getTransceivers()) {
      const guest = [...this.sending].find(([, sender]) => sender === transceiver.sender)?.[0];
      if (guest && transceiver.mid !== null) map[transceiver.mid] = guest.trackSid;
    }
    return map;
  }

  private async answerPublisher(offer: SessionDescription): Promise<void> {
    if (this.closed) return;
    const pc = this.publisher.pc;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await this.flushCandidates(this.publisher);
    // One pc: the guests' tracks go in the SDK's receive-only sections of its own offer.
    if (this.mode === 'single') this.syncGuestTracks(pc);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    const midToTrackId = this.mode === 'single' ? this.midToTrackId(pc) : {};
    this.send({
      case: 'answer',
      value: new SessionDescription({ type: 'answer', sdp: renameStreams(answer.sdp ?? '', this.sending.keys()), id: offer.id, midToTrackId }),
    });
    // A guest track with no section in the SDK's offer (an offer without receive-only sections,
    // as livekit-client 2.17 makes): ask for sections; the SDK offers again with them.
    const unplaced =
      this.mode === 'single'
        ? [...this.sending.values()].filter((sender) => !pc.getTransceivers().some((t) => t.sender === sender && t.mid !== null))
        : [];
    if (unplaced.length > 0) {
      this.send({ case: 'mediaSectionsRequirement', value: new MediaSectionsRequirement({ numAudios: unplaced.length, numVideos: 0 }) });
      return;
    }
    for (const resolve of this.publisherAnswered.splice(0)) resolve();
  }

  private async offerSubscriber(iceRestart: boolean): Promise<void> {
    const subscriber = this.subscriber;
    if (this.closed || !subscriber) return;
    const pc = subscriber.pc;
    // LiveKit's subscriber always carries the server's data channels, so there is something to offer.
    if (this.serverOfferId === 0) pc.createDataChannel('_reliable', { ordered: true });
    this.syncGuestTracks(pc);
    const offer = await pc.createOffer(iceRestart ? { iceRestart: true } : {});
    await pc.setLocalDescription(offer);
    const answered = new Promise<void>((resolve) => {
      this.answerWaiter = resolve;
      setTimeout(resolve, 5_000).unref();
    });
    this.send({
      case: 'offer',
      value: new SessionDescription({
        type: 'offer',
        sdp: renameStreams(offer.sdp ?? '', this.sending.keys()),
        id: ++this.serverOfferId,
        midToTrackId: this.midToTrackId(pc),
      }),
    });
    // The next offer waits for this one's answer.
    await answered;
  }

  private async acceptSubscriberAnswer(answer: SessionDescription): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber || this.closed) return;
    try {
      await subscriber.acceptAnswer(answer.sdp);
      await this.flushCandidates(subscriber);
    } finally {
      this.answerWaiter?.();
      this.answerWaiter = undefined;
    }
  }

  private async addCandidate(peer: ServerPeer, candidate: Candidate): Promise<void> {
    if (!candidate.candidate) return;
    if (!peer.pc.remoteDescription) {
      this.pendingCandidates.get(peer)?.push(candidate);
      return;
    }
    await peer.pc.addIceCandidate(candidate).catch(() => undefined);
  }

  private async flushCandidates(peer: ServerPeer): Promise<void> {
    const pending = this.pendingCandidates.get(peer) ?? [];
    this.pendingCandidates.set(peer, []);
    for (const candidate of pending) await peer.pc.addIceCandidate(candidate).catch(() => undefined);
  }
}
