import { capturePeerConnections } from '@shims/core';
import type { PeerConnectionConstructor } from './twilio-types.js';

/**
 * A constructor for `connect()`'s `RTCPeerConnection` option. Twilio builds every pc of the Room
 * through it (and nothing else: its codec probes and preflight use the global constructor), and
 * gets what the class it would have used builds:
 *
 * - the app's own option (`base`): its instance, handed to `onCreated` as is;
 * - else Twilio's own default class (`twilioDefault`, its per-browser wrapper, e.g.
 *   `ChromeRTCPeerConnection`), so the app's call behaves exactly as without the shim. That class
 *   builds the browser's pc inside its constructor with the global `RTCPeerConnection`, which is
 *   swapped for that one synchronous step (core's `capturePeerConnections`): the native pc, not
 *   the wrapper, goes to `onCreated` (see `registeredPc` in the shim for why). A default class that
 *   is the browser's own (other browsers) builds the native pc itself: the instance goes then.
 * - else (no default class could be loaded) the page's `RTCPeerConnection`, read at that moment.
 *
 * `onCreated` runs once the constructor has returned, before Twilio calls anything on the pc;
 * a constructor that throws registers nothing.
 */
export function monitoredConstructor(
  base: PeerConnectionConstructor | undefined,
  twilioDefault: PeerConnectionConstructor | undefined,
  onCreated: (pc: RTCPeerConnection) => void,
): PeerConnectionConstructor {
  const reference = (): PeerConnectionConstructor | undefined =>
    base ?? twilioDefault ?? (globalThis as { RTCPeerConnection?: PeerConnectionConstructor }).RTCPeerConnection;
  const register = (pc: RTCPeerConnection): void => {
    try {
      onCreated(pc);
    } catch {
      // The shim's failure must not keep the SDK from its pc.
    }
  };
  function MonitoredRTCPeerConnection(this: unknown, ...args: unknown[]): RTCPeerConnection {
    const Base = reference();
    if (typeof Base !== 'function') throw new TypeError('RTCPeerConnection is not supported in this environment');
    if (new.target === undefined) throw new TypeError("Failed to construct 'RTCPeerConnection': Please use the 'new' operator");
    if (base !== undefined || Base !== twilioDefault) {
      const pc = Reflect.construct(Base, args) as RTCPeerConnection;
      register(pc);
      return pc;
    }
    const natives: RTCPeerConnection[] = [];
    const pc = capturePeerConnections(
      (native) => natives.push(native),
      () => Reflect.construct(Base, args) as RTCPeerConnection,
    );
    for (const native of natives.length > 0 ? natives : [pc]) register(native);
    return pc;
  }
  // Static members (`generateCertificate`) and `prototype` as the class the pc really is.
  const Reference = reference();
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
