/**
 * Vendor shims that are over the 3 KB budget today, each with the ceiling it may not pass and why.
 *
 * This is a ratchet, not a waiver: the report shows these rows as over the budget, the bench fails
 * when one grows past its ceiling, and it fails too when one fits the budget again (then its entry
 * must go, so the budget holds for it from then on). Ceilings are the size measured when the entry
 * was written, rounded up to the next 64 bytes; lower them whenever a shim shrinks.
 */
export interface OverBudget {
  /** min+gzip bytes of `@shims/core` + this shim that the bench still accepts. */
  ceiling: number;
  why: string;
}

export const OVER_BUDGET: Readonly<Record<string, OverBudget>> = {
  '@shims/sipjs': {
    ceiling: 3392,
    why: 'hold detection from the SDP, mute, media failures and the session-description-handler factory hook are all behaviour; +109 B (3,264 → 3,373) for the core kernel every shim shares (options base, recorded patches and listeners undone by dispose, one handle shape)',
  },
  '@shims/amazon-chime': {
    ceiling: 4032,
    why: "the session's pc is reachable before its first event only through internals: accessors on each controller's meetingSessionContext and its peer (attendee and content-share controllers, put back at dispose); plus mute, camera pause/resume, content share and SSRC association of remote cameras, content shares and the mixed audio",
  },
  '@shims/livekit': {
    ceiling: 3904,
    why: "a Room holds its pcs in internals rebuilt on a full reconnect and on the two-pc fallback: accessors on room.engine and each transport's _pc catch every pc when it is stored; plus mute, screen share and remote-track SSRC association per participant",
  },
  '@shims/simple-peer': {
    ceiling: 4160,
    why: 'the wrtc constructor hook, late attachment to peer._pc and the simple-peer error-code mapping; +117 B (4,032 → 4,149) for the core kernel every shim shares',
  },
  '@shims/janus': {
    ceiling: 4224,
    why: 'plugin-handle capture in createOffer/createAnswer, re-offer after hangup, two oncleanup calls per pc',
  },
  '@shims/twilio-voice': {
    ceiling: 3392,
    why: "each call's pc through the Device's public RTCPeerConnection option with the app's class kept underneath (updateOptions watched), the pc tied to its Call (From/To or remoteUserID), the SDK's 53400/53402 errors mapped unless core saw the failure, mute, every way a call ends, destroy(), late attachment, and guards so nothing throws into the SDK's emit or the app's updateOptions",
  },
  '@shims/webrtc': {
    ceiling: 4160,
    why: 'two entry points (an app-owned pc, and the global tap: a chain-safe constructor proxy for RTCPeerConnection and its prefixed alias, prototype method watches that register a pc at its first negotiation call so probe pcs never reach callstats, and hand-over to a vendor shim that already holds a pc)',
  },
  '@shims/twilio-video': {
    ceiling: 6720,
    why: "two ways in (connect options and the fake pc of Step 1-bis, with its room.getStats() mapping) plus track, screen-share and participant mapping; +196 B (6,321 → 6,517) for reporting twilio-video's own getUserMedia failures (createLocalTracks), which no earlier release reported; +159 B (→ 6,676) for core's fake pc standing on the browser's RTCPeerConnection prototype, without which callstats.js in Firefox refuses it",
  },
};
