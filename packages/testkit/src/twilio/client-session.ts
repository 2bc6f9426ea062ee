import { ServerPeer, type IceState } from './server-peer.ts';
import { randomSid } from './sids.ts';
import type { RspMessage, TcmpConnection } from './tcmp.ts';
import type { ToneParticipant } from './tone-participant.ts';

const ANSWER_WAIT_MS = 5000;

/** What the server shares with each session: the room it is in. */
export interface RoomView {
  readonly sid: string;
  readonly name: string;
  /** Server-side participants currently in the room. */
  guests(): ToneParticipant[];
}

interface PeerConnectionState {
  id: string;
  description?: { type: string; sdp?: string; revision: number };
  ice?: IceState;
}

interface PublishedTrack {
  id: string;
  sid: string;
}

/**
 * One SDK client in a room: its session id, its server-side peers (one per `peer_connections[].id`,
 * a single one in a group room), the SIDs given to the tracks it publishes, and the guests'
 * tracks it is subscribed to. Messages from the client are handled one at a time, in order.
 */
export class ClientSession {
  readonly session = randomSid('SS');
  readonly participantSid = randomSid('PA');
  readonly peers = new Map<string, ServerPeer>();
  closed = false;
  private connection: TcmpConnection | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** Highest description revision seen or sent, per pc: our offers must go above it. */
  private readonly revisions = new Map<string, number>();
  private readonly published = new Map<string, PublishedTrack>();
  private publishedRevision = 0;
  private subscribedRevision = 0;
  /** Our sender of each guest's track, per pc id and guest identity. */
  private readonly guestSenders = new Map<string, RTCRtpSender>();
  /** Resolves when the SDK answers our pending offer (or the session ends). */
  private answered: (() => void) | undefined;
  private negotiation: Promise<void> = Promise.resolve();

  readonly identity: string;
  readonly room: RoomView;

  constructor(identity: string, room: RoomView, connection: TcmpConnection) {
    this.identity = identity;
    this.room = room;
    this.connection = connection;
  }

  /** A new socket for this session (the SDK reconnected with `sync`). */
  attach(connection: TcmpConnection): void {
    this.connection = connection;
  }

  detach(connection: TcmpConnection): void {
    if (this.connection === connection) this.connection = undefined;
  }

  private send(message: RspMessage): void {
    this.connection?.send({ version: 2, session: this.session, ...message });
  }

  /**
   * Runs `task` after every earlier message of this client was handled. If it fails (e.g. the
   * server-side pc rejects an SDP), the SDK gets an RSP `error`, which disconnects its Room
   * with that TwilioError instead of leaving it waiting.
   */
  enqueue(task: () => Promise<void> | void): Promise<void> {
    const run = this.queue.then(task).catch((error: unknown) => {
      this.send({ type: 'error', code: 53000, message: `Local Twilio server: ${String(error)}` });
    });
    this.queue = run;
    return run;
  }

  /** `connect`: answer the offer(s), give SIDs to the published tracks, say `connected`. */
  async connect(message: RspMessage): Promise<void> {
    this.updatePublished(message.participant);
    const peerConnections = await this.handlePeerConnections(message.peer_connections);
    this.send({
      ...this.roomState('connected'),
      peer_connections: peerConnections,
      // The SDK reconnects (sync) for this many seconds after losing the socket.
      options: { session_timeout: 30, signaling_region: 'local', media_region: 'local' },
    });
    // Guests already in the room: their tracks come with a renegotiation each.
    for (const guest of this.room.guests()) void this.addGuest(guest);
  }

  /** `sync` after a reconnect: the whole room state again, as `synced`. */
  sync(message: RspMessage): void {
    this.updatePublished(message.participant);
    this.send(this.roomState('synced'));
  }

  /** What `connected` and `synced` share; `synced` disconnects remote participants it omits. */
  private roomState(type: string): RspMessage {
    return {
      type,
      sid: this.room.sid,
      name: this.room.name,
      participant: { sid: this.participantSid, identity: this.identity, revision: 1, state: 'connected', tracks: [] },
      participants: this.room.guests().map((guest) => guest.state(true)),
      published: this.publishedState(),
      subscribed: this.subscribedState(),
    };
  }

  /** `update`: new participant state (tracks published or unpublished), descriptions, ICE. */
  async update(message: RspMessage): Promise<void> {
    const reply: RspMessage = { type: 'update' };
    if (this.updatePublished(message.participant)) reply.published = this.publishedState();
    const peerConnections = await this.handlePeerConnections(message.peer_connections);
    if (peerConnections.length > 0) reply.peer_connections = peerConnections;
    if (reply.published || reply.peer_connections) this.send(reply);
  }

  /** Server-side end of the room: the SDK disconnects with RoomCompletedError (53118). */
  endRoom(): void {
    this.send({ type: 'disconnected', status: 'completed' });
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.answered?.();
    for (const peer of this.peers.values()) peer.close();
    this.connection?.close();
  }

  /** Abruptly closes the socket, keeping the session so that the SDK's `sync` finds it. */
  dropSignaling(): void {
    this.connection?.drop();
    this.connection = undefined;
  }

