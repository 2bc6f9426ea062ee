// The page around the app, one per user (each in a browser context of its own): once the runner
// has loaded the real callstats.js into it (as a <script> tag would) and says who this user is, it
// creates and initializes that user's client against the collector, wrapped so that every call and
// its status is printed (as an app's debug logging would). It also plays the network between the
// users (see `routeMediaVia`).
import type { monitorPeerJs } from '@shims/peerjs';
// Not `@shims/testkit/page`: that would also install the test pc tap, which an app page has no use for.
import { printingCallstatsClient } from '@shims/testkit/printing-client';
// The app reads the client only when it runs, so importing it first is fine.
import './app.ts';

type CallstatsClient = Parameters<typeof monitorPeerJs>[0];
interface CallstatsLibrary {
  setProxyConfig(config: unknown): void;
  initialize(appID: string, tokenGenerator: unknown, userID: string, callback: (status: string, message: string) => void, ...rest: unknown[]): void;
}
type PageConfig = { proxyConfig: unknown; appID: string };

/** Creates `userID`'s callstats.js client; resolves with it once the collector has authenticated the user. */
function signIn(userID: string): Promise<{ client: CallstatsClient; lines: string[] }> {
  const { proxyConfig, appID } = (window as unknown as { __shimsConfig: PageConfig }).__shimsConfig;
  // Read by setProxyConfig: without it the library talks to callstats.io's hosts.
  Object.assign(window, { csioproxy: true });
  const real = new (window as unknown as { callstats: new () => CallstatsLibrary }).callstats();
  real.setProxyConfig(proxyConfig);
  return new Promise((resolve, reject) => {
    // A development collector (`acceptAnyToken`) takes any token and the user ID the library sends.
    const tokenGenerator = (_forceNew: boolean, callback: (error: unknown, token: string) => void) => callback(null, 'demo-token');
    real.initialize(
      appID,
      tokenGenerator,
      userID,
      (status, message) =>
        status === 'success' ? resolve(printingCallstatsClient(real as unknown as CallstatsClient)) : reject(new Error(`${status}: ${message}`)),
      null,
      { disablePrecalltest: true, collectIP: false, collectHeadsetStats: false, collectLegacyStats: false },
    );
  });
}

/**
 * The network between the users: the call's audio pc is pointed at the runner's UDP relay (each
 * side adds the other's one UDP host candidate with the relay's address for that side, and no
 * other), so every media packet crosses a path the runner can make lossy. The chat's data pc is
 * left direct. Nothing here is app code: on a real network the path is simply there.
 */
function routeMediaVia(relay: { host: string; port: number }): void {
  const proto = RTCPeerConnection.prototype;
  const { setRemoteDescription, addIceCandidate } = proto;
  const hasAudio = new WeakMap<RTCPeerConnection, boolean>();
  const relayed = new WeakSet<RTCPeerConnection>();
  // PeerJS sets the remote description before it adds a candidate (its calls are chained), so the
  // description says whether this pc carries the call's audio.
  proto.setRemoteDescription = function (this: RTCPeerConnection, description?: RTCSessionDescriptionInit) {
    if (description?.sdp?.includes('m=audio')) hasAudio.set(this, true);
    return Reflect.apply(setRemoteDescription, this, [description]) as Promise<void>;
  };
  proto.addIceCandidate = function (this: RTCPeerConnection, candidate?: RTCIceCandidateInit | null) {
    const line = candidate?.candidate ?? '';
    if (!hasAudio.get(this) || line === '') return Reflect.apply(addIceCandidate, this, [candidate]) as Promise<void>;
    const udp = /^(candidate:\S+ \d+ udp \d+ )(\d+\.\d+\.\d+\.\d+) \d+ typ host/i.exec(line);
    if (!udp || relayed.has(this)) return Promise.resolve();
    relayed.add(this);
    const rewritten = line.replace(udp[0], `${udp[1]}${relay.host} ${relay.port} typ host`);
    return Reflect.apply(addIceCandidate, this, [{ ...candidate, candidate: rewritten }]) as Promise<void>;
  };
}

/** The calls this page's user made to callstats.js, as printed by the wrapper. */
let calls: string[] = [];

Object.assign(window, {
  async signIn(userID: string): Promise<void> {
    const signedIn = await signIn(userID);
    calls = signedIn.lines;
    await window.app.join(userID, signedIn.client);
  },
  routeMediaVia,
  callstatsCalls: () => calls,
  // The harness opens a page once it says it is ready.
  __shimsReady: true,
});
