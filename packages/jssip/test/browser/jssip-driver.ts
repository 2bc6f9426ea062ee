// The conformance driver for JsSIP: two UAs in one page, connected to the SIP-over-WebSocket
// relay the test started (no registrar), calling each other with the fake microphone.
import * as JsSIP from 'jssip';
import { pageConfig, type ConformanceDriver, type DriverCall } from '@shims/testkit/page';
import { monitorJsSip, type JsSipMonitor, type JsSipUA } from '../../src/index.ts';

export type UA = InstanceType<typeof JsSIP.UA>;
export type Session = ReturnType<UA['call']>;

JsSIP.debug.disable();

/** The failures JsSIP hands the app as session events. */
const ERROR_EVENTS = [
  'getusermediafailed',
  'peerconnection:createofferfailed',
  'peerconnection:createanswerfailed',
  'peerconnection:setlocaldescriptionfailed',
  'peerconnection:setremotedescriptionfailed',
] as const;

export const DOMAIN = 'shims.invalid';
const NO_ICE_SERVERS: RTCConfiguration = { iceServers: [] };
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Unique across the pages that run cases side by side (each page counts from 0).
let counter = 0;
export const uniqueUser = (role: string): string => `${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${++counter}`;

/** A started UA on the relay, without registration; resolves once its WebSocket is open. */
export async function startUA(user: string, call = ''): Promise<UA> {
  // The relay passes messages between the UAs on one path: the call's own (see startSipRelay).
  const sipRelayUrl = `${(pageConfig() as { sipRelayUrl: string }).sipRelayUrl}/${call}`;
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(sipRelayUrl)],
    uri: `sip:${user}@${DOMAIN}`,
    register: false,
    session_timers: false,
  });
  const connected = new Promise<void>((resolve) => ua.once('connected', () => resolve()));
  ua.start();
  await connected;
  return ua;
}

/** Stops the UAs and waits until their sockets closed, so no stale UA answers the next call. */
export async function stopUAs(...uas: UA[]): Promise<void> {
  await Promise.all(
    uas.map((ua) => {
      if (!ua.isConnected()) return Promise.resolve();
      const closed = new Promise<void>((resolve) => ua.once('disconnected', () => resolve()));
      ua.stop();
      return Promise.race([closed, sleep(4_000)]);
    }),
  );
}

/** Resolves when the session ends or fails, with its cause; at once if it already did. */
export function endOf(session: Session): Promise<string> {
  if (session.isEnded()) return Promise.resolve('already ended');
  return new Promise((resolve) => {
    session.once('ended', (e: { cause?: string }) => resolve(`ended: ${e.cause}`));
    session.once('failed', (e: { cause?: string }) => resolve(`failed: ${e.cause}`));
  });
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

export const callOptions = (extra: object = {}): object => ({
  mediaConstraints: { audio: true, video: false },
  pcConfig: NO_ICE_SERVERS,
  ...extra,
});

export const asShimUA = (ua: UA): JsSipUA => ua;

export function jsSipDriver(): ConformanceDriver {
  return {
    name: `jssip ${JsSIP.version}`,
    async startCall({ client, conferenceID }): Promise<DriverCall> {
      const calleeUser = uniqueUser('callee');
      const callerUser = uniqueUser('caller');
      const [caller, callee] = await Promise.all([startUA(callerUser, callerUser), startUA(calleeUser, callerUser)]);
      const monitors: JsSipMonitor[] = [];
      const attach = (to: NonNullable<typeof client>): void => {
        monitors.push(monitorJsSip(to, asShimUA(caller), { conferenceID }), monitorJsSip(to, asShimUA(callee), { conferenceID }));
      };
      if (client) attach(client);
      const errors: unknown[] = [];
      const outcome = { confirmed: false, audioReceived: false, callerEnd: null as string | null, calleeEnd: null as string | null };
      let failed: (error: unknown) => void = () => {};
      const appFailure = new Promise<never>((_, reject) => (failed = reject));
      appFailure.catch(() => {});
      const watch = (session: Session, side: 'callerEnd' | 'calleeEnd'): Promise<string> => {
        for (const event of ERROR_EVENTS) session.on(event as 'getusermediafailed', (error: unknown) => errors.push(error));
        const ended = endOf(session).then((how) => (outcome[side] = how));
        session.once('failed', (e: { cause?: string }) => failed(new Error(`${side}: ${e.cause}`)));
        return ended;
      };

      let calleeEnded: Promise<string> | undefined;
      callee.on('newRTCSession', (e: { originator: string; session: Session }) => {
        if (e.originator !== 'remote') return;
        calleeEnded = watch(e.session, 'calleeEnd');
        e.session.answer(callOptions());
      });
      const session = caller.call(`sip:${calleeUser}@${DOMAIN}`, callOptions());
      const callerEnded = watch(session, 'callerEnd');
      const confirmed = new Promise<void>((resolve) => session.once('confirmed', () => resolve()));

      const flow = (async () => {
        await confirmed;
        outcome.confirmed = true;
        outcome.audioReceived = await audioFlowing(session.connection);
        if (!outcome.audioReceived) throw new Error('no audio reached the caller');
      })();
      flow.catch((error: unknown) => failed(error));

      return {
        established: Promise.race([flow, appFailure]),
        // A session's 'failed' is final in JsSIP (the only way this app fails), so the app's flow ends
        // with it.
        finished: Promise.race([flow, appFailure]),
        setMuted(kind, muted) {
          if (muted) session.mute({ [kind]: true });
          else session.unmute({ [kind]: true });
        },
        async hangUp() {
          if (!session.isEnded()) session.terminate();
          await Promise.race([Promise.all([callerEnded, calleeEnded]), sleep(3_000)]);
          await stopUAs(caller, callee);
        },
        disposeShim: () => monitors.forEach((m) => m.dispose()),
        attachShim: attach,
        roles: () => ({ [callerUser]: 'caller', [calleeUser]: 'callee' }),
        appOutcome: () => ({ ...outcome }),
        appErrors: () => errors,
      };
    },
  };
}
