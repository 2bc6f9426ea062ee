// One command, the whole chain: amazon-chime-sdk-js → @shims/amazon-chime → the real callstats.js →
// @shims/collector. Starts the collector (embedded SQLite) and a local Chime signaling server
// (testkit's startChimeServer: the real SDK joins a meeting on a server-side WebRTC peer, speaking
// the SDK's own protobuf frames) with bob in the meeting; opens the reference app in headless
// Chromium, where alice joins, talks, mutes and unmutes, and leaves; prints what the shim reported
// and what the collector received.
//   --keep   leave the collector (and its dashboard and query API) running, and print its URL
//   --check  fail unless the fabric's setup, stats, mute events, the mixed audio's association and the termination arrived (used by CI)
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createCollector } from '@shims/collector';
import { openHarness, printCollectorReport, startChimeServer, waitForTerminatedFabrics, type ChimeSignalingProtocol } from '@shims/testkit';

const keep = process.argv.includes('--keep');
const check = process.argv.includes('--check');
const CALL_SECONDS = 12;
const MEETING = 'example-meeting';
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);

// The app's bundle, as an app's bundler makes it. amazon-chime-sdk-js's index also loads its
// messaging client (chat channels, not meetings), whose AWS credential providers are Node-only:
// the bundle leaves that one module out, as an app that has no chat does.
step('bundling the reference app (amazon-chime-sdk-js without its messaging client)');
const dir = mkdtempSync(join(tmpdir(), 'example-chime-'));
const bundle = join(dir, 'page.js');
await build({
  entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
  bundle: true,
  outfile: bundle,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  define: { global: 'globalThis' },
  logLevel: 'silent',
  plugins: [
    {
      name: 'without-chime-messaging',
      setup(bundler) {
        bundler.onResolve({ filter: /^@aws-sdk\/client-chime-sdk-messaging$/ }, () => ({ path: 'messaging', namespace: 'left-out' }));
        bundler.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      },
    },
  ],
});

step('starting @shims/collector (SQLite in memory) on 127.0.0.1');
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000, ...(keep ? { port: 8088 } : {}) });
step(`collector at ${collector.url}`);

step('starting the local Chime signaling server on 127.0.0.1, with bob in the meeting');
const protocol = createRequire(import.meta.url)('amazon-chime-sdk-js/build/signalingprotocol/SignalingProtocol.js') as ChimeSignalingProtocol;
const chime = await startChimeServer({ protocol });
chime.addAttendee(MEETING, 'bob');
const alice = chime.join(MEETING, 'alice');

step('opening the amazon-chime-sdk-js reference app in headless Chromium (fake microphone)');
const harness = await openHarness({
  entry: bundle,
  callstats: { base: collector.url },
  config: {
    // The shapes of CreateMeeting's and CreateAttendee's responses, with the local server's URLs.
    meeting: { MeetingId: MEETING, MediaPlacement: { AudioHostUrl: alice.audioHostURL, SignalingUrl: alice.signalingURL, TurnControlUrl: '' } },
    attendee: { AttendeeId: alice.attendeeId, ExternalUserId: alice.externalUserId, JoinToken: alice.joinToken },
    callSeconds: CALL_SECONDS,
  },
});
let failed = false;
try {
  harness.page.on('console', (message) => {
    if (message.text().startsWith('app:')) step(message.text());
  });
  step(`alice joins ${MEETING} for ${CALL_SECONDS} s (microphone muted for 1 s halfway)`);
  const ticker = setInterval(() => process.stdout.write('.'), 1_000);
  await harness.page.evaluate(() => window.runExample());
  clearInterval(ticker);
  process.stdout.write('\n');
  step('alice left; waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, MEETING, 1);

  const calls = await harness.page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/amazon-chime told callstats.js:');
  for (const line of calls) console.log(`  ${line}`);

  const { batchesTotal } = await printCollectorReport(collector.url, MEETING, fabrics);
  if (check) {
    const problems = [
      fabrics.length === 1 ? '' : `${fabrics.length} fabrics, expected 1 (the session's one pc)`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'the fabric was not set up and terminated',
      batchesTotal > 0 ? '' : 'no stats batch arrived',
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioMute')) &&
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioUnmute'))
        ? ''
        : 'mute/unmute were not reported',
      calls.some((line) => line.startsWith('associateMstWithUserID(pc, chime-media-server,') && line.endsWith('success'))
        ? ''
        : 'the mixed audio was not associated with the media server',
      calls.some((line) => line.includes('failure')) ? 'callstats.js refused a call' : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`demo check failed: ${problems.join('; ')}`);
    console.log(
      `\ndemo check: 1 fabric set up and terminated, mute and unmute reported, the mixed audio associated, ${batchesTotal} stats batches at the collector`,
    );
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness.close();
  await chime.close();
  rmSync(dir, { recursive: true, force: true });
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
