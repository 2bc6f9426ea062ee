// One command, the whole chain: @openai/agents-realtime → @shims/openai-realtime → the real
// callstats.js → @shims/collector. Starts the collector (embedded SQLite) and a local stand-in for
// OpenAI's Realtime WebRTC endpoint (testkit's startRealtimeServer: the offer over HTTP, answered
// by a server-side WebRTC peer that plays a 440 Hz tone back, and the `oai-events` channel); opens
// the reference app in headless Chromium, where a voice-agent session connects, talks, is muted
// and unmuted, and hangs up; prints what the shim reported and what the collector received.
//   --keep   leave the collector (and its dashboard and query API) running, and print its URL
//   --check  fail unless the fabric's setup, stats, mute events and the termination arrived (used by CI)
import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { openHarness, printCollectorReport, startRealtimeServer, waitForTerminatedFabrics } from '@shims/testkit';

const keep = process.argv.includes('--keep');
const check = process.argv.includes('--check');
const CALL_SECONDS = 12;
const CONFERENCE = 'voice-agent-example';
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);

step('starting @shims/collector (SQLite in memory) on 127.0.0.1');
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000, ...(keep ? { port: 8088 } : {}) });
step(`collector at ${collector.url}`);

step('starting the local realtime endpoint on 127.0.0.1 (a server-side WebRTC peer playing a 440 Hz tone)');
const endpoint = await startRealtimeServer();

step('opening the @openai/agents-realtime reference app in headless Chromium (fake microphone)');
const harness = await openHarness({
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  callstats: { base: collector.url },
  config: { baseUrl: endpoint.baseUrl, conference: CONFERENCE, callSeconds: CALL_SECONDS },
});
let failed = false;
try {
  harness.page.on('console', (message) => {
    if (message.text().startsWith('app:')) step(message.text());
  });
  step(`the session talks for ${CALL_SECONDS} s (microphone muted for 1 s halfway)`);
  const ticker = setInterval(() => process.stdout.write('.'), 1_000);
  await harness.page.evaluate(() => window.runExample());
  clearInterval(ticker);
  process.stdout.write('\n');
  step('the session closed; waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, CONFERENCE, 1);

  const calls = await harness.page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/openai-realtime told callstats.js:');
  for (const line of calls) console.log(`  ${line}`);

  const { batchesTotal } = await printCollectorReport(collector.url, CONFERENCE, fabrics);
  if (check) {
    const problems = [
      fabrics.length === 1 ? '' : `${fabrics.length} fabrics, expected 1`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'the fabric was not set up and terminated',
      batchesTotal > 0 ? '' : 'no stats batch arrived',
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioMute')) &&
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioUnmute'))
        ? ''
        : 'mute/unmute were not reported',
      // The app disposes right after close(): the shim's own fabricTerminated must still go out.
      calls.some((line) => line.startsWith('sendFabricEvent(pc, fabricTerminated')) ? '' : 'the shim sent no fabricTerminated',
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
  await endpoint.close();
  if (keep && !failed) {
    console.log(`\nThe collector keeps running: dashboard ${collector.url}/  ·  query API ${collector.url}/api  ·  Ctrl-C to stop`);
    process.once('SIGINT', () => void collector.close().then(() => process.exit(0)));
  } else {
    await collector.close();
    // Exit now: @roamhq/wrtc (the endpoint's media peer) can crash in its native teardown when the
    // process ends by running out of work, which would turn a passing check into a crash.
    process.exit(failed ? 1 : 0);
  }
}
