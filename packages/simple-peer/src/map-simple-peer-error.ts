import type { PeerConnectionFunction, WebRTCFunction } from '@shims/core';

// simple-peer ends a call on error with `destroy(err)`, `err.code` naming the step that failed;
// it closes the pc a microtask later and only then emits `error`. The shim reads the error at
// `destroy(err)`, while the fabric is still open, and decides here what callstats.js is told.
// Errors simple-peer throws to the caller instead (ERR_WEBRTC_SUPPORT, ERR_DESTROYED,
// ERR_SENDER_*, ERR_TRACK_NOT_ADDED) never pass through `destroy` and are not seen.

/** What the shim reports when simple-peer destroys a peer with an error of a given code. */
export type SimplePeerErrorMapping =
  /**
   * A pc call failed. @shims/core's pc wrapper has already reported that failure, with the
   * original DOMException, before simple-peer's `catch` ran. The shim reports under `fn` only
   * when the wrapper saw no failure of `fn` on this pc: then the error came from simple-peer's
   * code around the call (the app's `sdpTransform` throwing, a candidate it cannot parse).
   */
  | { readonly report: 'unless-pc-call-failed'; readonly fn: PeerConnectionFunction }
  /**
   * ICE or the connection failed. callstats.js listens to `iceconnectionstatechange` itself and
   * reports an ICE failure it sees; the shim reports only what it cannot see (see the shim).
   */
  | { readonly report: 'unless-callstats-saw-ice-failure'; readonly fn: 'iceConnectionFailure' }
  | { readonly report: 'always'; readonly fn: WebRTCFunction }
  | { readonly report: 'never'; readonly fn: null };

const pcCall = (fn: PeerConnectionFunction): SimplePeerErrorMapping => ({ report: 'unless-pc-call-failed', fn });
const iceFailure: SimplePeerErrorMapping = { report: 'unless-callstats-saw-ice-failure', fn: 'iceConnectionFailure' };
const never: SimplePeerErrorMapping = { report: 'never', fn: null };

const MAPPINGS: Readonly<Record<string, SimplePeerErrorMapping>> = {
  ERR_CREATE_OFFER: pcCall('createOffer'),
  ERR_CREATE_ANSWER: pcCall('createAnswer'),
  ERR_SET_LOCAL_DESCRIPTION: pcCall('setLocalDescription'),
  ERR_SET_REMOTE_DESCRIPTION: pcCall('setRemoteDescription'),
  ERR_ADD_ICE_CANDIDATE: pcCall('addIceCandidate'),
  ERR_ICE_CONNECTION_FAILURE: iceFailure,
  // connectionState `failed` while ICE is not failed is a DTLS failure: callstats.js does not
  // listen to connectionstatechange, so this one is reported (as the nearest function it has).
  ERR_CONNECTION_FAILURE: iceFailure,
  // The pc was closed: its close() already sent fabricTerminated; nothing failed.
  ERR_ICE_CONNECTION_CLOSED: never,
  // The pc constructor threw: there is no pc to report on, and the app receives the error.
  ERR_PC_CONSTRUCTOR: never,
  // `peer.signal()` got data it cannot read: the app's signaling channel is at fault.
  ERR_SIGNALING: { report: 'always', fn: 'signalingError' },
  // callstats.js has no data channel function; the error goes to its application error log
  // (but a remote hang-up that aborts the channel is no error: see isRemoteAbort).
  ERR_DATA_CHANNEL: { report: 'always', fn: 'applicationError' },
};

/**
 * Anything else (ERR_ADD_TRANSCEIVER, ERR_REMOVE_TRACK, ERR_UNSUPPORTED_REPLACETRACK,
 * ERR_PC_PEER_IDENTITY, an error the app passes to `peer.destroy(err)`, a code of a later
 * simple-peer): it ended the call, so callstats.js hears of it as an application error.
 */
export const FALLBACK_MAPPING: SimplePeerErrorMapping = { report: 'always', fn: 'applicationError' };

/**
 * The remote peer closed its pc: Chromium aborts the SCTP association, and the data channel's
 * `error` event carries an RTCError with SCTP cause 12, "User-Initiated Abort, reason=Close
 * called". simple-peer destroys the peer with it as ERR_DATA_CHANNEL (about one remote hang-up
 * in twenty here; the others close the channel first). A hang-up, not a failure.
 */
function isRemoteAbort(error: object): boolean {
  return (error as { sctpCauseCode?: unknown }).sctpCauseCode === 12;
}

/** The mapping for an error simple-peer destroys a peer with, by its `code` (none or unknown → the fallback). */
export function mapSimplePeerError(error: unknown): SimplePeerErrorMapping {
  if (typeof error !== 'object' || error === null) return FALLBACK_MAPPING;
  const { code } = error as { code?: unknown };
  if (typeof code !== 'string' || !Object.hasOwn(MAPPINGS, code)) return FALLBACK_MAPPING;
  if (code === 'ERR_DATA_CHANNEL' && isRemoteAbort(error)) return never;
  return MAPPINGS[code]!;
}

/** The codes with a mapping of their own, for documentation and tests. */
export const MAPPED_CODES: readonly string[] = /* @__PURE__ */ Object.keys(MAPPINGS);
