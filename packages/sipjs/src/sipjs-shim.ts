import {
  createScope,
  createShimMonitor,
  invalidArgument,
  listenOn,
  outgoingUsageOf,
  patchMethod,
  sdpHolds,
  shimMonitor,
  sipUserOf,
  usageOfOffer,
  type CallstatsClient,
  type FabricHandle,
  type ShimScope,
} from '@shims/core';
import type { MonitorSipJsOptions, SipJsMonitor, SipJsSession, SipJsSessionDescriptionHandler, SipJsUserAgent } from './sipjs-types.js';

const WHERE = 'monitorSipJs';
const USER_AGENT_REQUIREMENT = 'must be a SIP.js UserAgent (its configuration.sessionDescriptionHandlerFactory writable)';

function requireUserAgent(userAgent: unknown): asserts userAgent is SipJsUserAgent {
  const ua = userAgent as Partial<SipJsUserAgent> | null;
  if (
    typeof ua !== 'object' ||
    ua === null ||
    typeof ua.configuration !== 'object' ||
    ua.configuration === null ||
    typeof ua.configuration.sessionDescriptionHandlerFactory !== 'function'
  ) {
    throw invalidArgument(WHERE, 'userAgent', USER_AGENT_REQUIREMENT, userAgent);
  }
}

/**
 * Monitors every session a SIP.js `UserAgent` holds, makes or receives: a live session's pc is
 * added at once (late attachment), and through the `sessionDescriptionHandlerFactory` each new pc
 * is added the moment its session description handler is built (in `invite()`, `accept()`, and
 * for each early-media fork); its failures are reported with the function that failed and the
 * original error, hold and mute become fabric events, and the session's `Terminated` state sends one `fabricTerminated` per pc.
 */
