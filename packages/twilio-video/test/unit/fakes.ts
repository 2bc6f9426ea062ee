// Stand-ins for twilio-video's objects, shaped like the real ones where the shim reads them:
// EventEmitters with the same events and arguments, Maps of publications, tracks with kind/name.
import { EventEmitter } from 'node:events';
import type { TwilioStatsReport } from '../../src/index.ts';

export class FakeTrack extends EventEmitter {
  isEnabled = true;
  readonly mediaStreamTrack: { id: string; getSettings(): Record<string, unknown> };
  constructor(
    readonly kind: 'audio' | 'video' | 'data',
    readonly name: string,
    settings: Record<string, unknown> = {},
  ) {
    super();
    this.mediaStreamTrack = { id: `mst-${name}`, getSettings: () => settings };
  }
}

export class FakePublication extends EventEmitter {
  constructor(
    readonly track: FakeTrack | null,
    readonly trackSid: string,
    readonly kind: string = track?.kind ?? 'audio',
    readonly trackName: string = track?.name ?? trackSid,
  ) {
    super();
  }
}

export class FakeLocalParticipant extends EventEmitter {
  readonly tracks: Map<string, FakePublication> = new Map();
  readonly unpublished: unknown[] = [];
  publish(track: FakeTrack, sid: string): FakePublication {
    const publication = new FakePublication(track, sid);
    this.tracks.set(sid, publication);
    this.emit('trackPublished', publication);
    return publication;
  }
  /** Like Twilio: disabling a local track is re-emitted by the participant. */
  setEnabled(track: FakeTrack, enabled: boolean): void {
    track.isEnabled = enabled;
    this.emit(enabled ? 'trackEnabled' : 'trackDisabled', track);
  }
  unpublishTrack(track: FakeTrack): FakePublication | null {
    this.unpublished.push(track);
    for (const [sid, publication] of this.tracks) {
      if (publication.track === track) {
        this.tracks.delete(sid);
        return publication;
      }
    }
    return null;
  }
}

export class FakeRemoteParticipant extends EventEmitter {
  readonly tracks: Map<string, FakePublication> = new Map();
  constructor(readonly identity: string) {
    super();
  }
}

export class FakeRoom extends EventEmitter {
  state = 'connected';
  readonly localParticipant: FakeLocalParticipant = new FakeLocalParticipant();
  readonly participants: Map<string, FakeRemoteParticipant> = new Map();
  stats: TwilioStatsReport[] = [];
  statsCalls = 0;
  constructor(readonly name: string = 'room-1') {
    super();
  }
  async getStats(): Promise<TwilioStatsReport[]> {
    this.statsCalls += 1;
    return this.stats;
  }
  /** A remote participant joins with one subscribed track, as Twilio emits it. */
  join(identity: string, track: FakeTrack, sid: string): FakeRemoteParticipant {
    const participant = new FakeRemoteParticipant(identity);
    this.participants.set(identity, participant);
    const publication = new FakePublication(track, sid);
    participant.tracks.set(sid, publication);
    this.emit('participantConnected', participant);
    this.emit('trackSubscribed', track, publication, participant);
    return participant;
  }
  disconnect(error?: unknown): void {
    this.state = 'disconnected';
    this.emit('disconnected', this, error);
  }
  /** Listeners of every event on the Room and its local participant: what the shim must leave at 0. */
  listenersLeft(): number {
    const count = (e: EventEmitter) => e.eventNames().reduce((n, name) => n + e.listenerCount(name), 0);
    return count(this) + count(this.localParticipant);
  }
}

/** A pc class like the browser's, with inbound stats the test sets and methods that can be made to fail. */
export class FakeRTCPeerConnection {
  static instances: FakeRTCPeerConnection[] = [];
  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  inbound: Array<{ trackIdentifier: string; ssrc: number }> = [];
  failNext: string | undefined;
  readonly args: unknown[];
  readonly target: EventTarget = new EventTarget();
  constructor(...args: unknown[]) {
    this.args = args;
    FakeRTCPeerConnection.instances.push(this);
  }
  #call(fn: string): Promise<void> {
    if (this.failNext === fn) {
      this.failNext = undefined;
      return Promise.reject(new DOMException(`${fn} failed`, 'OperationError'));
    }
    return Promise.resolve();
  }
  createOffer(): Promise<void> {
    return this.#call('createOffer');
  }
  createAnswer(): Promise<void> {
    return this.#call('createAnswer');
  }
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = description;
    return this.#call('setLocalDescription');
  }
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = description;
    return this.#call('setRemoteDescription');
  }
  addIceCandidate(_candidate?: unknown): Promise<void> {
    return this.#call('addIceCandidate');
  }
  close(): void {
    this.signalingState = 'closed';
  }
  async getStats(): Promise<Map<string, RTCStats>> {
    return new Map(this.inbound.map((s, i) => [`in-${i}`, { id: `in-${i}`, type: 'inbound-rtp', timestamp: 0, kind: 'audio', ...s } as RTCStats]));
  }
  addEventListener(type: string, listener: (event: Event) => void): void {
    this.target.addEventListener(type, listener);
  }
  removeEventListener(type: string, listener: (event: Event) => void): void {
    this.target.removeEventListener(type, listener);
  }
}

/**
 * Like Twilio's `ChromeRTCPeerConnection`: builds the page's pc with the global constructor inside
 * its own constructor, and holds a local offer back until the answer arrives.
 */
export class FakeTwilioPeerConnection {
  readonly _peerConnection: FakeRTCPeerConnection;
  #pendingLocalOffer: RTCSessionDescriptionInit | null = null;
  constructor(configuration: unknown, options: { chromeSpecificConstraints?: unknown } = {}) {
    const Native = (globalThis as unknown as { RTCPeerConnection?: new (...args: unknown[]) => FakeRTCPeerConnection }).RTCPeerConnection!;
    this._peerConnection = new Native(configuration, options.chromeSpecificConstraints);
  }
  get signalingState(): string {
    return this.#pendingLocalOffer ? 'have-local-offer' : this._peerConnection.signalingState;
  }
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (description.type === 'offer') {
      this.#pendingLocalOffer = description;
      return Promise.resolve();
    }
    return this._peerConnection.setLocalDescription(description);
  }
  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const offer = this.#pendingLocalOffer;
    this.#pendingLocalOffer = null;
    if (description.type === 'answer' && offer) await this._peerConnection.setLocalDescription(offer);
    return this._peerConnection.setRemoteDescription(description);
  }
  addIceCandidate(candidate: unknown): Promise<void> {
    return this._peerConnection.addIceCandidate(candidate);
  }
  close(): void {
    this._peerConnection.close();
  }
}

/** A default class that throws after building its pc. */
export class ThrowingTwilioPeerConnection extends FakeTwilioPeerConnection {
  constructor(...args: [unknown]) {
    super(...args);
    throw new Error('unsupported configuration');
  }
}
