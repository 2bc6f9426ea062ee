import {
  createShimMonitor,
  FABRIC_USAGES,
  invalidArgument,
  requireOneOf,
  withDisposeSymbol,
  type CallstatsClient,
  type FabricHandle,
  type FabricLifecycleEvent,
  type FabricUsage,
  type ShimLogger,
} from '@shims/core';
import { usageOfOffer } from './fabric-usage.js';
import type { JsSipEmitter, JsSipNewSessionEvent, JsSipSession, JsSipUA, Listener } from './jssip-types.js';

export interface MonitorJsSipOptions {
  /** The conference every session of this UA belongs to. */
  conferenceID: string;
  /** The user ID callstats shows for the other side; default: the user part of its SIP URI. */
  remoteUserID?: (session: JsSipSession) => string;
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

export interface JsSipMonitor extends Disposable {
  /** The fabric of a session, while it is monitored. */
  fabricOf(session: JsSipSession): FabricHandle | undefined;
  /** Stops monitoring: every listener and wrapper the shim added is removed; nothing more is sent. */
  dispose(): void;
}

const SOURCE = '@shims/jssip';
const WHERE = 'monitorJsSip';

function requireUA(ua: unknown): asserts ua is JsSipUA {
  const u = ua as Partial<JsSipUA> | null;
  if (typeof u !== 'object' || u === null || typeof u.on !== 'function' || typeof u.call !== 'function') {
    throw invalidArgument(WHERE, 'ua', 'must be a JsSIP UA (with call and on)', ua);
  }
}

const off = (emitter: JsSipEmitter, event: string, listener: Listener): void => {
  (emitter.off ?? emitter.removeListener)?.call(emitter, event, listener);
};

function defaultRemoteUserID(session: JsSipSession): string {
  const uri = session.remote_identity?.uri;
  // The user part if it has one, else the whole URI as text, else (neither) 'unknown'.
  return (typeof uri?.user === 'string' && uri.user) || (uri && String(uri)) || 'unknown';
}

/**
 * Monitors every call session a JsSIP `UA` makes or receives from now on: each session's pc is
 * added to callstats the moment JsSIP builds it (in `ua.call()` for an outgoing session, in
 * `answer()` for an incoming one), its failures are reported with the function that failed and
 * the original error, hold/unhold and mute/unmute become fabric events, and its end sends one
 * `fabricTerminated`.
 */
export function monitorJsSip(client: CallstatsClient, ua: JsSipUA, options: MonitorJsSipOptions): JsSipMonitor {
  requireUA(ua);
  const monitor = createShimMonitor(client, options, SOURCE);
  if (options.remoteUserID !== undefined && typeof options.remoteUserID !== 'function') {
    throw invalidArgument(WHERE, 'options.remoteUserID', 'must be a function of the session', options.remoteUserID);
  }
  const outgoingUsage = options.outgoingFabricUsage ?? 'multiplex';
  requireOneOf(outgoingUsage, FABRIC_USAGES, 'options.outgoingFabricUsage', WHERE);
  const userOf = options.remoteUserID ?? defaultRemoteUserID;
  /** Per live session: its fabric (once its pc exists) and what removes the shim's listeners. */
  const sessions = new Map<JsSipSession, { fabric?: FabricHandle; cleanup: () => void }>();

  const watchSession = (session: JsSipSession, offerSdp: string | null | undefined): void => {
    if (sessions.has(session)) return;
    const listeners: Array<[string, Listener]> = [];
    const entry: { fabric?: FabricHandle; cleanup: () => void } = {
      cleanup: () => {
        if (sessions.get(session) !== entry) return;
        sessions.delete(session);
        for (const [event, listener] of listeners.splice(0)) off(session, event, listener);
      },
    };
    sessions.set(session, entry);
    const listen = (event: string, listener: (...args: never[]) => void): void => {
      session.on(event, listener);
      listeners.push([event, listener]);
    };
    const usage = session.direction === 'incoming' ? usageOfOffer(offerSdp) : outgoingUsage;

    const addPc = (pc: RTCPeerConnection | null | undefined): void => {
      if (!pc || monitor.disposed || entry.fabric?.pc === pc) return;
      // The pc's methods are wrapped (addFabric's default): every pc failure reaches reportError
      // once, from the wrapper, with the original error and before JsSIP reacts to it. JsSIP's
      // `peerconnection:*failed` events hand the app that same error afterwards; the shim does not
      // report them again. The wrapper also sees what those events never carry (addIceCandidate)
      // and its close() ends the fabric when JsSIP closes the pc.
      entry.fabric = monitor.addFabric(pc, { remoteUserID: String(userOf(session)), fabricUsage: usage });
    };
    // Outgoing: JsSIP built the pc in ua.call(), before newRTCSession; no event of it has run yet.
    addPc(session.connection);
    // Incoming: the pc is built in answer(), which emits `peerconnection` before using it.
    listen('peerconnection', ((event: { peerconnection?: RTCPeerConnection }) => addPc(event?.peerconnection)) as Listener);

    // JsSIP fails the session (closing its pc, which ends the fabric) before it emits
    // `getusermediafailed`, so the failure is reported as callstats reports media failures:
    // for the conference, with no pc.
    listen('getusermediafailed', ((error: unknown) => monitor.reportMediaError(error)) as Listener);

    const send = (event: FabricLifecycleEvent): void => entry.fabric?.send(event);
    // Either side may hold: the fabric is on hold while at least one does.
    const holders = new Set<string>();
    listen('hold', ((event: { originator?: string }) => {
      const before = holders.size;
      holders.add(event?.originator ?? 'local');
      if (before === 0) send('fabricHold');
    }) as Listener);
    listen('unhold', ((event: { originator?: string }) => {
      if (!holders.delete(event?.originator ?? 'local')) return;
      if (holders.size === 0) send('fabricResume');
    }) as Listener);
    listen('muted', ((event: { audio?: boolean; video?: boolean }) => {
      if (event?.audio) send('audioMute');
      if (event?.video) send('videoPause');
    }) as Listener);
    listen('unmuted', ((event: { audio?: boolean; video?: boolean }) => {
      if (event?.audio) send('audioUnmute');
      if (event?.video) send('videoResume');
    }) as Listener);

    // JsSIP closes the pc (ending the fabric through the close wrapper) just before it emits
    // `ended` or `failed`; these cover a pc it left open. terminate() sends only once. The
    // listeners go a microtask later: JsSIP emits `getusermediafailed` right after `failed`.
    const end = (): void => {
      entry.fabric?.terminate();
      queueMicrotask(entry.cleanup);
    };
    listen('ended', end as Listener);
    listen('failed', end as Listener);
  };

  const onNewSession = ((event: JsSipNewSessionEvent) => {
    if (monitor.disposed || !event?.session) return;
    watchSession(event.session, event.originator === 'remote' ? event.request?.body : undefined);
  }) as Listener;
  ua.on('newRTCSession', onNewSession);

  const fabricOf = (session: JsSipSession): FabricHandle | undefined => {
    const fabric = sessions.get(session)?.fabric;
    return fabric?.active ? fabric : undefined;
  };
  const dispose = (): void => {
    if (monitor.disposed) return;
    off(ua, 'newRTCSession', onNewSession);
    for (const { cleanup } of [...sessions.values()]) cleanup();
    monitor.dispose();
  };
  return withDisposeSymbol({ fabricOf, dispose });
}
