// Stand-ins for livekit-client's objects, shaped like the real ones where the shim reads them:
// the Room, participants and engine are EventEmitters with livekit-client's event names and
// arguments; a PCTransport holds its pc in `_pc`, which its close() sets to null.
import { EventEmitter } from 'node:events';

export class FakePc {
  signalingState = 'stable';
  connectionState = 'new';
  iceConnectionState = 'new';
  iceGatheringState = 'new';
  localDescription = null;
  remoteDescription = null;
  readonly receivers: object[] = [];
  failNext: Error | undefined;
  private readonly listeners = new Map<string, Set<unknown>>();
  createOffer(): Promise<object> {
    const error = this.failNext;
    this.failNext = undefined;
    return error ? Promise.reject(error) : Promise.resolve({ type: 'offer', sdp: 'v=0\r\n' });
  }
  createAnswer(): Promise<object> {
    return Promise.resolve({ type: 'answer', sdp: 'v=0\r\n' });
  }
  setLocalDescription(): Promise<void> {
    return Promise.resolve();
  }
  setRemoteDescription(): Promise<void> {
    return Promise.resolve();
  }
  addIceCandidate(): Promise<void> {
    return Promise.resolve();
  }
  getStats(): Promise<Map<string, unknown>> {
    return Promise.resolve(new Map());
  }
  getReceivers(): object[] {
    return this.receivers;
  }
  close(): void {
    this.signalingState = 'closed';
    this.connectionState = 'closed';
  }
  addEventListener(type: string, listener: unknown): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: unknown): void {
    this.listeners.get(type)?.delete(listener);
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

/** A PCTransport: builds its pc in the constructor, and again if `pc` is read after close. */
export class FakeTransport {
  _pc: FakePc | null = new FakePc();
  get pc(): FakePc {
    this._pc ??= new FakePc();
    return this._pc;
  }
  close(): void {
    this._pc?.close();
    this._pc = null;
  }
}

export class FakeEngine extends EventEmitter {
  pcManager: { publisher: FakeTransport; subscriber?: FakeTransport } | undefined;
  /** RTCEngine.configure(): new transports, then `transportsCreated`. */
  configure(twoPcs = false): { publisher: FakeTransport; subscriber?: FakeTransport } {
    this.pcManager = { publisher: new FakeTransport(), ...(twoPcs ? { subscriber: new FakeTransport() } : {}) };
    this.emit('transportsCreated', this.pcManager.publisher, this.pcManager.subscriber);
    return this.pcManager;
  }
  /** cleanupPeerConnections(): closes the transports. */
  cleanup(): void {
    this.pcManager?.publisher.close();
    this.pcManager?.subscriber?.close();
    this.pcManager = undefined;
  }
  /** RTCEngine.close(): `closing`, listeners removed, transports closed. */
  close(): void {
    this.emit('closing');
    this.removeAllListeners();
    this.cleanup();
  }
}

export class FakePublication {
  isMuted = false;
  constructor(
    readonly trackSid: string,
    readonly kind: 'audio' | 'video',
    readonly source: string,
    readonly track: FakeTrack | undefined = undefined,
  ) {}
}

export class FakeTrack {
  readonly mediaStreamTrack: MediaStreamTrack = { id: `mst-${Math.random()}` } as unknown as MediaStreamTrack;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly source: string,
    readonly receiver: FakeReceiver | undefined = undefined,
  ) {}
}

export class FakeReceiver {
  ssrc: number | undefined;
  getStats(): Promise<Map<string, unknown>> {
    const stats = new Map<string, unknown>();
    if (this.ssrc !== undefined) stats.set('in', { type: 'inbound-rtp', ssrc: this.ssrc });
    return Promise.resolve(stats);
  }
}

export class FakeParticipant extends EventEmitter {
  readonly trackPublications: Map<string, FakePublication> = new Map();
  constructor(readonly identity: string) {
    super();
  }
}

export class FakeRoom extends EventEmitter {
  name = 'room-a';
  engine: FakeEngine | undefined = new FakeEngine();
  readonly localParticipant: FakeParticipant = new FakeParticipant('alice');
  readonly remoteParticipants: Map<string, FakeParticipant> = new Map();

  /** LocalParticipant publishing a track: `localTrackPublished`. */
  publishLocal(publication: FakePublication): void {
    this.localParticipant.trackPublications.set(publication.trackSid, publication);
    this.emit('localTrackPublished', publication, this.localParticipant);
  }
  unpublishLocal(publication: FakePublication): void {
    this.localParticipant.trackPublications.delete(publication.trackSid);
    this.emit('localTrackUnpublished', publication, this.localParticipant);
  }
  muteLocal(publication: FakePublication, muted: boolean): void {
    publication.isMuted = muted;
    this.emit(muted ? 'trackMuted' : 'trackUnmuted', publication, this.localParticipant);
  }
  /** A remote participant's track subscribed on `pc`: `trackSubscribed(track, publication, participant)`. */
  subscribe(identity: string, pc: FakePc, source = 'microphone', ssrc: number | null = 1234): { track: FakeTrack; publication: FakePublication } {
    const participant = this.remoteParticipants.get(identity) ?? new FakeParticipant(identity);
    this.remoteParticipants.set(identity, participant);
    const receiver = new FakeReceiver();
    receiver.ssrc = ssrc ?? undefined;
    pc.receivers.push(receiver);
    const kind = source === 'microphone' ? 'audio' : 'video';
    const track = new FakeTrack(kind, source, receiver);
    const publication = new FakePublication(`TR_${identity}_${source}`, kind, source, track);
    participant.trackPublications.set(publication.trackSid, publication);
    this.emit('trackSubscribed', track, publication, participant);
    return { track, publication };
  }
}
