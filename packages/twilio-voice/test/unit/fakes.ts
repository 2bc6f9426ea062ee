// Small stand-ins for the shim's unit tests: a Device and Calls with the SDK's public shape (on the
// `events` EventEmitter, as the SDK's), and a pc class whose methods can be made to fail. The real
// SDK in a real browser is the browser tests' job.
import { EventEmitter } from 'node:events';

export class FakePc {
  signalingState = 'stable';
  fail: Set<string> = new Set();
  readonly configuration: unknown;
  constructor(configuration?: unknown) {
    this.configuration = configuration;
  }
  async getStats(): Promise<Map<string, unknown>> {
    return new Map();
  }
  addEventListener(): void {}
  removeEventListener(): void {}
  async setRemoteDescription(): Promise<void> {
    if (this.fail.has('setRemoteDescription')) throw new DOMException('bad answer', 'OperationError');
  }
  async createOffer(): Promise<{ type: string; sdp: string }> {
    return { type: 'offer', sdp: 'v=0' };
  }
  close(): void {
    this.signalingState = 'closed';
  }
}

export class FakeCall extends EventEmitter {
  state = 'pending';
  muted = false;
  readonly direction: 'INCOMING' | 'OUTGOING';
  readonly parameters: Record<string, string>;
  readonly customParameters: Map<string, string>;
  constructor(direction: 'INCOMING' | 'OUTGOING', parameters: Record<string, string> = {}, params: Record<string, string> = {}) {
    super();
    this.direction = direction;
    this.parameters = parameters;
    this.customParameters = new Map(Object.entries(params));
  }
  status(): string {
    return this.state;
  }
  isMuted(): boolean {
    return this.muted;
  }
}

/** The Device's public surface the shim uses, and `_options` where it keeps the app's pc class. */
export class FakeDevice extends EventEmitter {
  state = 'unregistered';
  calls: FakeCall[] = [];
  _options: { RTCPeerConnection?: unknown } = {};
  _activeCall: FakeCall | null = null;
  updated: object[] = [];
  updateOptions(options: { RTCPeerConnection?: unknown } = {}): void {
    if (this.state === 'destroyed') throw new Error('InvalidStateError');
    this.updated.push(options);
    this._options = { ...this._options, ...options };
  }
  /** As the SDK: the call is made, accepted (`connecting`), then its pc is built after getUserMedia. */
  async connect(options: { params?: Record<string, string> } = {}): Promise<FakeCall> {
    const call = new FakeCall('OUTGOING', {}, options.params);
    this._activeCall = call;
    call.state = 'connecting';
    return call;
  }
  /** What the SDK's RTCPC does with the option, for the call being accepted. */
  buildPc(): FakePc {
    const Class = (this._options.RTCPeerConnection ?? FakePc) as new (configuration?: unknown) => FakePc;
    return new Class({ iceServers: [] });
  }
  destroy(): void {
    this.state = 'destroyed';
    this.emit('destroyed');
    this.removeAllListeners();
  }
}
