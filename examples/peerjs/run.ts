// One command, the whole chain: PeerJS → @shims/peerjs → the real callstats.js → @shims/collector.
// Starts the collector (embedded SQLite) and PeerJS's PeerServer on 127.0.0.1, opens the reference
// app for two users, alice and bob, each in a headless Chromium context of their own with their own
// callstats.js client, plays a call with a mute and a period of packet loss on the media path,
// hangs up, and prints what the collector received, ending with each user's summary per fabric.
//   --keep   leave the collector (and its dashboard and query API) running, and print its URL
//   --check  then open the dashboard and fail unless it shows what the call did (dashboard-check.ts)
//   --engine firefox   in Debian's Firefox ESR instead of Chromium (the check runs in both)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import {
  ENGINE_LABELS,
  ENGINES,
  freePort,
  openHarness,
  printCollectorReport,
  startRtcpRelay,
  startServerProcess,
  waitForTerminatedFabrics,
  type Engine,
} from '@shims/testkit';
import { checkDashboard } from './dashboard-check.ts';
import { printSummary } from './print-summary.ts';
import { playStory, type StoryStep } from './story.ts';

const keep = process.argv.includes('--keep');
const check = process.argv.includes('--check');
const engineArg = process.argv[process.argv.indexOf('--engine') + 1];
const engine: Engine = process.argv.includes('--engine') ? (engineArg as Engine) : 'chromium';
if (!(ENGINES as readonly string[]).includes(engine))
  throw new TypeError(`--engine: expected one of ${ENGINES.join(', ')}, got ${String(engineArg)}`);
const browserName = ENGINE_LABELS[engine];
const CONFERENCE_ID = 'example-room';
const APP_ID = '123456789';
const require = createRequire(import.meta.url);
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);
// The real callstats.js, the testkit's copy (the harness serves only the app's bundle).
const CALLSTATS_SCRIPT = createRequire(import.meta.resolve('@shims/testkit')).resolve('callstats-js/callstats.min.js');

/** Loads callstats.js into a page as an app's <script> tag would; it sets `window.callstats`. */
async function loadCallstats(page: Awaited<ReturnType<typeof openHarness>>['page']): Promise<void> {
  // Its last line assigns `module.exports` (a CommonJS leftover): it gets a `module` for the load only.
  await page.evaluate(() => Object.assign(window, { module: { exports: {} } }));
  await page.addScriptTag({ path: CALLSTATS_SCRIPT });
  await page.evaluate(() => Reflect.deleteProperty(window, 'module'));
}

/**
 * How long the call must last for every audio fabric to show stats, from what callstats.js does.
 * Measured with this demo on 2026-12-02 (Chromium 156, callstats-js 3.73.16, 2-core machine, 7
 * runs, the first point's time after its fabric's setup as the demo prints it): callstats.js took
 * a sending pc's first stats batch on a 5 s grid from setup, 5.0 s or 9.9–10.0 s after it (alice's
 * pc: 5.0 s in 5 runs, 10 s in 2; bob's: 10 s in 6, 5.0 s in 1), and never later; the collector
 * had it about 0.4 s after. Then one batch every 5.0 s, whatever the collector's
 * `submissionInterval`. So every audio fabric has stats from 10 s on, and each part of the story
 * lasts whole 5 s intervals so that it shows as points of its own (a batch can carry the report
 * of the interval before: the loss shows up to 5 s late on some fabrics).
 */
const FIRST_BATCH_S = 10;
const BATCH_EVERY_S = 5;
const LOSS_PERCENT = 20;
/** The relay also holds RTP back by 0–40 ms: the receivers' jitter rises with the loss. */
const JITTER_MS = 40;

step('starting @shims/collector (SQLite in memory) on 127.0.0.1');
// The pages' callstats.js authenticate with a token generator; a development collector takes any token.
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000, ...(keep ? { port: 8088 } : {}) });
step(`collector at ${collector.url}`);

step('starting PeerJS PeerServer on 127.0.0.1');
const port = await freePort();
const peerServer = await startServerProcess({
  command: process.execPath,
  args: [join(dirname(require.resolve('peer')), 'bin', 'peerjs.js'), '--host', '127.0.0.1', '--port', String(port), '--key', 'peerjs', '--path', '/'],
  readyWhen: /Started PeerServer/,
});
// The media path between alice and bob: a UDP relay on loopback the story makes lossy for a while.
const relay = await startRtcpRelay();

