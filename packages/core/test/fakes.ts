// Test doubles for core's unit tests. Core cannot use @shims/testkit (testkit builds on core);
// the real-browser proof of these helpers lives in testkit's conformance suite.
import type { CallstatsClient } from '../src/index.js';

export interface ClientCall {
  method: keyof CallstatsClient;
  args: unknown[];
}

export function recordingClient(): CallstatsClient & { calls: ClientCall[] } {
  const calls: ClientCall[] = [];
  const record =
    (method: keyof CallstatsClient) =>
    (...args: unknown[]) => {
      calls.push({ method, args });
      return { status: 'success' as const };
    };
  return {
    calls,
    addNewFabric: record('addNewFabric'),
    reportError: record('reportError'),
    sendFabricEvent: record('sendFabricEvent'),
    associateMstWithUserID: record('associateMstWithUserID'),
  };
}

/** A pc whose methods succeed unless a failure is armed for them, like a prototype-level patch. */
export class ScriptedPeerConnection extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: RTCSessionDescriptionInit | null = { type: 'offer', sdp: 'v=0 local' };
  remoteDescription: RTCSessionDescriptionInit | null = { type: 'answer', sdp: 'v=0 remote' };
  failures: Map<string, Error> = new Map();
  closed: number = 0;

  async getStats(): Promise<Map<string, RTCStats>> {
    return new Map();
  }
  #settle(name: string, value: unknown): Promise<unknown> {
    const failure = this.failures.get(name);
    this.failures.delete(name);
    return failure ? Promise.reject(failure) : Promise.resolve(value);
  }
  createOffer(...args: unknown[]): Promise<unknown> {
    return this.#legacy('createOffer', args, 0, { type: 'offer', sdp: 'v=0' });
  }
  createAnswer(...args: unknown[]): Promise<unknown> {
    return this.#legacy('createAnswer', args, 0, { type: 'answer', sdp: 'v=0' });
  }
  setLocalDescription(...args: unknown[]): Promise<unknown> {
    return this.#legacy('setLocalDescription', args, 1, undefined);
  }
  setRemoteDescription(...args: unknown[]): Promise<unknown> {
    return this.#legacy('setRemoteDescription', args, 1, undefined);
  }
  addIceCandidate(...args: unknown[]): Promise<unknown> {
    return this.#legacy('addIceCandidate', args, 1, undefined);
  }
  close(): void {
    this.closed += 1;
    this.signalingState = 'closed';
  }
  // Legacy callback form, as browsers still implement it: callbacks at `successIndex` and the next.
  #legacy(name: string, args: unknown[], successIndex: number, value: unknown): Promise<unknown> {
    const onSuccess = args[successIndex];
    const onFailure = args[successIndex + 1];
    const result = this.#settle(name, value);
    if (typeof onSuccess !== 'function') return result;
    return result.then(
      (v) => void (onSuccess as (v: unknown) => void)(v),
      (e) => void (onFailure as (e: unknown) => void)(e),
    );
  }
}
