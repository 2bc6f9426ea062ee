// One command, the whole chain: livekit-client → @shims/livekit → the real callstats.js → @shims/collector.
// Starts the collector (embedded SQLite) and a local LiveKit-protocol server (testkit's
// startLiveKitServer: the real SDK joins a room on a server-side WebRTC peer) with a server-side
// participant, bob, in the room; opens the reference app in headless Chromium, where alice joins,
// talks, mutes and unmutes, and leaves; prints what the shim reported and what the collector received.
//   --keep   leave the collector (and its dashboard and query API) running, and print its URL
//   --check  fail unless the fabric's setup, stats, mute events, bob's stream and the termination arrived (used by CI)
import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { openHarness, printCollectorReport, startLiveKitServer, waitForTerminatedFabrics } from '@shims/testkit';

const keep = process.argv.includes('--keep');
const check = process.argv.includes('--check');
const CALL_SECONDS = 12;
const ROOM = 'example-room';
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);

step('starting @shims/collector (SQLite in memory) on 127.0.0.1');
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000, ...(keep ? { port: 8088 } : {}) });
step(`collector at ${collector.url}`);

step('starting the local LiveKit server on 127.0.0.1, with bob (a 440 Hz tone) in the room');
const livekit = await startLiveKitServer();
await livekit.addParticipant(ROOM, 'bob');

step('opening the livekit-client reference app in headless Chromium (fake microphone)');
const harness = await openHarness({
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  callstats: { base: collector.url },
  config: { url: livekit.url, token: livekit.token('alice', ROOM), room: ROOM, callSeconds: CALL_SECONDS },
});
let failed = false;
try {
  harness.page.on('console', (message) => {
    if (message.text().startsWith('app:')) step(message.text());
  });
  step(`alice joins ${ROOM} for ${CALL_SECONDS} s (microphone muted for 1 s halfway)`);
  const ticker = setInterval(() => process.stdout.write('.'), 1_000);
  await harness.page.evaluate(() => window.runExample());
  clearInterval(ticker);
  process.stdout.write('\n');
  step('alice left; waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, ROOM, 1);

  const calls = await harness.page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/livekit told callstats.js:');
  for (const line of calls) console.log(`  ${line}`);

  const { batchesTotal } = await printCollectorReport(collector.url, ROOM, fabrics);
  if (check) {
    const problems = [
      fabrics.length === 1 ? '' : `${fabrics.length} fabrics, expected 1 (the Room's one pc)`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'the fabric was not set up and terminated',
      batchesTotal > 0 ? '' : 'no stats batch arrived',
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioMute')) &&
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioUnmute'))
        ? ''
        : 'mute/unmute were not reported',
      calls.some((line) => line.startsWith('associateMstWithUserID(pc, bob,') && line.endsWith('success'))
        ? ''
        : "bob's stream was not associated with bob",
      calls.some((line) => line.includes('failure')) ? 'callstats.js refused a call' : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`demo check failed: ${problems.join('; ')}`);
    console.log(
      `\ndemo check: 1 fabric set up and terminated, mute and unmute reported, bob's stream associated, ${batchesTotal} stats batches at the collector`,
    );
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness.close();
  await livekit.close();
  if (keep && !failed) {
    console.log(`\nThe collector keeps running: dashboard ${collector.url}/  ·  query API ${collector.url}/api  ·  Ctrl-C to stop`);
    process.once('SIGINT', () => void collector.close().then(() => process.exit(0)));
  } else {
    await collector.close();
    // Exit now: @roamhq/wrtc (the server's media peer) can abort in its native teardown when the
    // process ends by running out of work, which would turn a passing check into a crash.
    process.exit(failed ? 1 : 0);
  }
}
