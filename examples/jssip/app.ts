// The reference app: two JsSIP user agents in one page call each other through a SIP-over-
// WebSocket relay (no registrar), hold, resume, mute, unmute and hang up, monitored by
// callstats.js. The only line the shim asks of an app is the `monitorJsSip(...)` one.
import * as JsSIP from 'jssip';
import { monitorJsSip } from '@shims/jssip';

declare global {
  interface Window {
    /** What run.ts hands the page (the testkit's harness declares it, untyped). */
    __shimsConfig?: Record<string, unknown>;
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

type UA = InstanceType<typeof JsSIP.UA>;
type Session = ReturnType<UA['call']>;
/** The relay's URL, and how long to talk (the check shortens it). */
const config = () => window.__shimsConfig as { sipRelayUrl: string; callSeconds?: number };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`app: ${line}`);

async function startUA(user: string): Promise<UA> {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(config().sipRelayUrl)],
    uri: `sip:${user}@example.invalid`,
    register: false,
  });
  const connected = new Promise((resolve) => ua.once('connected', resolve));
  ua.start();
  await connected;
  return ua;
}

async function runExample(): Promise<void> {
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorJsSip>[0] }).__exampleClient;
  const alice = await startUA('alice');
  const bob = await startUA('bob');
  const options = { conferenceID: 'example-call', outgoingFabricUsage: 'audio' as const };
  monitorJsSip(callstats, alice, options); // ← the one line
  monitorJsSip(callstats, bob, options);

  const media = { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } };
  bob.on('newRTCSession', ({ originator, session }: { originator: string; session: Session }) => {
    if (originator === 'remote') session.answer(media);
  });
  const call = alice.call('sip:bob@example.invalid', media);
  await new Promise((resolve) => call.once('confirmed', resolve));
  log('bob answered');
  const seconds = config().callSeconds ?? 6;
  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  await sleep((seconds / 2) * 1_000);
  await new Promise<void>((resolve) => call.hold({}, () => resolve()));
  log('alice put bob on hold');
  await sleep(1_000);
  await new Promise<void>((resolve) => call.unhold({}, () => resolve()));
  log('alice resumed');
  call.mute({ audio: true });
  await sleep(500);
  call.unmute({ audio: true });
  log('alice muted and unmuted her microphone');
  await sleep((seconds / 2) * 1_000);
  const ended = new Promise((resolve) => call.once('ended', resolve));
  call.terminate();
  await ended;
  log('alice hung up');
  alice.stop();
  bob.stop();
}

window.runExample = runExample;
window.__shimsReady = true;
