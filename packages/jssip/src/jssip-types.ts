// The parts of JsSIP 3.x the shim touches, typed structurally so that no JsSIP type reaches this
// package's public declarations and no JsSIP code is imported at run time.

export type Listener = (...args: never[]) => void;

export interface JsSipEmitter {
  on(event: string, listener: Listener): unknown;
  off?(event: string, listener: Listener): unknown;
  removeListener?(event: string, listener: Listener): unknown;
}

/** A JsSIP `RTCSession`: one call. */
export interface JsSipSession extends JsSipEmitter {
  /** The pc; `null` on an incoming session until `answer()`. */
  readonly connection: RTCPeerConnection | null | undefined;
  readonly direction: 'incoming' | 'outgoing' | null;
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
}
