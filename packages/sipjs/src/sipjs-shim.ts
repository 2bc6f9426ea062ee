import {
  createShimMonitor,
  FABRIC_USAGES,
  invalidArgument,
  replaceMethod,
  requireOneOf,
  withDisposeSymbol,
  type CallstatsClient,
  type FabricHandle,
  type FabricUsage,
  type ShimLogger,
} from '@shims/core';
import { usageOfOffer } from './fabric-usage.js';
import { sdpHolds } from './sdp-hold.js';
import type { SipJsSession, SipJsSessionDescriptionHandler, SipJsUserAgent } from './sipjs-types.js';

export interface MonitorSipJsOptions {
  /** The conference every session of this user agent belongs to. */
  conferenceID: string;
  /** The user ID callstats shows for the other side; default: the user part of its SIP URI. */
  remoteUserID?: (session: SipJsSession) => string;
  /**
   * The usage of outgoing sessions, whose pc exists before their offer: `audio`, `video` or
   * `multiplex` (default). Incoming sessions take theirs from the offer they received.
   */
  outgoingFabricUsage?: FabricUsage;
  /** Attach SDP to reported errors (it carries IP addresses). Default: false. */
  collectSDP?: boolean;
  /** Where failures of the monitoring itself go; default: `console.warn`, once per kind. */
  logger?: ShimLogger;
}

export interface SipJsMonitor extends Disposable {
  /** The fabrics of a session (one per pc: more with early-media forks), while monitored. */
  fabricsOf(session: SipJsSession): FabricHandle[];
  /** Stops monitoring: the factory, every listener and wrapper the shim added are put back; nothing more is sent. */
  dispose(): void;
}

const SOURCE = '@shims/sipjs';
const WHERE = 'monitorSipJs';
const USER_AGENT_REQUIREMENT = 'must be a SIP.js UserAgent (with a replaceable configuration.sessionDescriptionHandlerFactory)';

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

function defaultRemoteUserID(session: SipJsSession): string {
  const uri = session.remoteIdentity?.uri;
  // The user part if it has one, else the whole URI as text, else (neither) 'unknown'.
  return (typeof uri?.user === 'string' && uri.user) || (uri && String(uri)) || 'unknown';
}

/**
 * Monitors every session a SIP.js `UserAgent` makes or receives from now on, through its
 * `sessionDescriptionHandlerFactory`: each pc is added to callstats the moment its session
 * description handler is built (in `invite()`, `accept()`, and for each early-media fork), its
 * failures are reported with the function that failed and the original error, hold and mute
 * become fabric events, and the session's `Terminated` state sends one `fabricTerminated` per pc.
 */
