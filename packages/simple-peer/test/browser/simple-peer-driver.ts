// A call between two simple-peer peers in one page, with the shim attached when a client is
// given: the conformance driver, and the building block of the vendor-specific cases.
import type { CallstatsClient, FabricUsage } from '@shims/core';
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import SimplePeer, { type Instance, type Options } from 'simple-peer/simplepeer.min.js';
import { monitorSimplePeer, type SimplePeerMonitor } from '../../src/index.ts';

/** How the shim is attached: to simple-peer's options (the wrtc hook) or to an existing peer. */
export type Attach = 'options' | 'instance';

export interface PairOptions {
  caller: Attach;
  callee: Attach;
  /** The caller sends fake-microphone audio; without it the call is data only. */
  media: boolean;
  /** The callee's fabric usage; default: what the shim detects (it has no local stream). */
  calleeUsage?: FabricUsage;
}

const config = { iceServers: [] };

/** Creates one peer, through the shim when a client is given. */
export function createPeer(
  client: CallstatsClient | null,
  attach: Attach,
  peerOptions: Options,
  shim: { conferenceID: string; remoteUserID: string; fabricUsage?: FabricUsage },
): { peer: Instance; handle: SimplePeerMonitor<Instance> | null } {
  if (!client) return { peer: new SimplePeer(peerOptions), handle: null };
  if (attach === 'options') {
    const handle = monitorSimplePeer(client, peerOptions, { ...shim, SimplePeer });
    return { peer: handle.peer, handle };
  }
  const peer = new SimplePeer(peerOptions);
  return { peer, handle: monitorSimplePeer(client, peer, shim) };
}

async function audioFlowing(pc: RTCPeerConnection, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (pc.connectionState === 'closed') return false;
    for (const stats of (await pc.getStats()).values()) {
      if (stats.type === 'inbound-rtp' && stats.kind === 'audio' && stats.packetsReceived > 0) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** The pc simple-peer built, read at once: it nulls `_pc` at destroy. */
export const pcOf = (peer: Instance): RTCPeerConnection => (peer as unknown as { _pc: RTCPeerConnection })._pc;

export interface PairCall extends DriverCall {
  readonly caller: Instance;
  readonly callee: Instance;
  readonly pcs: { caller: RTCPeerConnection; callee: RTCPeerConnection };
  readonly handles: Array<SimplePeerMonitor<Instance>>;
  /** Resolves when both peers emitted `close`. */
  readonly closed: Promise<void>;
}

export async function startPair(client: CallstatsClient | null, conferenceID: string, pair: PairOptions): Promise<PairCall> {
  const stream = pair.media ? await navigator.mediaDevices.getUserMedia({ audio: true }) : undefined;
  const callerShim = { conferenceID, remoteUserID: 'callee' };
  const calleeShim = { conferenceID, remoteUserID: 'caller', ...(pair.calleeUsage ? { fabricUsage: pair.calleeUsage } : {}) };
  const a = createPeer(client, pair.caller, { initiator: true, config, trickle: true, ...(stream ? { stream } : {}) }, callerShim);
  const b = createPeer(client, pair.callee, { config, trickle: true }, calleeShim);
  const { peer: caller } = a;
  const { peer: callee } = b;
  const pcs = { caller: pcOf(caller), callee: pcOf(callee) };
  const handles = [a.handle, b.handle].filter((h) => h !== null);
  let callerHandle = a.handle;

  const errors: Array<Error & { code?: string }> = [];
  let fail: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (fail = reject));
  failure.catch(() => {});
  const closes = [caller, callee].map(
    (peer) =>
      new Promise<void>((resolve) => {
        peer.on('error', (error) => {
          errors.push(error);
          fail(error);
        });
        peer.on('close', () => {
          fail(new Error('a peer closed before the call was up'));
          resolve();
        });
      }),
  );
  caller.on('signal', (data) => callee.destroyed || callee.signal(data));
  callee.on('signal', (data) => caller.destroyed || caller.signal(data));

  let connected = false;
  let audioReceived = false;
  let dataReceived = false;
  const connect = (peer: Instance) => new Promise<void>((resolve) => peer.on('connect', resolve));
  const flow = (async () => {
    const received = new Promise<void>((resolve) => callee.on('data', () => resolve()));
    await Promise.all([connect(caller), connect(callee)]);
    connected = true;
    if (pair.media) {
      audioReceived = await audioFlowing(pcs.callee);
      if (!audioReceived) throw new Error('no audio arrived');
    } else {
      caller.send('ping');
      await received;
      dataReceived = true;
    }
  })();

  return {
    caller,
    callee,
    pcs,
    handles,
    closed: Promise.all(closes).then(() => {}),
    established: Promise.race([flow, failure]),
    // simple-peer destroys a peer on any error (a failed addIceCandidate too), so the app's flow
    // ends with it.
    finished: Promise.race([flow, failure]),
    setMuted(kind, muted) {
      for (const t of stream?.getTracks() ?? []) if (t.kind === kind) t.enabled = !muted;
      callerHandle?.setMuted(kind, muted);
    },
    async hangUp() {
      stream?.getTracks().forEach((t) => t.stop());
      caller.destroy();
      callee.destroy();
      await Promise.race([Promise.all(closes), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    },
    disposeShim: () => handles.forEach((h) => h.dispose()),
    // A call already up: both peers are monitored as existing instances (their `_pc`).
    attachShim(lateClient) {
      callerHandle = monitorSimplePeer(lateClient, caller, callerShim);
      handles.push(callerHandle, monitorSimplePeer(lateClient, callee, calleeShim));
    },
    appOutcome: () => ({ connected, audioReceived, dataReceived, errorCodes: errors.map((e) => e.code ?? e.name).sort() }),
    appErrors: () => errors,
  };
}

/** The conformance driver: the caller through the wrtc hook, the callee as an existing instance. */
export function simplePeerDriver(pair: PairOptions): ConformanceDriver {
  return {
    name: `simple-peer@9.11.1 (caller: ${pair.caller}, callee: ${pair.callee}${pair.media ? ', audio' : ', data only'})`,
    startCall: ({ client, conferenceID }) => startPair(client, conferenceID, pair),
  };
}