  /** Sends a guest's track to this client: participant + subscription + our offer, in one update. */
  addGuest(guest: ToneParticipant): Promise<void> {
    return this.renegotiate((peer) => {
      // A new m-line per subscribed track, as Twilio's media server does (addTrack could reuse
      // the m-line of the client's own audio instead).
      const { sender } = peer.pc.addTransceiver(guest.track, { direction: 'sendonly', streams: [guest.stream] });
      this.guestSenders.set(`${peer.id}/${guest.identity}`, sender);
      return { participants: [guest.state(true)], subscribed: this.subscribedState() };
    });
  }

  removeGuest(guest: ToneParticipant): Promise<void> {
    return this.renegotiate((peer) => {
      const key = `${peer.id}/${guest.identity}`;
      const sender = this.guestSenders.get(key);
      this.guestSenders.delete(key);
      if (sender) peer.pc.removeTrack(sender);
      return { participants: [guest.state(false)], subscribed: this.subscribedState() };
    });
  }

  /**
   * Our own offer on the client's (first) pc, so that its pc calls setRemoteDescription +
   * createAnswer + setLocalDescription, as it does when Twilio's media server adds a track.
   * Resolves once the offer is sent. Offers go one at a time: the next waits for the SDK's
   * answer to the previous, or ANSWER_WAIT_MS if none comes (a test may make createAnswer fail).
   */
  private renegotiate(change: (peer: ServerPeer) => Record<string, unknown>): Promise<void> {
    let sent!: () => void;
    const offered = new Promise<void>((resolve) => (sent = resolve));
    this.negotiation = this.negotiation
      .then(async () => {
        const peer = this.peers.values().next().value;
        if (this.closed || !peer) return;
        const extra = change(peer);
        const sdp = await peer.offer();
        const revision = (this.revisions.get(peer.id) ?? 0) + 1;
        this.revisions.set(peer.id, revision);
        const answered = new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ANSWER_WAIT_MS);
          this.answered = () => (clearTimeout(timer), resolve());
        });
        this.send({ type: 'update', ...extra, peer_connections: [{ id: peer.id, description: { type: 'offer', sdp, revision } }] });
        sent();
        await answered;
      })
      .catch(() => undefined)
      .finally(sent);
    return offered;
  }

  private subscribedState(): object {
    const guests = this.room.guests().filter((guest) => this.guestSenders.has(`${this.peers.keys().next().value}/${guest.identity}`));
    return {
      revision: ++this.subscribedRevision,
      tracks: guests.map((guest) => ({ sid: guest.trackSid, id: guest.track.id })),
    };
  }

  private publishedState(): object {
    return {
      revision: ++this.publishedRevision,
      tracks: [...this.published.values()].map((track) => ({ id: track.id, sid: track.sid, state: 'ready' })),
    };
  }

  /** Gives a SID to each newly published track; forgets unpublished ones. True if anything changed. */
  private updatePublished(participant: unknown): boolean {
    const tracks = (participant as { tracks?: Array<{ id?: unknown }> } | undefined)?.tracks;
    if (!Array.isArray(tracks)) return false;
    const ids = new Set(tracks.map((track) => String(track.id)));
    let changed = false;
    for (const id of ids) {
      if (!this.published.has(id)) {
        this.published.set(id, { id, sid: randomSid('MT') });
        changed = true;
      }
    }
    for (const id of this.published.keys()) {
      if (!ids.has(id)) {
        this.published.delete(id);
        changed = true;
      }
    }
    return changed;
  }

  /** Applies the client's pc states; returns our answers to its offers. */
  private async handlePeerConnections(states: unknown): Promise<PeerConnectionState[]> {
    const replies: PeerConnectionState[] = [];
    for (const state of Array.isArray(states) ? (states as PeerConnectionState[]) : []) {
      const peer = this.peerFor(state.id);
      const description = state.description;
      if (description) this.revisions.set(state.id, Math.max(this.revisions.get(state.id) ?? 0, description.revision));
      if (description?.type === 'offer' && description.sdp && peer.pc.signalingState === 'have-local-offer') {
        // Glare: our offer wins, as on Twilio's server; the SDK rolls its offer back, answers ours
        // and offers again afterwards.
      } else if (description?.type === 'offer' && description.sdp) {
        const sdp = await peer.answer(description.sdp);
        replies.push({ id: state.id, description: { type: 'answer', sdp, revision: description.revision } });
      } else if (description?.type === 'answer' && description.sdp) {
        await peer.acceptAnswer(description.sdp);
        this.answered?.();
      } else if (description?.type === 'close') {
        peer.close();
      }
      if (state.ice) await peer.addRemoteIce(state.ice);
    }
    return replies;
  }

  private peerFor(id: string): ServerPeer {
    let peer = this.peers.get(id);
    if (!peer) {
      peer = new ServerPeer(id, (ice) => this.send({ type: 'update', peer_connections: [{ id, ice }] }));
      this.peers.set(id, peer);
    }
    return peer;
  }
}
