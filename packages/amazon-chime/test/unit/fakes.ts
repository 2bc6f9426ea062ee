// Stand-ins for amazon-chime-sdk-js's objects, shaped like the real ones where the shim reads them:
// a session with a public `audioVideo` facade (observers, the realtime mute callbacks, the remote
// tiles) and its two private controllers, each holding `meetingSessionContext` with `peer`.
import type { ChimeAudioVideo, ChimeMeetingSession, ChimeObserver, ChimeVideoTileState } from '../../src/index.ts';

export class FakePc {
  signalingState = 'stable';
  connectionState = 'new';
  localDescription = null;
  remoteDescription = null;
  readonly receivers: Array<{ track: { kind: string }; getStats(): Promise<Map<string, unknown>> }> = [];
  failNext: Error | undefined;
  private readonly listeners = new Map<string, Set<unknown>>();
  createOffer(): Promise<object> {
    const error = this.failNext;
    this.failNext = undefined;
    return error ? Promise.reject(error) : Promise.resolve({ type: 'offer', sdp: 'v=0\r\n' });
  }
  setLocalDescription(): Promise<void> {
    return Promise.resolve();
  }
  setRemoteDescription(): Promise<void> {
    return Promise.resolve();
  }
  getStats(): Promise<Map<string, unknown>> {
    return Promise.resolve(new Map());
  }
  getReceivers(): object[] {
    return this.receivers;
  }
  /** A received track whose receiver's stats show `ssrc` (an `inbound-rtp` entry). */
  receive(track: { kind: string }, ssrc: number): void {
    this.receivers.push({ track, getStats: () => Promise.resolve(new Map([['in', { type: 'inbound-rtp', ssrc }]])) });
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
}

/** `AudioVideoControllerState`: `peer` is an own data field, null until CreatePeerConnectionTask. */
export class FakeContext {
  peer: FakePc | null = null;
}

/** A controller: a new context at its first start(), the pc stored in it (as CreatePeerConnectionTask does). */
export class FakeController {
  meetingSessionContext: FakeContext = new FakeContext();
  /** start(): at the first one a new context, then a new pc in it. */
  start(): FakePc {
    if (!this.started) this.meetingSessionContext = new FakeContext();
    this.started = true;
    const pc = new FakePc();
    this.meetingSessionContext.peer = pc;
    return pc;
  }
  /** A reconnection: the pc closed and dropped (resetConnectionSpecificState), a new one built. */
  reconnect(): FakePc {
    this.meetingSessionContext.peer?.close();
    this.meetingSessionContext.peer = null;
    return this.start();
  }
  private started = false;
}

export function tile(state: Partial<ChimeVideoTileState>): ChimeVideoTileState {
  return { tileId: 1, localTile: false, isContent: false, boundAttendeeId: null, boundExternalUserId: null, boundVideoStream: null, ...state };
}

/** A MediaStream stand-in with one video track. */
export function videoStream(): { stream: MediaStream; track: { kind: string } } {
  const track = { kind: 'video' };
  return { stream: { getVideoTracks: () => [track] } as unknown as MediaStream, track };
}

export class FakeSession {
  readonly audioVideoController: FakeController = new FakeController();
  readonly contentShareController: { contentAudioVideo: FakeController } = { contentAudioVideo: new FakeController() };
  /** The observers of the attendee's controller, and of the content share controller. */
  readonly observerQueues: [Set<ChimeObserver>, Set<ChimeObserver>] = [new Set(), new Set()];
  readonly muteCallbacks: Set<(muted: boolean) => void> = new Set();
  muted = false;
  remoteTiles: ChimeVideoTileState[] = [];
  readonly audioVideo: ChimeAudioVideo = {
    addObserver: (o) => void this.observerQueues[0].add(o),
    removeObserver: (o) => void this.observerQueues[0].delete(o),
    addContentShareObserver: (o) => void this.observerQueues[1].add(o),
    removeContentShareObserver: (o) => void this.observerQueues[1].delete(o),
    realtimeSubscribeToMuteAndUnmuteLocalAudio: (cb) => void this.muteCallbacks.add(cb),
    realtimeUnsubscribeToMuteAndUnmuteLocalAudio: (cb) => void this.muteCallbacks.delete(cb),
    realtimeIsLocalAudioMuted: () => this.muted,
    getAllRemoteVideoTiles: () => this.remoteTiles.map((state) => ({ state: () => state })),
  };
  setMuted(muted: boolean): void {
    this.muted = muted;
    for (const cb of this.muteCallbacks) cb(muted);
  }
  /** An AudioVideoObserver / ContentShareObserver callback, to every observer of the controllers. */
  notify<K extends keyof ChimeObserver>(name: K, ...args: Parameters<NonNullable<ChimeObserver[K]>>): void {
    for (const o of [...this.observerQueues[0], ...this.observerQueues[1]]) {
      (o[name] as ((...a: unknown[]) => void) | undefined)?.(...args);
    }
  }
  observers(): number {
    return this.observerQueues[0].size + this.observerQueues[1].size;
  }
}

export const asSession = (session: FakeSession): ChimeMeetingSession => session;
