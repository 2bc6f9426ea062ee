// The reference app: two SIP.js user agents in one page call each other through a SIP-over-
// WebSocket relay (no registrar), hold and resume (re-INVITE), mute, unmute and hang up,
// monitored by callstats.js. The only line the shim asks of an app is the `monitorSipJs(...)` one.
import { Inviter, SessionState, UserAgent, type Session, type Web } from 'sip.js';
import { monitorSipJs, type SipJsUserAgent } from '@shims/sipjs';

declare global {
  interface Window {
    /** What run.ts hands the page (the testkit's harness declares it, untyped). */
    __shimsConfig?: Record<string, unknown>;
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

/** The relay's URL, and how long to talk (the check shortens it). */
const config = () => window.__shimsConfig as { sipRelayUrl: string; callSeconds?: number };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`app: ${line}`);
const AUDIO_ONLY = { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } };

function reached(session: Session, state: SessionState): Promise<void> {
  return new Promise((resolve) => {
    if (session.state === state) resolve();
    session.stateChange.addListener((s) => s === state && resolve());
  });
}

/** Hold or resume by re-INVITE, as SimpleUser.hold()/unhold() do. */
function setHold(session: Session, hold: boolean): Promise<void> {
  session.sessionDescriptionHandlerOptionsReInvite = { hold } as object;
  return new Promise((resolve, reject) => {
    session.invite({ requestDelegate: { onAccept: () => resolve(), onReject: () => reject(new Error('re-INVITE rejected')) } }).catch(reject);
  });
}

async function runExample(): Promise<void> {
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorSipJs>[0] }).__exampleClient;
  const server = config().sipRelayUrl;
  const userAgent = (user: string, delegate = {}) =>
    new UserAgent({
      uri: UserAgent.makeURI(`sip:${user}@example.invalid`)!,
      transportOptions: { server },
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
      logBuiltinEnabled: false,
      delegate,
    });
  let incoming: Session | undefined;
  const alice = userAgent('alice');
  const bob = userAgent('bob', {
    onInvite: (invitation: Session & { accept(o: object): Promise<void> }) => {
      incoming = invitation;
      void invitation.accept(AUDIO_ONLY);
    },
  });
  const options = { conferenceID: 'example-call', outgoingFabricUsage: 'audio' as const };
  monitorSipJs(callstats, alice as unknown as SipJsUserAgent, options); // ← the one line
  monitorSipJs(callstats, bob as unknown as SipJsUserAgent, options);
  await Promise.all([alice.start(), bob.start()]);

  const call = new Inviter(alice, UserAgent.makeURI('sip:bob@example.invalid')!, AUDIO_ONLY);
  await call.invite();
  await reached(call, SessionState.Established);
  log('bob answered');
  const seconds = config().callSeconds ?? 6;
  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  await sleep((seconds / 2) * 1_000);
  await setHold(call, true);
  log('alice put bob on hold');
  await sleep(1_000);
  await setHold(call, false);
  log('alice resumed');
  const sdh = call.sessionDescriptionHandler as Web.SessionDescriptionHandler;
  sdh.enableSenderTracks(false); // what SimpleUser.mute() does
  await sleep(500);
  sdh.enableSenderTracks(true);
  log('alice muted and unmuted her microphone');
  await sleep((seconds / 2) * 1_000);
  await call.bye();
  await Promise.all([reached(call, SessionState.Terminated), reached(incoming!, SessionState.Terminated)]);
  log('alice hung up');
  await Promise.all([alice.stop(), bob.stop()]);
}

window.runExample = runExample;
window.__shimsReady = true;
