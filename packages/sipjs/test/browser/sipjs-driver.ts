// The conformance driver for SIP.js: two UserAgents in one page, connected to the SIP-over-
// WebSocket relay the test started (no registrar), calling each other with the fake microphone.
import { Invitation, Inviter, SessionState, UserAgent, Web, type Session } from 'sip.js';
import { pageConfig, type ConformanceDriver, type DriverCall } from '@shims/testkit/page';
import { monitorSipJs, type SipJsMonitor, type SipJsUserAgent } from '../../src/index.ts';

const DOMAIN = 'shims.invalid';
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
// Unique across the pages that run cases side by side (each page counts from 0).
let counter = 0;
export const uniqueUser = (role: string): string => `${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${++counter}`;

export interface TestUA {
  ua: UserAgent;
  user: string;
  /** Resolves with each incoming call. */
  invitations: Invitation[];
  onInvite?: (invitation: Invitation) => void;
}

/** A started UserAgent on the relay, without registration. */
export async function startUA(user: string, call = ''): Promise<TestUA> {
  // The relay passes messages between the UAs on one path: the call's own (see startSipRelay).
  const sipRelayUrl = `${(pageConfig() as { sipRelayUrl: string }).sipRelayUrl}/${call}`;
  const test: TestUA = { ua: undefined as unknown as UserAgent, user, invitations: [] };
  test.ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${user}@${DOMAIN}`)!,
    transportOptions: { server: sipRelayUrl },
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
    // stop() then closes the socket at once, even with a session still ending: a UA left
    // connected would answer (404) the next test's INVITE through the broadcast relay.
    gracefulShutdown: false,
    logBuiltinEnabled: false,
    logLevel: 'error',
    delegate: {
      onInvite: (invitation) => {
        test.invitations.push(invitation);
        test.onInvite?.(invitation);
      },
    },
  });
  await test.ua.start();
  return test;
}

export async function stopUAs(...uas: TestUA[]): Promise<void> {
  await Promise.all(uas.map((t) => Promise.race([t.ua.stop(), sleep(4_000)])));
}

export const AUDIO_ONLY = { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } };

export const call = (from: TestUA, to: TestUA, options: object = AUDIO_ONLY): Inviter =>
  new Inviter(from.ua, UserAgent.makeURI(`sip:${to.user}@${DOMAIN}`)!, options);

export const pcOf = (session: Session | undefined): RTCPeerConnection | undefined =>
  (session?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)?.peerConnection;

/** Resolves when the session reaches the state (at once if it is there). */
export function reached(session: Session, state: SessionState): Promise<void> {
  if (session.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = (s: SessionState) => {
      if (s !== state) return;
      session.stateChange.removeListener(listener);
      resolve();
    };
    session.stateChange.addListener(listener);
  });
}

/** Ends a session the way an app would, whatever its state. */
function hangUpSession(session: Session | undefined): void {
  if (!session) return;
  if (session.state === SessionState.Established) void session.bye().catch(() => {});
  else if (session instanceof Inviter && session.state === SessionState.Establishing) void session.cancel().catch(() => {});
  else if (session instanceof Invitation && session.state === SessionState.Initial) void session.reject().catch(() => {});
}

export async function audioFlowing(pc: RTCPeerConnection | null | undefined, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (pc && pc.connectionState !== 'closed' && Date.now() < until) {
    for (const stats of (await pc.getStats()).values()) {
      if (stats.type === 'inbound-rtp' && stats.kind === 'audio' && stats.packetsReceived > 0) return true;
    }
    await sleep(100);
  }
  return false;
}

export const asShimUA = (test: TestUA): SipJsUserAgent => test.ua as unknown as SipJsUserAgent;

export function sipJsDriver(): ConformanceDriver {
  return {
    name: 'sip.js 0.21.2',
    async startCall({ client, conferenceID }): Promise<DriverCall> {
      const users = { caller: uniqueUser('caller'), callee: uniqueUser('callee') };
      const [caller, callee] = await Promise.all([startUA(users.caller, users.caller), startUA(users.callee, users.caller)]);
      const monitors: SipJsMonitor[] = [];
      const attach = (to: NonNullable<typeof client>): void => {
        monitors.push(monitorSipJs(to, asShimUA(caller), { conferenceID }), monitorSipJs(to, asShimUA(callee), { conferenceID }));
      };
      if (client) attach(client);
      const errors: unknown[] = [];
      const outcome = { established: false, audioReceived: false, callerTerminated: false, calleeTerminated: false };
      let failed: (error: unknown) => void = () => {};
      const appFailure = new Promise<never>((_, reject) => (failed = reject));
      appFailure.catch(() => {});

      let invitation: Invitation | undefined;
      callee.onInvite = (incoming) => {
        invitation = incoming;
        void reached(incoming, SessionState.Terminated).then(() => (outcome.calleeTerminated = true));
        incoming.accept(AUDIO_ONLY).catch((error: unknown) => {
          errors.push(error);
          failed(error);
        });
      };
      const inviter = call(caller, callee);
      const callerTerminated = reached(inviter, SessionState.Terminated).then(() => {
        outcome.callerTerminated = true;
        failed(new Error('the call ended'));
      });
      inviter.invite().catch((error: unknown) => {
        errors.push(error);
        failed(error);
      });

      const flow = (async () => {
        await reached(inviter, SessionState.Established);
        outcome.established = true;
        outcome.audioReceived = await audioFlowing(pcOf(inviter));
        if (!outcome.audioReceived) throw new Error('no audio reached the caller');
      })();
      flow.catch((error: unknown) => failed(error));

      return {
        established: Promise.race([flow, appFailure]),
        // SIP.js failures end the session (a rejected invite or accept, or Terminated), so the app's
        // flow ends with them.
        finished: Promise.race([flow, appFailure]),
        setMuted(_kind, muted) {
          (inviter.sessionDescriptionHandler as Web.SessionDescriptionHandler).enableSenderTracks(!muted);
        },
        async hangUp() {
          hangUpSession(inviter);
          const calleeDone = invitation ? reached(invitation, SessionState.Terminated) : Promise.resolve();
          await Promise.race([Promise.all([callerTerminated, calleeDone]), sleep(3_000)]);
          await stopUAs(caller, callee);
        },
        disposeShim: () => monitors.forEach((m) => m.dispose()),
        attachShim: attach,
        roles: () => ({ [users.caller]: 'caller', [users.callee]: 'callee' }),
        appOutcome: () => ({ ...outcome }),
        appErrors: () => errors,
      };
    },
  };
}
