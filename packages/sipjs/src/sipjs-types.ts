// The parts of SIP.js 0.21 the shim touches, typed structurally so that no SIP.js type reaches
// this package's public declarations and no SIP.js code is imported at run time.

import type { ShimMonitor, SipMonitorOptions } from '@shims/core';

/** SIP.js's `Emitter<T>` (e.g. `session.stateChange`). */
interface SipJsEmitter<T> {
  addListener(listener: (data: T) => void, options?: { once?: boolean }): void;
  removeListener(listener: (data: T) => void): void;
}

/** A SIP.js `Session` (`Inviter` or `Invitation`). */
export interface SipJsSession {
  readonly state: string;
  readonly stateChange: SipJsEmitter<string>;
  readonly remoteIdentity?: { readonly uri?: { readonly user?: string | undefined; toString(): string } } | undefined;
  readonly sessionDescriptionHandler?: unknown;
}

/** What a `sessionDescriptionHandlerFactory` returns; the web SDH has a `peerConnection`. */
export interface SipJsSessionDescriptionHandler {
  readonly peerConnection?: RTCPeerConnection | undefined;
  /** Web SDH: (un)mutes every sender track; what `SimpleUser.mute()` calls. */
  enableSenderTracks?(enable: boolean): void;
  /** Web SDH (protected): where it gets local media; a rejection is a getUserMedia failure. */
  mediaStreamFactory?: (...args: never[]) => Promise<MediaStream>;
}

export type SipJsSessionDescriptionHandlerFactory = (session: SipJsSession, options?: unknown) => SipJsSessionDescriptionHandler;

/** A SIP.js `UserAgent`. */
export interface SipJsUserAgent {
  readonly configuration: { sessionDescriptionHandlerFactory?: SipJsSessionDescriptionHandlerFactory };
  /** Internal (0.21): the live sessions by id, taken when the shim attaches late. */
  readonly _sessions?: Readonly<Record<string, SipJsSession>>;
}

/** `remoteUserID` default: the user part of the remote SIP URI. */
export interface MonitorSipJsOptions extends SipMonitorOptions<SipJsSession> {}

/**
 * `fabricFor(session)`: the fabric of the session's current pc (its session description
 * handler's: the confirmed dialog's, with early-media forks), while monitored; `fabrics()` has
 * every pc's, forks included.
 */
export interface SipJsMonitor extends ShimMonitor<SipJsSession> {}
