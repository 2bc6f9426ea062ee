// The reference app: two PeerJS peers in one page, a media call and a data connection, monitored
// by callstats.js. The only line the shim asks of an app is the `monitorPeerJs(...)` one.
import { Peer } from 'peerjs';
import { monitorPeerJs } from '@shims/peerjs';

declare global {
  interface Window {
    callstats: unknown;
    __shimsConfig?: { peerServerPort: number; callSeconds?: number };
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

async function runExample(): Promise<void> {
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorPeerJs>[0] }).__exampleClient;
  const server = { host: '127.0.0.1', port: window.__shimsConfig!.peerServerPort, path: '/', key: 'peerjs', config: { iceServers: [] } };

  const alice = new Peer(`alice-${Date.now()}`, server);
  const bob = new Peer(`bob-${Date.now()}`, server);
  monitorPeerJs(callstats, alice, { conferenceID: 'example-room' }); // ← the one line
  monitorPeerJs(callstats, bob, { conferenceID: 'example-room' });

  await Promise.all([alice, bob].map((p) => new Promise((resolve) => p.on('open', resolve))));
  const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
  bob.on('call', (call) => call.answer(microphone));
  bob.on('connection', (conn) => conn.on('data', (data) => console.log(`bob received: ${String(data)}`)));

  const call = alice.call(bob.id, microphone);
  await new Promise((resolve) => call.on('stream', resolve));
  const chat = alice.connect(bob.id);
  await new Promise((resolve) => chat.on('open', resolve));
  void chat.send('hello from alice');
  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  await new Promise((resolve) => setTimeout(resolve, (window.__shimsConfig!.callSeconds ?? 6) * 1_000));
  alice.destroy();
  bob.destroy();
  microphone.getTracks().forEach((track) => track.stop());
}

window.runExample = runExample;
window.__shimsReady = true;
