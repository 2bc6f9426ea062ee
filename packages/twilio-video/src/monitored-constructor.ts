import type { PeerConnectionConstructor } from './twilio-types.js';

/**
 * A constructor for `connect()`'s `RTCPeerConnection` option. Twilio builds every pc of the Room
 * through it (and nothing else: its codec probes and preflight use the global constructor), so
 * each pc is handed to `onCreated` the moment it exists, before Twilio calls anything on it. The
 * pc is built by `base` (the app's own option) or, read at that moment, the page's
 * `RTCPeerConnection`; it is that class's ordinary instance, returned as is.
 */
export function monitoredConstructor(base: PeerConnectionConstructor | undefined, onCreated: (pc: RTCPeerConnection) => void): PeerConnectionConstructor {
  function MonitoredRTCPeerConnection(this: unknown, ...args: unknown[]): RTCPeerConnection {
    const Base = base ?? (globalThis as { RTCPeerConnection?: PeerConnectionConstructor }).RTCPeerConnection;
    if (typeof Base !== 'function') throw new TypeError('RTCPeerConnection is not supported in this environment');
    if (new.target === undefined) throw new TypeError("Failed to construct 'RTCPeerConnection': Please use the 'new' operator");
    const pc = Reflect.construct(Base, args) as RTCPeerConnection;
    try {
      onCreated(pc);
    } catch {
      // The shim's failure must not keep the SDK from its pc.
    }
    return pc;
  }
  // Static members (`generateCertificate`) and `prototype` as the class the pc really is.
  const Reference = base ?? (globalThis as { RTCPeerConnection?: PeerConnectionConstructor }).RTCPeerConnection;
  if (typeof Reference === 'function') {
    Object.defineProperty(MonitoredRTCPeerConnection, 'prototype', { value: Reference.prototype });
    const generateCertificate = (Reference as { generateCertificate?: unknown }).generateCertificate;
    if (typeof generateCertificate === 'function') {
      Object.defineProperty(MonitoredRTCPeerConnection, 'generateCertificate', { value: generateCertificate.bind(Reference) });
    }
  }
  Object.defineProperty(MonitoredRTCPeerConnection, 'name', { value: 'RTCPeerConnection' });
  return MonitoredRTCPeerConnection as unknown as PeerConnectionConstructor;
}
