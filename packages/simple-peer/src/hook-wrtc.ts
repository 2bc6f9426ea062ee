import type { WebRTCImplementation } from './simple-peer-types.js';

type PeerConnectionClass = new (...args: unknown[]) => object;

/**
 * What simple-peer would use without a `wrtc` option (its get-browser-rtc): the global
 * constructors, or undefined where there is no WebRTC (then simple-peer throws its own error).
 */
export function globalWebRTC(): WebRTCImplementation | undefined {
  const g = globalThis as Record<string, unknown>;
  const find = (name: string): unknown => g[name] ?? g[`moz${name}`] ?? g[`webkit${name}`];
  const RTCPeerConnection = find('RTCPeerConnection');
  if (typeof RTCPeerConnection !== 'function') return undefined;
  return {
    RTCPeerConnection: RTCPeerConnection as PeerConnectionClass,
    RTCSessionDescription: find('RTCSessionDescription'),
    RTCIceCandidate: find('RTCIceCandidate'),
  };
}

/**
 * A `wrtc` for one simple-peer: the given implementation, except that its RTCPeerConnection
 * hands every pc it builds to `onCreate` before returning it. simple-peer builds its pc in its
 * constructor and sets its handlers and data channel right after, so a pc registered here is
 * registered before any of its events. The pc is the implementation's own object (`instanceof`
 * holds); the given `wrtc` and the globals are left untouched.
 */
export function hookWebRTC(wrtc: WebRTCImplementation, onCreate: (pc: object) => void): WebRTCImplementation {
  const Native = wrtc.RTCPeerConnection as unknown as PeerConnectionClass;
  function RTCPeerConnection(this: unknown, ...args: unknown[]): object {
    const pc: object = Reflect.construct(Native, args);
    onCreate(pc);
    return pc;
  }
  RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(RTCPeerConnection, Native); // statics such as generateCertificate
  // Inherits everything else (RTCSessionDescription, RTCIceCandidate, nonstandard, ...).
  return Object.create(wrtc, {
    RTCPeerConnection: { value: RTCPeerConnection, enumerable: true, writable: true, configurable: true },
  }) as WebRTCImplementation;
}