export function monitorSipJs(client: CallstatsClient, userAgent: SipJsUserAgent, options: MonitorSipJsOptions): SipJsMonitor {
  requireUserAgent(userAgent);
  const monitor = createShimMonitor(client, options, '@shims/sipjs', (session: SipJsSession) => sipUserOf(session.remoteIdentity));
  const outgoingUsage = outgoingUsageOf(options, WHERE);
  /** Per live session: its fabrics (one per pc) and its changes, undone when it ends. */
  const sessions = new Map<SipJsSession, { fabrics: FabricHandle[]; scope: ShimScope }>();

  const watchSession = (session: SipJsSession) => {
    const existing = sessions.get(session);
    if (existing) return existing;
    const scope = createScope(monitor);
    const entry = { fabrics: [] as FabricHandle[], scope };
    sessions.set(session, entry);
    scope.onDispose(() => sessions.delete(session));
    // SIP.js reaches Terminated at BYE, CANCEL, rejection or dispose(), and closes the pc only
    // later (after the BYE's response, or never for a fork): the fabric ends here.
    const onState = (state: string): void => {
      if (state !== 'Terminated') return;
      for (const fabric of entry.fabrics) fabric.terminate();
      scope.dispose();
    };
    // SIP.js's Emitter takes no event name.
    session.stateChange.addListener(onState);
    scope.onDispose(() => session.stateChange.removeListener(onState));
    return entry;
  };

  /** A new session description handler: its pc becomes a fabric now, before any of its events. */
  const watchHandler = (session: SipJsSession, sdh: SipJsSessionDescriptionHandler): void => {
    const pc = sdh?.peerConnection;
    if (!pc || monitor.disposed || session?.state === 'Terminated' || typeof session?.stateChange?.addListener !== 'function') return;
    const watched = watchSession(session);
    // An Invitation (it has accept()) was built from the offer it received.
    const incoming = typeof (session as { accept?: unknown }).accept === 'function';
    const usage = incoming ? usageOfOffer((session as { request?: { body?: string } }).request?.body, true) : outgoingUsage;
    // The pc's methods are wrapped (addFabric's default): SIP.js surfaces pc failures only as
    // rejected promises, so the wrapper is where each is reported, once, with the original error.
    const fabric = monitor.addFabric(pc, { remoteUserID: monitor.userOf(session), fabricUsage: usage });
    watched.fabrics.push(fabric);

    // Hold, whichever way the app asks SIP.js for it (`hold` option, `SimpleUser.hold()`, SDP
    // modifiers) and whichever side holds: read from the descriptions each time negotiation
    // settles. The first settled state is the baseline (a one-way call is not a hold).
    let held: boolean | undefined;
    const onSignaling = (): void => {
      if (pc.signalingState !== 'stable' || !pc.localDescription || !pc.remoteDescription) return;
      const now = sdpHolds(pc.localDescription.sdp) || sdpHolds(pc.remoteDescription.sdp);
      if (held !== undefined && now !== held) fabric.send(now ? 'fabricHold' : 'fabricResume');
      held = now;
    };
    const { scope } = watched;
    listenOn(scope, pc, 'signalingstatechange', onSignaling);

    // Mute: the web SDH's enableSenderTracks (what SimpleUser.mute()/unmute() call).
    patchMethod(
      scope,
      sdh,
      'enableSenderTracks',
      (enableSenderTracks) =>
        function enableSenderTracksWatched(this: unknown, enable: boolean): void {
          const changing = pc
            .getSenders()
            .filter((s) => s.track && s.track.enabled !== Boolean(enable))
            .map((s) => s.track!.kind);
          enableSenderTracks.call(this, enable);
          if (changing.includes('audio')) fabric.send(enable ? 'audioUnmute' : 'audioMute');
          if (changing.includes('video')) fabric.send(enable ? 'videoResume' : 'videoPause');
        },
    );

    // getUserMedia: the web SDH gets local media from its mediaStreamFactory; a rejection is
    // reported through core's media path (no pc: getUserMedia is no pc function), as every shim does.
    const watchingMedia = patchMethod(
      scope,
      sdh,
      'mediaStreamFactory',
      (mediaStreamFactory) =>
        function mediaStreamFactoryWatched(this: unknown, ...args: unknown[]): Promise<MediaStream> {
          return mediaStreamFactory.apply(this, args).catch((error: unknown) => {
            monitor.reportMediaError(error);
            throw error;
          });
        },
    );
    if (!watchingMedia) {
      monitor.warn('missing:mediaStreamFactory', 'mediaStreamFactory not found: getUserMedia failures are not reported');
    }
  };

  const factoryWatched = patchMethod(
    monitor,
    userAgent.configuration,
    'sessionDescriptionHandlerFactory',
    (original) =>
      function sessionDescriptionHandlerFactoryWatched(this: unknown, session: SipJsSession, factoryOptions: unknown) {
        const sdh: SipJsSessionDescriptionHandler = original.call(this, session, factoryOptions);
        if (!monitor.disposed) {
          try {
            watchHandler(session, sdh);
          } catch (error) {
            // The shim's failure must not stop SIP.js from getting its handler.
            monitor.warn('watch', `could not monitor a session: ${String(error)}`);
          }
        }
        return sdh;
      },
  );
  // A frozen configuration: nothing was replaced, so nothing is left behind by the throw.
  if (!factoryWatched) throw invalidArgument(WHERE, 'userAgent', USER_AGENT_REQUIREMENT, userAgent);

  // Late attachment: the sessions the UserAgent holds, each with its current handler's pc.
  for (const session of Object.values(userAgent._sessions ?? {}))
    watchHandler(session, session.sessionDescriptionHandler as SipJsSessionDescriptionHandler);

  // The session's current pc: its session description handler's (the confirmed dialog's, with forks).
  return shimMonitor(monitor, (session: SipJsSession) => {
    const pc = (session?.sessionDescriptionHandler as SipJsSessionDescriptionHandler | undefined)?.peerConnection;
    return pc && monitor.fabricFor(pc);
  });
}
