// A one-way audio call between two pcs of the page through the testkit's UDP relay, with core's
// receiver-report check on the sending pc: what an app monitoring a call through a middlebox sees.
import { checkReceiverReports, createMonitor, type ReceiverReportVerdict } from '@shims/core';
import { markPageReady, RecordingCallstats } from '@shims/testkit/page';

interface RelayPorts {
  host: string;
  portForA: number;
  portForB: number;
}

/** The candidate of one side, pointed at the relay's socket that stands for that side. */
function throughRelay(candidate: RTCIceCandidate, host: string, port: number): RTCIceCandidateInit {
  return {
    candidate: candidate.candidate.replace(/^(candidate:\S+ \d+ udp \d+ )\S+ \d+/i, `$1${host} ${port}`),
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
  };
}

async function inboundPackets(pc: RTCPeerConnection): Promise<number> {
  let packets = 0;
  (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') packets += s.packetsReceived ?? 0;
  });
  return packets;
}

async function relayedCall(relay: RelayPorts, afterMs: number): Promise<{ verdict: ReceiverReportVerdict; inboundPackets: number }> {
  const sender = new RTCPeerConnection({ iceServers: [] });
  const receiver = new RTCPeerConnection({ iceServers: [] });
  // Each side gives the other one UDP candidate, rewritten to the relay: every packet crosses it.
  const trickle = (from: RTCPeerConnection, to: RTCPeerConnection, port: number): void => {
    let given = false;
    from.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate || given || !/ udp /i.test(candidate.candidate)) return;
      given = true;
      void to.addIceCandidate(throughRelay(candidate, relay.host, port));
    });
  };
  trickle(sender, receiver, relay.portForA);
  trickle(receiver, sender, relay.portForB);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  for (const track of stream.getTracks()) sender.addTrack(track, stream);
  const monitor = createMonitor({ client: new RecordingCallstats(), conferenceID: 'rtcp-check' });
  monitor.addFabric(sender, { remoteUserID: 'receiver', fabricUsage: 'audio' });
  try {
    await sender.setLocalDescription(await sender.createOffer());
    await receiver.setRemoteDescription(sender.localDescription!);
    await receiver.setLocalDescription(await receiver.createAnswer());
    await sender.setRemoteDescription(receiver.localDescription!);
    const verdict = await new Promise<ReceiverReportVerdict>((resolve) => {
      const check = checkReceiverReports(monitor, {
        afterMs,
        intervalMs: 500,
        logger: () => {},
        onVerdict: (_fabric, v) => {
          check.dispose();
          resolve(v);
        },
      });
    });
    return { verdict, inboundPackets: await inboundPackets(receiver) };
  } finally {
    monitor.dispose();
    stream.getTracks().forEach((t) => t.stop());
    sender.close();
    receiver.close();
  }
}

Object.assign(window, { relayedCall });
markPageReady();
