/** A pc class as the Device's `RTCPeerConnection` option takes it. */
export type PeerConnectionConstructor = new (configuration?: RTCConfiguration) => RTCPeerConnection;

/**
 * What the class reads at each construction. The shim changes both fields: `base` when the app
 * sets a class of its own, `created` to undefined at dispose, so that a Device which keeps the
 * class (a destroyed one cannot be given its option back) holds nothing of the monitor.
 */
export interface ConstructorHooks {
  /** The class the SDK would have used: the app's own option; the page's `RTCPeerConnection` when undefined. */
  base?: unknown;
  created?: (pc: RTCPeerConnection) => void;
}

/**
 * The class given to the Device's `RTCPeerConnection` option. The SDK builds each call's pc with
 * `new options.RTCPeerConnection(rtcConfiguration)` (`rtc/rtcpc.ts`) and nothing else through
 * it; this builds the pc with the class it would have used and hands it to `created` before the
 * SDK gets it, so its first method call already goes through core's wrappers. A class that throws
 * throws to the SDK as before, and registers nothing.
 */
export function monitoredConstructor(hooks: ConstructorHooks): PeerConnectionConstructor {
  function RTCPeerConnection(...args: unknown[]): RTCPeerConnection {
    const pc = Reflect.construct((hooks.base ?? globalThis.RTCPeerConnection) as PeerConnectionConstructor, args) as RTCPeerConnection;
    try {
      hooks.created?.(pc);
    } catch {
      // The shim's failure must not keep the SDK from its pc.
    }
    return pc;
  }
  return RTCPeerConnection as unknown as PeerConnectionConstructor;
}
