// A call between two plain RTCPeerConnections in one page, the app's own code, monitored one of
// two ways: each pc handed to `monitorPeerConnection` (the app owns its pcs), or every pc the
// page builds, through `monitorPeerConnections` (the global tap, installed before the pcs exist).
import type { CallstatsClient } from '@shims/core';
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import { monitorPeerConnection, monitorPeerConnections, type PeerConnectionMonitor, type PeerConnectionsMonitor } from '../../src/index.ts';

export type Entry = 'pc' | 'global';

const config: RTCConfiguration = { iceServers: [] };

export async function audioFlowing(pc: RTCPeerConnection, timeoutMs = 10_000): Promise<boolean> {
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

/** The shim as the app uses it, either way; `null` in the run without it. */
interface Shim {
  mute(kind: 'audio' | 'video', muted: boolean): void;
  dispose(): void;
}

function globalShim(client: CallstatsClient, conferenceID: string, roles: WeakMap<object, string>, pcs?: RTCPeerConnection[]): Shim {
  const handle: PeerConnectionsMonitor = monitorPeerConnections(client, { conferenceID, remoteUserID: (pc) => roles.get(pc) ?? 'unknown' });
  // Late attachment: the pcs were built before the tap; the app hands them over.
  for (const pc of pcs ?? []) handle.addPeerConnection(pc);
  let caller: RTCPeerConnection | undefined;
  return {
    mute(kind, muted) {
      caller ??= handle.fabrics().find((f) => f.remoteUserID === 'callee')?.pc as RTCPeerConnection | undefined;
      const fabric = caller && handle.fabricFor(caller);
      fabric?.send(kind === 'audio' ? (muted ? 'audioMute' : 'audioUnmute') : muted ? 'videoPause' : 'videoResume');
    },
    dispose: () => handle.dispose(),
  };
}

function perPcShim(client: CallstatsClient, conferenceID: string, caller: RTCPeerConnection, callee: RTCPeerConnection): Shim {
  const handles: PeerConnectionMonitor[] = [
    // A pc registered before it negotiates cannot tell its usage from SDP: the app says it.
    monitorPeerConnection(client, caller, { conferenceID, remoteUserID: 'callee', fabricUsage: 'audio' }),
    monitorPeerConnection(client, callee, { conferenceID, remoteUserID: 'caller', fabricUsage: 'audio' }),
  ];
  return { mute: (kind, muted) => handles[0]!.setMuted(kind, muted), dispose: () => handles.forEach((h) => h.dispose()) };
}

/**
 * `explicit`: `await createOffer()`, then `setLocalDescription(offer)`, and the same for the
 * answer. `implicit`: `setLocalDescription()` with no argument, which makes the offer or answer.
 */
export type Negotiation = 'explicit' | 'implicit';

function startPair(entry: Entry, negotiation: Negotiation, client: CallstatsClient | null, conferenceID: string): DriverCall {
  const roles = new WeakMap<object, string>();
  // The global tap is there before the app builds its pcs; the per-pc shim right after.
  let shim: Shim | null = client && entry === 'global' ? globalShim(client, conferenceID, roles) : null;
  const caller = new RTCPeerConnection(config);
  const callee = new RTCPeerConnection(config);
  roles.set(caller, 'callee').set(callee, 'caller');
  if (client && entry === 'pc') shim = perPcShim(client, conferenceID, caller, callee);

  const errors: unknown[] = [];
  let failed: (error: unknown) => void = () => {};
  const appFailure = new Promise<never>((_, reject) => (failed = reject));
  appFailure.catch(() => {});
  const fail = (error: unknown): void => {
    errors.push(error);
    failed(error);
  };
  let audioReceived = false;
  let stream: MediaStream | undefined;
  caller.addEventListener('icecandidate', (e) => void (e.candidate && callee.addIceCandidate(e.candidate).catch(fail)));
  callee.addEventListener('icecandidate', (e) => void (e.candidate && caller.addIceCandidate(e.candidate).catch(fail)));

  const flow = (async () => {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) caller.addTrack(track, stream);
    if (negotiation === 'explicit') {
      const offer = await caller.createOffer();
      await caller.setLocalDescription(offer);
      await callee.setRemoteDescription(offer);
      const answer = await callee.createAnswer();
      await callee.setLocalDescription(answer);
      await caller.setRemoteDescription(answer);
    } else {
      // The modern shape (perfect negotiation): setLocalDescription() makes the offer or answer.
      await caller.setLocalDescription();
      await callee.setRemoteDescription(caller.localDescription!);
      await callee.setLocalDescription();
      await caller.setRemoteDescription(callee.localDescription!);
    }
    audioReceived = await audioFlowing(callee);
    if (!audioReceived) throw new Error('no audio arrived');
  })();
  flow.catch(fail);

  return {
    established: Promise.race([flow, appFailure]),
    finished: flow,
    setMuted(kind, muted) {
      for (const sender of caller.getSenders()) if (sender.track?.kind === kind) sender.track.enabled = !muted;
      shim?.mute(kind, muted);
    },
    hangUp() {
      stream?.getTracks().forEach((t) => t.stop());
      caller.close();
      callee.close();
      // An app leaving the page: the global tap goes with it, so the next case starts clean.
      if (entry === 'global') shim?.dispose();
    },
    disposeShim: () => shim?.dispose(),
    attachShim(lateClient) {
      shim = entry === 'global' ? globalShim(lateClient, conferenceID, roles, [caller, callee]) : perPcShim(lateClient, conferenceID, caller, callee);
    },
    appOutcome: () => ({ audioReceived, errors: errors.length }),
    appErrors: () => errors,
  };
}

export const pairDriver = (entry: Entry, negotiation: Negotiation): ConformanceDriver => ({
  name: `a plain pc pair (${negotiation} offer and answer) ${entry === 'global' ? 'under monitorPeerConnections' : 'each given to monitorPeerConnection'}`,
  startCall: ({ client, conferenceID }) => startPair(entry, negotiation, client, conferenceID),
});
