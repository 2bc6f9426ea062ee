// Stand-ins for the OpenAIRealtimeWebRTC transport and its pc, shaped like the real ones where the
// shim reads them (checked against the SDK in the browser tests): the transport emits
// `connection_change` with the status right after it built the pc, and `error` with
// `{ type: 'error', error }` after it closed the pc on a failed connect.
import { EventEmitter } from 'node:events';
import type { OpenAIRealtimeConnectionState } from '../../src/index.ts';

/** The pc methods the shim and core touch, with the states a test moves by hand. */
export class FakePeerConnection extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  iceConnectionState = 'new';
  connectionState = 'new';
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  /** The next call of this method rejects with this error. */
  failNext: { method: string; error: Error } | undefined;
  private result(method: string): Promise<void> {
    if (this.failNext?.method === method) {
      const { error } = this.failNext;
      this.failNext = undefined;
      return Promise.reject(error);
    }
    return Promise.resolve();
  }
  createOffer(): Promise<void> {
    return this.result('createOffer');
  }
  createAnswer(): Promise<void> {
    return this.result('createAnswer');
  }
  async setLocalDescription(): Promise<void> {
    await this.result('setLocalDescription');
    this.signalingState = 'have-local-offer';
  }
  async setRemoteDescription(): Promise<void> {
    await this.result('setRemoteDescription');
    this.signalingState = 'stable';
  }
  addIceCandidate(): Promise<void> {
    return this.result('addIceCandidate');
  }
  getStats(): Promise<Map<string, unknown>> {
    return Promise.resolve(new Map());
  }
  close(): void {
    this.signalingState = 'closed';
  }
}

/** The transport: `connect()` builds a pc and says `connecting`; `close()` closes it and says `disconnected`. */
export class FakeTransport extends EventEmitter {
  connectionState: OpenAIRealtimeConnectionState = { status: 'disconnected', peerConnection: undefined };
  currentModel = 'gpt-realtime-2.1';
  muted = false;
  readonly pcs: FakePeerConnection[] = [];

  /** What the SDK does synchronously in connect(): new pc, state, `connection_change`. */
  startConnect(): FakePeerConnection {
    const pc = new FakePeerConnection();
    this.pcs.push(pc);
    this.connectionState = { status: 'connecting', peerConnection: pc as unknown as RTCPeerConnection };
    this.emit('connection_change', 'connecting');
    return pc;
  }
  connected(): void {
    this.connectionState = { ...this.connectionState, status: 'connected' };
    this.emit('connection_change', 'connected');
  }
  mute(muted: boolean): void {
    this.muted = muted;
  }
  close(): void {
    const pc = this.connectionState.peerConnection;
    const notify = this.connectionState.status !== 'disconnected';
    this.connectionState = { status: 'disconnected', peerConnection: undefined };
    pc?.close();
    if (notify) this.emit('connection_change', 'disconnected');
  }
  /** The SDK's #cleanupFailedConnection: close(), then the error event. */
  failConnect(error: unknown): void {
    this.close();
    this.emit('error', { type: 'error', error });
  }
}

/** A RealtimeSession: the transport behind a getter, `mute` forwarded. */
export class FakeSession extends EventEmitter {
  constructor(readonly transport: FakeTransport) {
    super();
  }
  mute(muted: boolean): void {
    this.transport.mute(muted);
  }
}

export const fakeTransport = (): FakeTransport => new FakeTransport();

/** Lets queued microtasks (the shim's deferred fabricTerminated) run. */
export const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
