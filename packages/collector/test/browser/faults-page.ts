// A loopback call reported by the REAL callstats.js (loaded by the harness, pointed at the test
// collector's fault proxy), added and ended with the library's own API: what the faults act on.
import { markPageReady } from '@shims/testkit/page';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function faultCall(conferenceID: string, holdMs: number): Promise<string> {
  const cs = window.__shimsRealCallstats!;
  const alice = new RTCPeerConnection({ iceServers: [] });
  const bob = new RTCPeerConnection({ iceServers: [] });
  cs.addNewFabric(alice, 'bob', 'data', conferenceID);
  cs.addNewFabric(bob, 'alice', 'data', conferenceID);
  alice.addEventListener('icecandidate', (e) => void (e.candidate && bob.addIceCandidate(e.candidate)));
  bob.addEventListener('icecandidate', (e) => void (e.candidate && alice.addIceCandidate(e.candidate)));
  alice.createDataChannel('chat');
  await alice.setLocalDescription();
  await bob.setRemoteDescription(alice.localDescription!);
  await bob.setLocalDescription();
  await alice.setRemoteDescription(bob.localDescription!);
  const until = Date.now() + 10_000;
  while (alice.iceConnectionState !== 'connected' && alice.iceConnectionState !== 'completed' && Date.now() < until) await sleep(50);
  await sleep(holdMs);
  cs.sendFabricEvent(alice, 'fabricTerminated', conferenceID);
  cs.sendFabricEvent(bob, 'fabricTerminated', conferenceID);
  alice.close();
  bob.close();
  return alice.iceConnectionState;
}

Object.assign(window, { faultCall });
markPageReady();
