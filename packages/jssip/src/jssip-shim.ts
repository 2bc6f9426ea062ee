import {
  createScope,
  createShimMonitor,
  listenOn,
  outgoingUsageOf,
  requireMethods,
  shimMonitor,
  sipUserOf,
  usageOfOffer,
  type CallstatsClient,
  type FabricHandle,
  type FabricLifecycleEvent,
  type Listener,
} from '@shims/core';
import type { JsSipMonitor, JsSipNewSessionEvent, JsSipSession, JsSipUA, MonitorJsSipOptions } from './jssip-types.js';

const WHERE = 'monitorJsSip';

/**
 * Monitors every call session a JsSIP `UA` holds, makes or receives: a live session's pc is added
 * at once, each new one the moment JsSIP builds it (in `ua.call()` for an outgoing session, in
 * `answer()` for an incoming one), its failures are reported with the function that failed and
 * the original error, hold/unhold and mute/unmute become fabric events, and its end sends one
 * `fabricTerminated`.
 */
export function monitorJsSip(client: CallstatsClient, ua: JsSipUA, options: MonitorJsSipOptions): JsSipMonitor {
  requireMethods(ua, ['on', 'call'], 'ua', WHERE, 'must be a JsSIP UA (with call and on)');
  const monitor = createShimMonitor(client, options, '@shims/jssip', (session: JsSipSession) => sipUserOf(session.remote_identity));
  const outgoingUsage = outgoingUsageOf(options, WHERE);
  /** Per live session: its fabric (once its pc exists). */
  const sessions = new Map<JsSipSession, { fabric?: FabricHandle }>();

  const watchSession = (session: JsSipSession, offerSdp: string | null | undefined): void => {
    if (sessions.has(session)) return;
    const entry: { fabric?: FabricHandle } = {};
    sessions.set(session, entry);
    // The session's listeners, removed when it ends (or at dispose).
    const scope = createScope(monitor);
    scope.onDispose(() => sessions.delete(session));
    const listen = (event: string, listener: (...args: never[]) => void): void => {
      listenOn(scope, session, event, listener);
    };
    const usage = session.direction === 'incoming' ? usageOfOffer(offerSdp, true) : outgoingUsage;

    const addPc = (pc: RTCPeerConnection | null | undefined): void => {
      if (!pc || monitor.disposed || entry.fabric?.pc === pc) return;
      // The pc's methods are wrapped (addFabric's default): every pc failure reaches reportError
      // once, from the wrapper, with the original error and before JsSIP reacts to it. JsSIP's
      // `peerconnection:*failed` events hand the app that same error afterwards; the shim does not
      // report them again. The wrapper also sees what those events never carry (addIceCandidate)
      // and its close() ends the fabric when JsSIP closes the pc.
      entry.fabric = monitor.addFabric(pc, { remoteUserID: monitor.userOf(session), fabricUsage: usage });
    };
    // Outgoing: JsSIP built the pc in ua.call(), before newRTCSession; no event of it has run yet.
    addPc(session.connection);
    // Incoming: the pc is built in answer(), which emits `peerconnection` before using it.
    listen('peerconnection', (event: { peerconnection?: RTCPeerConnection }) => addPc(event?.peerconnection));

    // JsSIP fails the session (closing its pc, which ends the fabric) before it emits
    // `getusermediafailed`, so the failure is reported as callstats reports media failures:
    // for the conference, with no pc.
    listen('getusermediafailed', (error: unknown) => monitor.reportMediaError(error));

    const send = (event: FabricLifecycleEvent): void => entry.fabric?.send(event);
    // Either side may hold: the fabric is on hold while at least one does.
    const holders = new Set<string>();
    listen('hold', (event: { originator?: string }) => {
      const before = holders.size;
      holders.add(event?.originator ?? 'local');
      if (before === 0) send('fabricHold');
    });
    listen('unhold', (event: { originator?: string }) => {
      if (!holders.delete(event?.originator ?? 'local')) return;
      if (holders.size === 0) send('fabricResume');
    });
    listen('muted', (event: { audio?: boolean; video?: boolean }) => {
      if (event?.audio) send('audioMute');
      if (event?.video) send('videoPause');
    });
    listen('unmuted', (event: { audio?: boolean; video?: boolean }) => {
      if (event?.audio) send('audioUnmute');
      if (event?.video) send('videoResume');
    });

    // JsSIP closes the pc (ending the fabric through the close wrapper) just before it emits
    // `ended` or `failed`; these cover a pc it left open. terminate() sends only once. The
    // listeners go a microtask later: JsSIP emits `getusermediafailed` right after `failed`.
    const end = (): void => {
      entry.fabric?.terminate();
      queueMicrotask(scope.dispose);
    };
    listen('ended', end);
    listen('failed', end);
  };

  const onNewSession = ((event: JsSipNewSessionEvent) => {
    if (monitor.disposed || !event?.session) return;
    watchSession(event.session, event.originator === 'remote' ? event.request?.body : undefined);
  }) as Listener;
  listenOn(monitor, ua, 'newRTCSession', onNewSession);
  // Late attachment: the sessions the UA holds (an incoming one's usage from its INVITE's offer).
  for (const session of Object.values(ua._sessions ?? {})) if (!session.isEnded?.()) watchSession(session, session._request?.body);
  return shimMonitor(monitor, (session: JsSipSession) => {
    const pc = sessions.get(session)?.fabric?.pc;
    return pc && monitor.fabricFor(pc);
  });
}
