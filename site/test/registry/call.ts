// The installed packages at work: a scratch app that installed @shims/peerjs, @shims/core and
// @shims/collector by name bundles a tiny page with its own esbuild; in headless Chromium, alice
// and bob (two PeerJS Peers of that page, on a real PeerServer from the app's `peer`) hold an
// audio call, monitored by the real callstats.js through the installed @shims/peerjs, into the
// installed @shims/collector. What the collector received is the proof.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, openHarness, startServerProcess, startTestCollector, type CollectorFactory, type CollectorEvent } from '@shims/testkit';

/** The page, as an app would write it: imports by package name, nothing from the workspace. */
export const CALL_PAGE = `import { Peer } from 'peerjs';
import { monitorPeerJs } from '@shims/peerjs';

const { peerServerPort, conferenceID } = window.__shimsConfig;
const options = { host: '127.0.0.1', port: peerServerPort, path: '/', key: 'peerjs', config: { iceServers: [] } };
const peers = [];

window.call = async () => {
  // The real callstats.js the harness loaded, pointed at the collector.
  const callstats = window.__shimsRealCallstats;
  const [alice, bob] = ['alice', 'bob'].map((id) => new Peer(id + '-' + Date.now(), options));
  peers.push(alice, bob);
  for (const peer of peers) monitorPeerJs(callstats, peer, { conferenceID, remoteUserID: (id) => id.split('-')[0] });
  await Promise.all(peers.map((peer) => new Promise((resolve, reject) => (peer.on('open', resolve), peer.on('error', reject)))));
  const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
  bob.on('call', (incoming) => incoming.answer(microphone));
  const outgoing = alice.call(bob.id, microphone);
  await new Promise((resolve) => outgoing.on('stream', resolve));
};
window.hangUp = () => peers.forEach((peer) => peer.destroy());
window.__shimsReady = true;
`;

/** The app's esbuild, with the API as in the install test: one browser script. */
export const BUILD_CALL_PAGE = `import { build } from 'esbuild';
await build({ entryPoints: ['call.js'], bundle: true, format: 'iife', platform: 'browser', outfile: 'call.bundle.js', logLevel: 'warning' });
`;

export interface CallResult {
  setups: CollectorEvent[];
  terminations: CollectorEvent[];
  /** Uncaught errors and console errors of the page. */
  pageErrors: string[];
  /** Every request of the page during the call answered 400 or more (to the collector, PeerServer...). */
  failedRequests: string[];
}

/** Plays the call of the app in `app` (installed, page bundled to call.bundle.js) and returns what the collector got. */
export async function playCall(app: string): Promise<CallResult> {
  const appRequire = createRequire(join(app, 'package.json'));
  // The collector the app installed from the registry (the entry `require` resolves), in this process.
  const { createCollector } = (await import(pathToFileURL(appRequire.resolve('@shims/collector')).href)) as { createCollector: CollectorFactory };
  const collector = await startTestCollector(createCollector);
  const port = await freePort();
  // peer's exports hide its bin script: it sits beside its entry (dist/<entry>).
  const peerServer = await startServerProcess({
    command: process.execPath,
    args: [
      join(dirname(appRequire.resolve('peer')), 'bin', 'peerjs.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--key',
      'peerjs',
      '--path',
      '/',
    ],
    readyWhen: /Started PeerServer/,
  });
  const conferenceID = 'registry-call';
  // The harness serves the app's bundle (its esbuild passes the file through: no imports are left).
  const harness = await openHarness({
    entry: join(app, 'call.bundle.js'),
    callstats: { base: collector.url },
    config: { peerServerPort: port, conferenceID },
  }).catch(async (error: unknown) => {
    await Promise.all([peerServer.stop(), collector.close()]);
    throw error;
  });
  const failedRequests: string[] = [];
  harness.page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  try {
    await harness.page.waitForFunction(() => (window as { __shimsCallstatsInit?: { status: string } }).__shimsCallstatsInit?.status === 'success');
    await harness.page.evaluate(() => (window as unknown as { call(): Promise<void> }).call());
    const setups = await collector.waitForEvent({ conferenceID, eventType: 'fabricSetup', count: 2, timeoutMs: 20_000 });
    await harness.page.evaluate(() => (window as unknown as { hangUp(): void }).hangUp());
    const terminations = await collector.waitForEvent({ conferenceID, eventType: 'fabricTerminated', count: 2, timeoutMs: 20_000 });
    return { setups, terminations, pageErrors: [...harness.pageErrors], failedRequests };
  } finally {
    await harness.close();
    await Promise.all([peerServer.stop(), collector.close()]);
  }
}
