// The parts of JsSIP 3.x the shim touches, typed structurally so that no JsSIP type reaches this
// package's public declarations and no JsSIP code is imported at run time.

import type { EmitterLike, ShimMonitor, SipMonitorOptions } from '@shims/core';

/** Its events, through `@shims/core`'s `listenOn`. */
interface JsSipEmitter extends EmitterLike {}

/** A JsSIP `RTCSession`: one call. */
export interface JsSipSession extends JsSipEmitter {
  /** The pc; `null` on an incoming session until `answer()`. */
  readonly connection: RTCPeerConnection | null | undefined;
  readonly direction: 'incoming' | 'outgoing' | null;
  isEnded?(): boolean;
  /** Internal: the INVITE (an incoming session's `body` is the remote offer). */
  readonly _request?: { readonly body?: string | null } | null;
  readonly remote_identity?: { readonly uri?: { readonly user?: string | null; toString(): string } } | null;
}

/** What the UA's `newRTCSession` event carries. */
export interface JsSipNewSessionEvent {
  originator: 'local' | 'remote';
  session: JsSipSession;
  request?: { body?: string | null } | null;
}

/** A JsSIP `UA`. */
export interface JsSipUA extends JsSipEmitter {
  call(target: string, options?: unknown): JsSipSession;
  /** Internal (3.x): the live sessions by id, taken when the shim attaches late. */
  readonly _sessions?: Readonly<Record<string, JsSipSession>>;
}

/** `remoteUserID` default: the user part of the remote SIP URI. */
export interface MonitorJsSipOptions extends SipMonitorOptions<JsSipSession> {}

/** `fabricFor(session)`: the fabric of a session, while it is monitored. */
export interface JsSipMonitor extends ShimMonitor<JsSipSession> {}
