// One command, the whole chain: PeerJS → @shims/peerjs → the real callstats.js → @shims/collector.
// Starts the collector (embedded SQLite) and PeerJS's PeerServer on 127.0.0.1, opens the reference
// app in headless Chromium, runs a two-party call, hangs up, and prints what the collector received.
//   --keep   leave the collector (and its dashboard and query API) running, and print its URL
//   --check  fail unless every fabric's setup, stats and termination arrived (used by CI)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { freePort, openHarness, printCollectorReport, startServerProcess, waitForTerminatedFabrics } from '@shims/testkit';

const keep = process.argv.includes('--keep');
const check = process.argv.includes('--check');
const CALL_SECONDS = 12;
const require = createRequire(import.meta.url);
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);

step('starting @shims/collector (SQLite in memory) on 127.0.0.1');
// The page's callstats.js authenticates with a token generator; a development collector takes any token.
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000, ...(keep ? { port: 8088 } : {}) });
step(`collector at ${collector.url}`);

step('starting PeerJS PeerServer on 127.0.0.1');
const port = await freePort();
const peerServer = await startServerProcess({
  command: process.execPath,
  args: [join(dirname(require.resolve('peer')), 'bin', 'peerjs.js'), '--host', '127.0.0.1', '--port', String(port), '--key', 'peerjs', '--path', '/'],
  readyWhen: /Started PeerServer/,
});

step('opening the PeerJS reference app in headless Chromium (fake microphone)');
const harness = await openHarness({
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  callstats: { base: collector.url },
  config: { peerServerPort: port, callSeconds: CALL_SECONDS },
});
let failed = false;
try {
  harness.page.on('console', (message) => {
    if (message.text().startsWith('bob received')) step(`app: ${message.text()}`);
  });
  step(`calling: alice → bob, audio + data, for ${CALL_SECONDS} s`);
  const ticker = setInterval(() => process.stdout.write('.'), 1_000);
  await harness.page.evaluate(() => window.runExample());
  clearInterval(ticker);
  process.stdout.write('\n');
  step('hung up; waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, 'example-room', 4);

  const calls = await harness.page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/peerjs told callstats.js:');
  for (const line of calls) console.log(`  ${line}`);

  const { batchesTotal } = await printCollectorReport(collector.url, 'example-room', fabrics);
  if (check) {
    const problems = [
      fabrics.length === 4 ? '' : `${fabrics.length} fabrics, expected 4`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'not every fabric was set up and terminated',
      batchesTotal > 0 ? '' : 'no stats batch arrived',
      calls.some((line) => line.includes('failure')) ? 'callstats.js refused a call' : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`demo check failed: ${problems.join('; ')}`);
    console.log(`\ndemo check: 4 fabrics set up and terminated, ${batchesTotal} stats batches at the collector`);
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness.close();
  await peerServer.stop();
  if (keep && !failed) {
    console.log(`\nThe collector keeps running: dashboard ${collector.url}/  ·  query API ${collector.url}/api  ·  Ctrl-C to stop`);
    process.once('SIGINT', () => void collector.close().then(() => process.exit(0)));
  } else {
    await collector.close();
    if (failed) process.exitCode = 1;
  }
}
