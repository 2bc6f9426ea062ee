// A conformance driver for a plain RTCPeerConnection pair in one page, with the "shim" passed in:
// the proof that the suite and @shims/core's helpers work on real pcs before any vendor SDK is
// involved, and (with deliberately broken shims) that the suite fails when a shim is wrong.
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import { createMonitor, type CallstatsClient, type FabricHandle, type FabricLifecycleEvent } from '@shims/core';

/** What a shim for a plain pc pair does: attach to both pcs, map mute, end, dispose. */
interface PlainPairShim {
  send(event: FabricLifecycleEvent): void;
  /** Called at hang-up, before the pcs close. */
  hangingUp?(): void;
  dispose(): void;
}

export type AttachPlainPairShim = (
  client: CallstatsClient,
  conferenceID: string,
  pcs: { caller: RTCPeerConnection; callee: RTCPeerConnection },
) => PlainPairShim;

/** The correct shim: what a vendor shim does at its simplest, with @shims/core. */
export const attachWithCore: AttachPlainPairShim = (client, conferenceID, { caller, callee }) => {
  const monitor = createMonitor({ client, conferenceID, source: 'plain-pc-test' });
  const fabrics: FabricHandle[] = [
    monitor.addFabric(caller, { remoteUserID: 'callee', fabricUsage: 'audio' }),
    monitor.addFabric(callee, { remoteUserID: 'caller', fabricUsage: 'audio' }),
  ];
  return { send: (event) => fabrics[0]?.send(event), dispose: () => monitor.dispose() };
};

async function audioFlowing(pc: RTCPeerConnection, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const report = await pc.getStats();
    for (const stats of report.values()) {
      if (stats.type === 'inbound-rtp' && stats.kind === 'audio' && stats.packetsReceived > 0) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

export const plainPairDriver = (attach: AttachPlainPairShim): ConformanceDriver => ({
  name: 'plain RTCPeerConnection pair',
  startCall({ client, conferenceID }): DriverCall {
    const caller = new RTCPeerConnection({ iceServers: [] });
    const callee = new RTCPeerConnection({ iceServers: [] });
    let shim = client ? attach(client, conferenceID, { caller, callee }) : null;
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
      const offer = await caller.createOffer();
      await caller.setLocalDescription(offer);
      await callee.setRemoteDescription(offer);
      const answer = await callee.createAnswer();
      await callee.setLocalDescription(answer);
      await caller.setRemoteDescription(answer);
      audioReceived = await audioFlowing(callee);
      if (!audioReceived) throw new Error('no audio arrived');
    })();
    flow.catch(fail);

    return {
      established: Promise.race([flow, appFailure]),
      finished: flow,
      setMuted(kind, muted) {
        for (const sender of caller.getSenders()) if (sender.track?.kind === kind) sender.track.enabled = !muted;
        const event = kind === 'audio' ? (muted ? 'audioMute' : 'audioUnmute') : muted ? 'videoPause' : 'videoResume';
        shim?.send(event);
      },
      hangUp() {
        shim?.hangingUp?.();
        stream?.getTracks().forEach((t) => t.stop());
        caller.close();
        callee.close();
      },
      disposeShim: () => shim?.dispose(),
      attachShim(lateClient) {
        shim = attach(lateClient, conferenceID, { caller, callee });
      },
      appOutcome: () => ({ audioReceived, errors: errors.length }),
      appErrors: () => errors,
    };
  },
});
