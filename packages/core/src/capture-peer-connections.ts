/**
 * Runs `fn` with `globalThis.RTCPeerConnection` swapped for a proxy that hands every pc built
 * meanwhile to `onCreated`, the moment it exists, then puts the constructor back. Many SDKs build
 * a pc and start negotiating on it in one synchronous step (PeerJS's `call`/`answer`, janus.js's
 * `createOffer`): this is the only moment a shim can wrap the pc before its first call. The pc is
 * an ordinary instance of the original constructor, and nothing stays patched after `fn` returns.
 */
export function capturePeerConnections<T>(onCreated: (pc: RTCPeerConnection) => void, fn: () => T): T {
  const holder = globalThis as { RTCPeerConnection?: typeof RTCPeerConnection };
  const Original = holder.RTCPeerConnection;
  // Already capturing (a call nested in another one): the outer capture sees the pc.
  if (typeof Original !== 'function' || capturing.has(Original)) return fn();
  const proxy = new Proxy(Original, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget === proxy ? target : newTarget) as RTCPeerConnection;
      try {
        onCreated(pc);
      } catch {
        // The shim's failure must not stop the SDK from getting its pc.
      }
      return pc;
    },
  });
  capturing.add(proxy);
  holder.RTCPeerConnection = proxy;
  try {
    return fn();
  } finally {
    // Put back only what we put there: another library may have replaced it meanwhile.
    if (holder.RTCPeerConnection === proxy) holder.RTCPeerConnection = Original;
    capturing.delete(proxy);
  }
}

const capturing = new WeakSet<object>();
