// The reference app: a WHIP publisher (medooze's whip-whep) sends the camera and microphone to a
// WHIP endpoint, monitored by callstats.js. The app never hands its pc to the shim: the one line,
// `monitorPeerConnections(...)`, registers every pc the page builds from then on, at its first
// negotiation call (a pc an SDK builds only to probe the browser is never registered).
import { monitorPeerConnections } from '@shims/webrtc';
import { WHIPClient } from 'whip-whep/whip.js';

declare global {
  interface Window {
    runExample(): Promise<void>;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** What run.ts hands the page: the WHIP endpoint and how long to publish. */
const config = (): { whipEndpoint: string; callSeconds?: number } =>
  (window as unknown as { __shimsConfig: { whipEndpoint: string; callSeconds?: number } }).__shimsConfig;

async function bytesSent(pc: RTCPeerConnection): Promise<number> {
  let bytes = 0;
  (await pc.getStats()).forEach((s: { type: string; bytesSent?: number }) => {
    if (s.type === 'outbound-rtp') bytes += s.bytesSent ?? 0;
  });
  return bytes;
}

async function runExample(): Promise<void> {
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorPeerConnections>[0] }).__exampleClient;
  const monitoring = monitorPeerConnections(callstats, { conferenceID: 'example-stream', remoteUserID: 'whip-server' }); // ← the one line

  // The app's publisher, unchanged.
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  const pc = new RTCPeerConnection({ iceServers: [] });
  for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
  const publisher = new WHIPClient();
  await publisher.publish(pc, config().whipEndpoint);

  // Publish for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  const seconds = config().callSeconds ?? 6;
  await sleep(seconds * 1_000);
  console.log(`app: ${pc.connectionState}, ${await bytesSent(pc)} bytes sent`);

  await publisher.stop(); // closes the pc (one fabricTerminated), then DELETEs the WHIP resource
  for (const track of stream.getTracks()) track.stop();
  monitoring.dispose(); // the global RTCPeerConnection is back as it was
}

window.runExample = runExample;
(window as { __shimsReady?: boolean }).__shimsReady = true;
