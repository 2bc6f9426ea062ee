import type { CallstatsClient } from '@shims/core';

/** What a driver is given for one run of a case. */
export interface DriverContext {
  /** The client to attach the shim to; `null` in the run without the shim. */
  client: CallstatsClient | null;
  conferenceID: string;
}

/** One call of the SDK under test, started by the driver, between two endpoints in the page. */
export interface DriverCall {
  /** Resolves when the call is up (media or data flowing), rejects when the app sees it fail. */
  readonly established: Promise<void>;
  /**
   * Settles when the app's own steps have run to their end, however the call went: the app's whole
   * flow, which may go on after the SDK reported a failure it survives (a failed `addIceCandidate`
   * leaves ICE to peer-reflexive candidates, and the call still carries its data). A case that saw
   * a failure waits for it, by a deadline, before it hangs up, so what the app saw does not depend
   * on how fast the machine or the network was.
   */
  readonly finished: Promise<unknown>;
  /** Mutes or unmutes the local track of this kind through the SDK's own API, where it has one. */
  setMuted?(kind: 'audio' | 'video', muted: boolean): Promise<void> | void;
  /** Ends the call the way an app would (hang up, close, destroy). */
  hangUp(): Promise<void> | void;
  /** Disposes the shim attached to this call; nothing to do in the run without it. */
  disposeShim(): void;
  /**
   * The `late` case: the call was started with `client: null` and is up; attach the shim now, the
   * way an app that creates its monitor mid-call would (the vendor's monitor function on the SDK
   * objects the driver holds). `disposeShim` and `hangUp` then act on this shim.
   */
  attachShim?(client: CallstatsClient): void;
  /**
   * Names that differ between runs (peer ids, SIP users with a random part) mapped to a stable
   * role, e.g. `{ [caller.id]: 'caller' }`: remote user IDs are compared across runs through it.
   */
  roles?(): Record<string, string>;
  /** What the app saw of the call, as plain data; must be equal with and without the shim. */
  appOutcome(): unknown;
  /** The errors the SDK handed the app, as the very objects it handed over. */
  appErrors(): unknown[];
}

/**
 * The small adapter each vendor package writes so the conformance suite can drive its SDK:
 * start a call, hang up, mute, dispose. Failures are injected by the suite below the SDK.
 */
export interface ConformanceDriver {
  /** The SDK and version under test, e.g. `peerjs@1.5.5`. */
  readonly name: string;
  startCall(context: DriverContext): Promise<DriverCall> | DriverCall;
}
