// Imported first by the page: what the browser's constructor looks like, then the tap, before any
// SDK module reads `RTCPeerConnection` (as '@shims/testkit/page' does in a conformance page).
import { installPeerConnectionTap } from '../../src/page/pc-tap.ts';

export const NativePeerConnection = globalThis.RTCPeerConnection;
export const nativePrototype = NativePeerConnection.prototype;
export const nativeOwnNames = Object.getOwnPropertyNames(nativePrototype).sort();
export const tap = installPeerConnectionTap();
