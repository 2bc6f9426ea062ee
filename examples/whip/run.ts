// One command, the whole chain: a WHIP publisher → @shims/webrtc → the real callstats.js →
// @shims/collector. Starts the collector (embedded SQLite), Debian's Janus and Debian's
// simple-whip-server (Janus's VideoRoom behind it) on 127.0.0.1, opens the reference app in
// headless Chromium, publishes the fake camera and microphone, stops, and prints what the
// collector received.
//   --keep   leave the collector (and its dashboard and query API) running, and print its URL
//   --check  fail unless the fabric's setup, stats with bytes sent and termination arrived (used by CI)
import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import {
  openHarness,
  printCollectorReport,
  startJanus,
  startWhipServer,
  type JanusTestServer,
  type WhipTestServer,
  waitForTerminatedFabrics,
} from '@shims/testkit';

const keep = process.argv.includes('--keep');
const check = process.argv.includes('--check');
const CALL_SECONDS = 12;
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);

step('starting @shims/collector (SQLite in memory) on 127.0.0.1');
// The page's callstats.js authenticates with a token generator; a development collector takes any token.
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000, ...(keep ? { port: 8088 } : {}) });
step(`collector at ${collector.url}`);

let janus: JanusTestServer | undefined;
let whip: WhipTestServer | undefined;
let harness: Awaited<ReturnType<typeof openHarness>> | undefined;
let failed = false;
try {
  step("starting Debian's janus and simple-whip-server on 127.0.0.1 (VideoRoom as the WHIP media backend)");
  // WHIP cannot trickle the server's candidates: Janus puts them in its answer.
  janus = await startJanus({ fullTrickle: false });
  whip = await startWhipServer(janus);
  const whipEndpoint = await whip.createEndpoint('example');
  step(`WHIP endpoint at ${whipEndpoint}`);

  step('opening the WHIP reference app in headless Chromium (fake camera and microphone)');
  harness = await openHarness({
    entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
    callstats: { base: collector.url },
    config: { whipEndpoint, callSeconds: CALL_SECONDS },
  });
  harness.page.on('console', (message) => {
    if (message.text().startsWith('app:')) step(message.text());
  });
  step(`publishing audio + video for ${CALL_SECONDS} s`);
  const ticker = setInterval(() => process.stdout.write('.'), 1_000);
  const page = harness.page;
  await page.evaluate(() => window.runExample()).finally(() => clearInterval(ticker));
  process.stdout.write('\n');
  step('stopped; waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, 'example-stream', 1);

  const calls = await page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/webrtc told callstats.js:');
  for (const line of calls) console.log(`  ${line}`);

  const { batchesTotal, maxBitrateOutBps } = await printCollectorReport(collector.url, 'example-stream', fabrics);
  if (check) {
    const problems = [
      fabrics.length === 1 ? '' : `${fabrics.length} fabrics, expected 1`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'the fabric was not set up and terminated',
      batchesTotal > 0 ? '' : 'no stats batch arrived',
      maxBitrateOutBps > 0 ? '' : 'the stats show no bytes sent',
      calls.filter((line) => line.startsWith('addNewFabric')).length === 1 ? '' : "the publisher's pc was not added exactly once",
      calls.filter((line) => line.startsWith('sendFabricEvent(pc, fabricTerminated')).length === 1 ? '' : 'not exactly one fabricTerminated',
      calls.some((line) => line.includes('failure')) ? 'callstats.js refused a call' : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`demo check failed: ${problems.join('; ')}`);
    console.log(
      `\ndemo check: 1 fabric set up and terminated, ${batchesTotal} stats batches at the collector, up to ${Math.round(maxBitrateOutBps / 1000)} kbit/s sent`,
    );
  }
} catch (error) {
  failed = true;
  console.error(error);
  if (whip) console.error(whip.output().slice(-3000));
} finally {
  await harness?.close();
  await whip?.stop();
  await janus?.stop();
  if (keep && !failed) {
    console.log(`\nThe collector keeps running: dashboard ${collector.url}/  ·  query API ${collector.url}/api  ·  Ctrl-C to stop`);
    process.once('SIGINT', () => void collector.close().then(() => process.exit(0)));
  } else {
    await collector.close();
    if (failed) process.exitCode = 1;
  }
}
