// A fake peerconnection held by the real callstats.js: what a shim for an SDK that never exposes
// its pc (Step 1-bis) relies on. The fake's stats come from a real pc pair, as an SDK's stats API would.
import { markPageReady, RecordingCallstats } from '@shims/testkit/page';
import { createFakePeerConnection, createMonitor } from '@shims/core';

async function run(conferenceID: string) {
  const real = window.__shimsRealCallstats;
  if (!real) throw new Error('no real callstats.js in the page');
  const client = new RecordingCallstats({ delegate: real });
  const a = new RTCPeerConnection({ iceServers: [] });
  const b = new RTCPeerConnection({ iceServers: [] });
  a.addEventListener('icecandidate', (e) => void (e.candidate && b.addIceCandidate(e.candidate)));
  b.addEventListener('icecandidate', (e) => void (e.candidate && a.addIceCandidate(e.candidate)));
  a.createDataChannel('x');

  const fake = createFakePeerConnection({ getStats: () => a.getStats() });
  // Every member a pc has, read from the fake: none may reach the browser's own getters with it.
  const unreadable: string[] = [];
  for (const key in fake.pc) {
    try {
      void (fake.pc as unknown as Record<string, unknown>)[key];
    } catch {
      unreadable.push(key);
    }
  }
  const monitor = createMonitor({ client, conferenceID });
  const fabric = monitor.addFabric(fake.pc, { remoteUserID: 'sdk-remote', wrapMethods: false });

  // The shim mirrors what the SDK tells it onto the fake pc.
  a.addEventListener('signalingstatechange', () => fake.update({ signalingState: a.signalingState }));
  a.addEventListener('iceconnectionstatechange', () => fake.update({ iceConnectionState: a.iceConnectionState }));
  a.addEventListener('icecandidate', (e) => fake.emitIceCandidate(e.candidate?.toJSON() ?? null));
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  fake.update({ localDescription: a.localDescription, remoteDescription: a.remoteDescription });
  const until = Date.now() + 10_000;
  while (fake.pc.iceConnectionState !== 'connected' && fake.pc.iceConnectionState !== 'completed' && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const statsTypes = [...new Set([...(await fake.pc.getStats()).values()].map((s) => s.type))].sort();
  fabric.send('audioMute');
  fabric.terminate();
  fake.close();
  a.close();
  b.close();
  monitor.dispose();
  return {
    iceConnectionState: a.iceConnectionState,
    instanceOfPeerConnection: fake.pc instanceof RTCPeerConnection,
    unreadable,
    statsTypes,
    calls: client.calls.map((c) => ({ method: c.method, event: c.args[1], status: c.status })),
    violations: client.violations,
  };
}

(window as unknown as { runFakePc: typeof run }).runFakePc = run;
markPageReady();
