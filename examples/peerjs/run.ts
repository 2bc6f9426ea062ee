// One command: starts PeerJS's PeerServer on 127.0.0.1, opens the app in headless Chromium with the
// real callstats.js (pointed at a small local stand-in for callstats.io's servers), runs a call, and
// prints what the shim reported and what callstats.js sent. `--check` fails unless all of it happened.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, openHarness, startServerProcess } from '@shims/testkit';

const check = process.argv.includes('--check');
const require = createRequire(import.meta.url);
const port = await freePort();
const peerServer = await startServerProcess({
  command: process.execPath,
  args: [join(dirname(require.resolve('peer')), 'bin', 'peerjs.js'), '--host', '127.0.0.1', '--port', String(port), '--key', 'peerjs', '--path', '/'],
  readyWhen: /Started PeerServer/,
});
const harness = await openHarness({
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  callstats: true,
  config: { peerServerPort: port },
});
try {
  harness.page.on('console', (message) => console.log(`  page: ${message.text()}`));
  await harness.page.evaluate(() => window.runExample());
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // callstats.js sends events 200 ms apart
  const calls = await harness.page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/peerjs reported to callstats.js:');
  for (const line of calls) console.log(`  ${line}`);
  const sent = harness.callstatsRequests.map((r) => `${r.method} ${r.path}`).filter((line) => line.includes('/conferences/'));
  console.log('\nWhat callstats.js sent to its server (requests per kind, in order of first appearance):');
  const kinds = new Map<string, number>();
  for (const line of sent) {
    const kind = line.includes('/events/') ? line.slice(line.indexOf('/events/') + 8) : line.endsWith('/stats') ? 'stats' : 'userJoined';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  for (const [kind, count] of kinds) console.log(`  ${kind} ×${count}`);
  if (check) {
    const expected = ['fabric/setup', 'fabric/terminated', '/stats'];
    const missing = expected.filter((part) => !sent.some((line) => line.includes(part)));
    const fabrics = calls.filter((line) => line.startsWith('addNewFabric')).length;
    const terminated = calls.filter((line) => line.includes('fabricTerminated')).length;
    if (missing.length > 0 || fabrics !== 4 || terminated !== 4 || calls.some((line) => line.includes('failure'))) {
      throw new Error(`example check failed: missing ${missing.join(', ') || 'nothing'}, ${fabrics} fabrics, ${terminated} terminated`);
    }
    console.log('\nexample check: 4 fabrics added, 4 terminated, setup, stats and termination reached the server');
  }
} finally {
  await harness.close();
  await peerServer.stop();
}