step(`opening the PeerJS reference app for alice and bob, each in a headless ${browserName} context of their own (fake microphone)`);
const harness = await openHarness({
  engine,
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: { peerServerPort: port, conferenceID: CONFERENCE_ID, callID: String(Date.now()), proxyConfig: collector.proxyConfig, appID: APP_ID },
});
let failed = false;
try {
  const alice = harness.page;
  const bob = await harness.openPage();
  for (const [user, page] of [
    ['alice', alice],
    ['bob', bob],
  ] as const) {
    await loadCallstats(page);
    page.on('console', (message) => {
      if (message.text().includes('received:')) step(`app: ${message.text()}`);
    });
    // Each side reaches the other through the relay's socket that stands for the other side.
    const viaPort = user === 'alice' ? relay.portForB : relay.portForA;
    await page.evaluate((r) => (window as unknown as { routeMediaVia(r: unknown): void }).routeMediaVia(r), { host: relay.host, port: viaPort });
  }
  const signIn = (page: typeof alice, user: string) =>
    page.evaluate((u) => (window as unknown as { signIn(u: string): Promise<void> }).signIn(u), user);
  await signIn(bob, 'bob');
  await signIn(alice, 'alice');
  step('alice and bob signed in, each with their own callstats.js client; alice calls bob (audio both ways, and a chat)');
  await alice.evaluate(() => window.app.call('bob', 'hello bob, can you hear me?'));

  const setMuted = (muted: boolean) => () => alice.evaluate((m) => window.app.setMuted(m), muted);
  // Two clean points (10, 15 s), two lossy ones (20, 25 s), two clean ones again (30, 35 s); the
  // mute and unmute fall between the first two.
  const lossAt = FIRST_BATCH_S + BATCH_EVERY_S + 1;
  const recoverAt = lossAt + 2 * BATCH_EVERY_S;
  const callLengthS = recoverAt + 2 * BATCH_EVERY_S;
  const LOSS = `the network loses ${LOSS_PERCENT}% of media packets`;
  const RECOVER = 'the network recovers';
  const story: StoryStep[] = [
    { at: 0, say: 'talking' },
    { at: FIRST_BATCH_S + 1, say: 'alice mutes', run: setMuted(true) },
    { at: FIRST_BATCH_S + 3, say: 'alice unmutes', run: setMuted(false) },
    { at: lossAt, say: LOSS, run: () => relay.impair({ rtpLossPercent: LOSS_PERCENT, rtpJitterMs: JITTER_MS }) },
    { at: recoverAt, say: RECOVER, run: () => relay.impair() },
  ];
  step(`the call lasts ${callLengthS} s: callstats.js sends the first stats after about ${FIRST_BATCH_S} s, then every ${BATCH_EVERY_S} s`);
  const played = await playStory(story, callLengthS);
  await Promise.all([alice, bob].map((page) => page.evaluate(() => window.app.hangUp())));
  step(
    `hung up; the relay dropped ${relay.counts.dropped.rtp ?? 0} RTP packets of ${(relay.counts.forwarded.rtp ?? 0) + (relay.counts.dropped.rtp ?? 0)}`,
  );
  step('waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, CONFERENCE_ID, 4);

  const allCalls: string[] = [];
  for (const [user, page] of [
    ['alice', alice],
    ['bob', bob],
  ] as const) {
    const calls = await page.evaluate(() => (window as unknown as { callstatsCalls(): string[] }).callstatsCalls());
    console.log(`\nWhat @shims/peerjs told ${user}'s callstats.js:`);
    for (const line of calls) console.log(`  ${line}`);
    allCalls.push(...calls);
  }
  await printCollectorReport(collector.url, CONFERENCE_ID, fabrics);
  await printSummary(collector.url, CONFERENCE_ID);

  if (check) {
    step('checking the dashboard');
    const dashboard = await harness.openPage();
    const droppedRtp = relay.counts.dropped.rtp ?? 0;
    const problems = [
      fabrics.length === 4 ? '' : `${fabrics.length} fabrics, expected 4`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'not every fabric was set up and terminated',
      allCalls.some((line) => line.includes('failure')) ? 'callstats.js refused a call' : '',
    ].filter(Boolean);
    problems.push(
      ...(await checkDashboard(dashboard, collector.url, {
        conferenceID: CONFERENCE_ID,
        story: played,
        lossStep: LOSS,
        recoverStep: RECOVER,
        droppedRtp,
        batchEveryS: BATCH_EVERY_S,
      })),
    );
    if (problems.length) throw new Error(`demo check failed:\n  - ${problems.join('\n  - ')}`);
    console.log(
      '\ndemo check: the dashboard shows alice and bob, stats on both audio fabrics, the loss period on their charts and the mute on the timeline',
    );
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness.close();
  await peerServer.stop();
  await relay.close();
  if (keep && !failed) {
    console.log(
      `\nThe collector keeps running: dashboard ${collector.url}/#conference=${CONFERENCE_ID}  ·  query API ${collector.url}/api  ·  Ctrl-C to stop`,
    );
    process.once('SIGINT', () => void collector.close().then(() => process.exit(0)));
  } else {
    await collector.close();
    if (failed) process.exitCode = 1;
  }
}
