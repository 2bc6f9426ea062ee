// One command, the whole chain: janus.js → @shims/janus → the real callstats.js → @shims/collector.
// Starts the collector (embedded SQLite) and, unless JANUS_URL names a running Janus, Debian's
// Janus on 127.0.0.1; opens the reference app in headless Chromium, makes an EchoTest call, mutes
// and unmutes, hangs up, and prints what the shim reported and what the collector received.
//   --keep   leave the collector (and its dashboard and query API) running, and print its URL
//   --check  fail unless the fabric's setup, stats, mute events and termination arrived (used by CI)
import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { openHarness, printCollectorReport, startJanus, type JanusTestServer, waitForTerminatedFabrics } from '@shims/testkit';

const keep = process.argv.includes('--keep');
const check = process.argv.includes('--check');
const CALL_SECONDS = 12;
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);

step('starting @shims/collector (SQLite in memory) on 127.0.0.1');
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000, ...(keep ? { port: 8088 } : {}) });
step(`collector at ${collector.url}`);

let janusUrl = process.env.JANUS_URL;
let janus: JanusTestServer | undefined;
if (janusUrl) {
  step(`using the Janus at ${janusUrl} (JANUS_URL)`);
} else {
  step('starting Debian janus on 127.0.0.1 (WebSocket transport, EchoTest and VideoRoom plugins)');
  janus = await startJanus();
  janusUrl = janus.url;
  step(`janus at ${janusUrl}`);
}

step('opening the janus.js reference app in headless Chromium (fake camera and microphone)');
const harness = await openHarness({
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  callstats: { base: collector.url },
  config: { janusUrl, callSeconds: CALL_SECONDS },
});
let failed = false;
try {
  harness.page.on('console', (message) => {
    if (message.text().startsWith('app:')) step(message.text());
  });
  step(`EchoTest call, audio + video, for ${CALL_SECONDS} s (audio muted for 1 s halfway)`);
  const ticker = setInterval(() => process.stdout.write('.'), 1_000);
  await harness.page.evaluate(() => window.runExample());
  clearInterval(ticker);
  process.stdout.write('\n');
  step('hung up; waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, 'example-room', 1);

  const calls = await harness.page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/janus told callstats.js:');
  for (const line of calls) console.log(`  ${line}`);

  const { batchesTotal } = await printCollectorReport(collector.url, 'example-room', fabrics);
  if (check) {
    const problems = [
      fabrics.length === 1 ? '' : `${fabrics.length} fabrics, expected 1`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'the fabric was not set up and terminated',
      batchesTotal > 0 ? '' : 'no stats batch arrived',
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioMute')) &&
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioUnmute'))
        ? ''
        : 'mute/unmute were not reported',
      calls.some((line) => line.includes('failure')) ? 'callstats.js refused a call' : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`demo check failed: ${problems.join('; ')}`);
    console.log(`\ndemo check: 1 fabric set up and terminated, mute and unmute reported, ${batchesTotal} stats batches at the collector`);
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness.close();
  await janus?.stop();
  if (keep && !failed) {
    console.log(`\nThe collector keeps running: dashboard ${collector.url}/  ·  query API ${collector.url}/api  ·  Ctrl-C to stop`);
    process.once('SIGINT', () => void collector.close().then(() => process.exit(0)));
  } else {
    await collector.close();
    if (failed) process.exitCode = 1;
  }
}
