// One command, the whole chain: SIP.js → @shims/sipjs → the real callstats.js → @shims/collector.
// Starts the collector (embedded SQLite) and a SIP-over-WebSocket relay on 127.0.0.1, opens the
// reference app in headless Chromium, runs a call with hold and mute, hangs up, and prints what
// the shim told callstats.js and what the collector received.
//   --check  fail unless both fabrics' setup, hold, mute and termination arrived (used by CI)
import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { openHarness, printCollectorReport, startSipRelay, waitForTerminatedFabrics } from '@shims/testkit';

const check = process.argv.includes('--check');
const CALL_SECONDS = 12;
const CONFERENCE = 'example-call';
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);

step('starting @shims/collector (SQLite in memory) and a SIP-over-WebSocket relay on 127.0.0.1');
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000 });
const relay = await startSipRelay();
step('opening the SIP.js reference app in headless Chromium (fake microphone)');
const harness = await openHarness({
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  callstats: { base: collector.url },
  config: { sipRelayUrl: relay.url, callSeconds: CALL_SECONDS },
});
let failed = false;
try {
  harness.page.on('console', (message) => {
    if (message.text().startsWith('app: ')) step(message.text());
  });
  step(`calling: sip:alice → sip:bob, audio, for ${CALL_SECONDS} s`);
  await harness.page.evaluate(() => window.runExample());
  step('hung up; waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, CONFERENCE, 2);

  const calls = await harness.page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/sipjs told callstats.js:');
  for (const line of calls) console.log(`  ${line}`);

  const { batchesTotal, eventTypes } = await printCollectorReport(collector.url, CONFERENCE, fabrics);
  if (check) {
    const problems = [
      fabrics.length === 2 ? '' : `${fabrics.length} fabrics, expected 2`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'not every fabric was set up and terminated',
      ['fabricHold', 'fabricResume', 'audioMute', 'audioUnmute']
        .filter((e) => !eventTypes.has(e))
        .map((e) => `no ${e}`)
        .join(', '),
      batchesTotal > 0 ? '' : 'no stats batch arrived',
      calls.some((line) => line.includes('failure')) ? 'callstats.js refused a call' : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`example check failed: ${problems.join('; ')}`);
    console.log(`\nexample check: 2 fabrics set up, held, resumed, muted, unmuted and terminated; ${batchesTotal} stats batches`);
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness.close();
  await relay.close();
  await collector.close();
  if (failed) process.exitCode = 1;
}
