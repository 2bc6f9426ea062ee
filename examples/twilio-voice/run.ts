// One command, the whole chain: @twilio/voice-sdk → @shims/twilio-voice → the real callstats.js →
// @shims/collector. Starts the collector (embedded SQLite) and a local Voice signaling gateway
// (testkit's startTwilioVoiceServer: the SDK's PStream protocol over TLS, a server-side WebRTC
// peer answering calls with a 440 Hz tone); opens the reference app in headless Chromium, where
// alice calls bob, talks, mutes and unmutes, and hangs up; prints what the shim reported and what
// the collector received.
//   --keep   leave the collector (and its dashboard and query API) running, and print its URL
//   --check  fail unless the fabric's setup, stats, mute events and the termination arrived (used by CI)
import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { openHarness, printCollectorReport, startTwilioVoiceServer, waitForTerminatedFabrics } from '@shims/testkit';

const keep = process.argv.includes('--keep');
const check = process.argv.includes('--check');
const CALL_SECONDS = 12;
const CONFERENCE = 'example-call';
const step = (text: string): void => void process.stdout.write(`▸ ${text}\n`);
// The Device's ringtones and DTMF tones: 10 ms of silence, so it fetches none from sdk.twilio.com.
const SILENCE = `data:audio/wav;base64,${Buffer.concat([
  Buffer.from('RIFF'),
  u32(36 + 960),
  Buffer.from('WAVEfmt '),
  u32(16),
  u16(1),
  u16(1),
  u32(48_000),
  u32(96_000),
  u16(2),
  u16(16),
  Buffer.from('data'),
  u32(960),
  Buffer.alloc(960),
]).toString('base64')}`;
const SOUND_NAMES = ['incoming', 'outgoing', 'disconnect', ...'0123456789sh'.split('').map((d) => `dtmf${d}`)];

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}
function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16LE(value);
  return buffer;
}

step('starting @shims/collector (SQLite in memory) on 127.0.0.1');
const collector = await createCollector({ acceptAnyToken: true, submissionInterval: 2_000, ...(keep ? { port: 8088 } : {}) });
step(`collector at ${collector.url}`);

step('starting the local Voice gateway on 127.0.0.1 (TLS with a throw-away certificate the test browser trusts)');
const voice = await startTwilioVoiceServer();

step('opening the @twilio/voice-sdk reference app in headless Chromium (fake microphone)');
const harness = await openHarness({
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  callstats: { base: collector.url },
  // Chromium trusts the gateway's throw-away certificate, and only it.
  chromiumArgs: voice.chromiumArgs,
  config: {
    chunderw: voice.chunderw,
    token: voice.token('alice'),
    conferenceID: CONFERENCE,
    sounds: Object.fromEntries(SOUND_NAMES.map((name) => [name, SILENCE])),
    callSeconds: CALL_SECONDS,
  },
});
let failed = false;
try {
  harness.page.on('console', (message) => {
    if (message.text().startsWith('app:')) step(message.text());
  });
  step(`alice calls bob for ${CALL_SECONDS} s (microphone muted for 1 s halfway)`);
  const ticker = setInterval(() => process.stdout.write('.'), 1_000);
  await harness.page.evaluate(() => window.runExample());
  clearInterval(ticker);
  process.stdout.write('\n');
  step('alice hung up; waiting for callstats.js to deliver its queue (it sends one event every 200 ms)');
  const fabrics = await waitForTerminatedFabrics(collector.url, CONFERENCE, 1);

  const calls = await harness.page.evaluate(() => (window as unknown as { __exampleCalls: string[] }).__exampleCalls);
  console.log('\nWhat @shims/twilio-voice told callstats.js:');
  for (const line of calls) console.log(`  ${line}`);

  const { batchesTotal } = await printCollectorReport(collector.url, CONFERENCE, fabrics);
  const server = voice.calls();
  if (check) {
    const problems = [
      fabrics.length === 1 ? '' : `${fabrics.length} fabrics, expected 1 (the call's one pc)`,
      fabrics.every((f) => f.state === 'terminated' && f.setupAt !== null) ? '' : 'the fabric was not set up and terminated',
      batchesTotal > 0 ? '' : 'no stats batch arrived',
      calls.some((line) => line.startsWith('addNewFabric(pc, bob, audio')) ? '' : 'the call was not added as an audio fabric of bob',
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioMute')) &&
      calls.some((line) => line.startsWith('sendFabricEvent(pc, audioUnmute'))
        ? ''
        : 'mute/unmute were not reported',
      calls.some((line) => line.includes('failure')) ? 'callstats.js refused a call' : '',
      server.length === 1 && server[0]!.ended === 'hangup-by-client' ? '' : 'the gateway did not see one call hung up by alice',
    ].filter(Boolean);
    if (problems.length) throw new Error(`demo check failed: ${problems.join('; ')}`);
    console.log(`\ndemo check: 1 fabric set up and terminated, mute and unmute reported, ${batchesTotal} stats batches at the collector`);
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness.close();
  await voice.close();
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