export function monitorSipJs(client: CallstatsClient, userAgent: SipJsUserAgent, options: MonitorSipJsOptions): SipJsMonitor {
  requireUserAgent(userAgent);
  const monitor = createShimMonitor(client, options, SOURCE);
  if (options.remoteUserID !== undefined && typeof options.remoteUserID !== 'function') {
    throw invalidArgument(WHERE, 'options.remoteUserID', 'must be a function of the session', options.remoteUserID);
  }
  const outgoingUsage = options.outgoingFabricUsage ?? 'multiplex';
  requireOneOf(outgoingUsage, FABRIC_USAGES, 'options.outgoingFabricUsage', WHERE);
  const userOf = options.remoteUserID ?? defaultRemoteUserID;
  interface Watched {
    fabrics: FabricHandle[];
    undo: Array<() => void>;
  }
  const sessions = new Map<SipJsSession, Watched>();

  const endSession = (session: SipJsSession): void => {
    const watched = sessions.get(session);
    if (!watched) return;
    sessions.delete(session);
    for (const step of watched.undo.splice(0).reverse()) step();
  };

  const watchSession = (session: SipJsSession): Watched => {
    const existing = sessions.get(session);
    if (existing) return existing;
    const watched: Watched = { fabrics: [], undo: [] };
    sessions.set(session, watched);
    // SIP.js reaches Terminated at BYE, CANCEL, rejection or dispose(), and closes the pc only
    // later (after the BYE's response, or never for a fork): the fabric ends here.
    const onState = (state: string): void => {
      if (state !== 'Terminated') return;
      for (const fabric of watched.fabrics) fabric.terminate();
      endSession(session);
    };
    session.stateChange.addListener(onState);
    watched.undo.push(() => session.stateChange.removeListener(onState));
    return watched;
  };

  /** A new session description handler: its pc becomes a fabric now, before any of its events. */
  const watchHandler = (session: SipJsSession, sdh: SipJsSessionDescriptionHandler): void => {
    const pc = sdh?.peerConnection;
    if (!pc || monitor.disposed || session?.state === 'Terminated' || typeof session?.stateChange?.addListener !== 'function') return;
    const watched = watchSession(session);
    // An Invitation (it has accept()) was built from the offer it received.
    const incoming = typeof (session as { accept?: unknown }).accept === 'function';
    const usage = incoming ? usageOfOffer((session as { request?: { body?: string } }).request?.body) : outgoingUsage;
    // The pc's methods are wrapped (addFabric's default): SIP.js surfaces pc failures only as
    // rejected promises, so the wrapper is where each is reported, once, with the original error.
    const fabric = monitor.addFabric(pc, { remoteUserID: String(userOf(session)), fabricUsage: usage });
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
    pc.addEventListener('signalingstatechange', onSignaling);
    watched.undo.push(() => pc.removeEventListener('signalingstatechange', onSignaling));

    // Mute: the web SDH's enableSenderTracks (what SimpleUser.mute()/unmute() call).
    const unwrapMute = replaceMethod(sdh, 'enableSenderTracks', (enableSenderTracks) =>
      function enableSenderTracksWatched(this: unknown, enable: boolean): void {
        const changing = pc.getSenders().filter((s) => s.track && s.track.enabled !== Boolean(enable)).map((s) => s.track!.kind);
        enableSenderTracks.call(this, enable);
        if (changing.includes('audio')) fabric.send(enable ? 'audioUnmute' : 'audioMute');
        if (changing.includes('video')) fabric.send(enable ? 'videoResume' : 'videoPause');
      },
    );
    if (unwrapMute) watched.undo.push(unwrapMute);

    // getUserMedia: the web SDH gets local media from its mediaStreamFactory; a rejection is
    // reported while the fabric is live, before SIP.js fails the session.
    const unwrapMedia = replaceMethod(sdh, 'mediaStreamFactory', (mediaStreamFactory) =>
      function mediaStreamFactoryWatched(this: unknown, ...args: unknown[]): Promise<MediaStream> {
        return mediaStreamFactory.apply(this, args).catch((error: unknown) => {
          fabric.reportError('getUserMedia', error);
          throw error;
        });
      },
    );
    if (unwrapMute) watched.undo.push(unwrapMute);
    if (unwrapMedia) watched.undo.push(unwrapMedia);
    else {
      monitor.warn('missing:mediaStreamFactory', 'the session description handler has no mediaStreamFactory: getUserMedia failures are not reported');
    }
  };

  const restoreFactory = replaceMethod(userAgent.configuration, 'sessionDescriptionHandlerFactory', (original) =>
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
  if (!restoreFactory) throw invalidArgument(WHERE, 'userAgent', USER_AGENT_REQUIREMENT, userAgent);

  const fabricsOf = (session: SipJsSession): FabricHandle[] => (sessions.get(session)?.fabrics ?? []).filter((f) => f.active);
  const dispose = (): void => {
    if (monitor.disposed) return;
    restoreFactory();
    for (const session of [...sessions.keys()]) endSession(session);
    monitor.dispose();
  };
  return withDisposeSymbol({ fabricsOf, dispose });
}
