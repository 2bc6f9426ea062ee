import type { ShimChanges } from '@shims/core';

type PeerConnectionClass = typeof RTCPeerConnection;

/** The global names a page's pc constructor goes by: the standard one and the prefixed aliases. */
const CONSTRUCTOR_NAMES = ['RTCPeerConnection', 'webkitRTCPeerConnection', 'mozRTCPeerConnection'] as const;

/**
 * Replaces each global pc constructor (the standard name and the prefixed aliases present) with
 * a Proxy of what is there now (the browser's class, or a wrapper another library installed)
 * that hands every pc it builds to `onCreated`. A Proxy keeps everything else of the constructor:
 * `prototype` (so `instanceof` holds), statics such as `generateCertificate`, `name`, `length`;
 * `class X extends RTCPeerConnection` builds an X through it. `onCreated` never throws into the app.
 *
 * Undone at `owner`'s dispose: a global still holding our Proxy gets back exactly what it held;
 * one that another library has wrapped since keeps our Proxy under that wrapper, forwarding only
 * (removing it would cut their chain). Returns the prototypes the constructors build.
 */
export function tapGlobalConstructors(owner: ShimChanges, onCreated: (pc: RTCPeerConnection, args: readonly unknown[]) => void): Set<object> {
  const holder = globalThis as unknown as Record<string, unknown>;
  const proxies = new Map<unknown, PeerConnectionClass>();
  const prototypes = new Set<object>();
  let active = true;
  owner.onDispose(() => (active = false));
  for (const name of CONSTRUCTOR_NAMES) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, name);
    const original = holder[name];
    if (typeof original !== 'function') continue;
    let proxy = proxies.get(original);
    if (!proxy) {
      const created: PeerConnectionClass = new Proxy(original as PeerConnectionClass, {
        construct(target, args, newTarget) {
          // `new RTCPeerConnection()` builds what the wrapped constructor builds; a subclass its own kind.
          const pc = Reflect.construct(target, args, newTarget === created ? target : newTarget) as RTCPeerConnection;
          if (active) {
            try {
              onCreated(pc, args);
            } catch {
              // Monitoring must not keep the app from its pc.
            }
          }
          return pc;
        },
      });
      proxies.set(original, (proxy = created));
      const prototype = (original as { prototype?: unknown }).prototype;
      if (typeof prototype === 'object' && prototype !== null) prototypes.add(prototype);
    }
    const installed = proxy;
    try {
      if (descriptor && !('value' in descriptor)) continue; // an accessor: not ours to replace
      Object.defineProperty(holder, name, { writable: true, configurable: true, enumerable: false, ...descriptor, value: installed });
    } catch {
      continue;
    }
    owner.onDispose(() => {
      if (holder[name] !== installed) return;
      if (descriptor) Object.defineProperty(holder, name, descriptor);
      else delete holder[name];
    });
  }
  return prototypes;
}
