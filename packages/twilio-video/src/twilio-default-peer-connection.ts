// Twilio's own default pc class: what `connect()` uses when the app gives no `RTCPeerConnection`
// option (`ChromeRTCPeerConnection`, `FirefoxRTCPeerConnection`, `SafariRTCPeerConnection`, or the
// browser's class elsewhere), chosen by twilio-video when this module is first evaluated.
//
// An internal path, not public API: twilio-video has no exports map, so the deep path resolves, to
// the very module (and instance) that Twilio's `webrtc/index.js` requires. Pinned by the tested
// peer range (>=2.36.0 <3.0.0, see test/unit/supported-versions.test.ts). If a release moves or
// reshapes it, the shim falls back to the page's `RTCPeerConnection` and says so once.
import * as twilioPeerConnectionModule from 'twilio-video/es5/webrtc/rtcpeerconnection/index.js';
import type { PeerConnectionConstructor } from './twilio-types.js';

/** `module.exports` of a CommonJS module, however the bundler or runtime presents it. */
export function commonJsExport(namespace: unknown): unknown {
  if (typeof namespace === 'function') return namespace;
  return (namespace as { default?: unknown } | null)?.default;
}

/** Twilio's default pc class, or undefined when the module did not give a constructor. */
export function twilioDefaultPeerConnection(namespace: unknown = twilioPeerConnectionModule): PeerConnectionConstructor | undefined {
  const exported = commonJsExport(namespace);
  return typeof exported === 'function' ? (exported as PeerConnectionConstructor) : undefined;
}
