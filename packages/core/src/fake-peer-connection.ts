import type { FabricPeerConnection, FabricStatsReport } from './contract/fabric-peer-connection.js';

/** The states and descriptions a fake pc shows; each one is what the SDK last said. */
export interface FakePeerConnectionState {
  signalingState: RTCSignalingState;
  iceGatheringState: RTCIceGatheringState;
  iceConnectionState: RTCIceConnectionState;
  connectionState: RTCPeerConnectionState;
  localDescription: RTCSessionDescriptionInit | null;
  remoteDescription: RTCSessionDescriptionInit | null;
}

/** What an SDK's stats source may resolve with: a report, a Map, or a list of stats objects. */
export type StatsSourceResult = FabricStatsReport | Iterable<RTCStats>;

export interface FakePeerConnectionOptions {
  /** Called for every `getStats()`; e.g. the SDK's own stats API turned into RTCStats objects. */
  getStats: () => Promise<StatsSourceResult> | StatsSourceResult;
  /** Where the pc starts; default: a new pc (`stable`, `new`, no descriptions). */
  initialState?: Partial<FakePeerConnectionState>;
}

/** A peerconnection-shaped object for a monitoring client, driven by the shim. */
export interface FakePeerConnection extends FabricPeerConnection {
  dispatchEvent(event: Event): boolean;
  readonly signalingState: RTCSignalingState;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  readonly localDescription: RTCSessionDescriptionInit | null;
  readonly remoteDescription: RTCSessionDescriptionInit | null;
  getSenders(): RTCRtpSender[];
  getReceivers(): RTCRtpReceiver[];
  getTransceivers(): RTCRtpTransceiver[];
}

/** The shim's side of a fake pc: it moves the states and raises the events. */
export interface FakePeerConnectionController {
  readonly pc: FakePeerConnection;
  /** Sets states; each state that changed fires its change event, in the order a real pc fires them. */
  update(state: Partial<FakePeerConnectionState>): void;
  /** Fires `icecandidate` (null candidate: gathering is complete). */
  emitIceCandidate(candidate: RTCIceCandidateInit | null): void;
  /** Moves every state to closed/final without events, as `RTCPeerConnection.close()` does. */
  close(): void;
}

const INITIAL_STATE: FakePeerConnectionState = {
  signalingState: 'stable',
  iceGatheringState: 'new',
  iceConnectionState: 'new',
  connectionState: 'new',
  localDescription: null,
  remoteDescription: null,
};

/** State → the event a real pc fires when it changes, in firing order. */
const CHANGE_EVENTS = [
  ['signalingState', 'signalingstatechange'],
  ['iceGatheringState', 'icegatheringstatechange'],
  ['iceConnectionState', 'iceconnectionstatechange'],
  ['connectionState', 'connectionstatechange'],
] as const;

function toStatsMap(result: StatsSourceResult): FabricStatsReport {
  if (result instanceof Map || (typeof RTCStatsReport !== 'undefined' && result instanceof RTCStatsReport)) {
    return result as FabricStatsReport;
  }
  const report = new Map<string, RTCStats>();
  for (const stats of result as Iterable<RTCStats>) report.set(stats.id, stats);
  return report;
}

// Spelled out rather than derived from CHANGE_EVENTS, so bundlers can drop this module when unused.
const EVENT_TYPES = ['icecandidate', 'signalingstatechange', 'icegatheringstatechange', 'iceconnectionstatechange', 'connectionstatechange'] as const;

class FakePeerConnectionImpl extends EventTarget implements FakePeerConnection {
  readonly #state: FakePeerConnectionState;
  readonly #statsSource: FakePeerConnectionOptions['getStats'];
  readonly #handlers = new Map<string, (event: Event) => void>();

  constructor(state: FakePeerConnectionState, statsSource: FakePeerConnectionOptions['getStats']) {
    super();
    this.#state = state;
    this.#statsSource = statsSource;
    // The on<event> handler properties a monitoring client may set instead of addEventListener.
    for (const type of EVENT_TYPES) {
      Object.defineProperty(this, `on${type}`, {
        get: () => this.#handlers.get(type) ?? null,
        set: (handler: unknown) => this.#setHandler(type, handler),
        enumerable: true,
      });
    }
  }

  get signalingState(): RTCSignalingState {
    return this.#state.signalingState;
  }
  get iceGatheringState(): RTCIceGatheringState {
    return this.#state.iceGatheringState;
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#state.iceConnectionState;
  }
  get connectionState(): RTCPeerConnectionState {
    return this.#state.connectionState;
  }
  get localDescription(): RTCSessionDescriptionInit | null {
    return this.#state.localDescription;
  }
  get remoteDescription(): RTCSessionDescriptionInit | null {
    return this.#state.remoteDescription;
  }

  async getStats(): Promise<FabricStatsReport> {
    return toStatsMap(await this.#statsSource());
  }
  /** Present because callstats.js recognises a pc by it; a fake pc negotiates nothing. */
  createOffer(): Promise<never> {
    return Promise.reject(new DOMException('A fake peerconnection does not negotiate', 'NotSupportedError'));
  }
  /** callstats.js reads the ICE servers from it: a fake pc has none of its own. */
  getConfiguration(): RTCConfiguration {
    return { iceServers: [] };
  }
  getSenders(): RTCRtpSender[] {
    return [];
  }
  getReceivers(): RTCRtpReceiver[] {
    return [];
  }
  getTransceivers(): RTCRtpTransceiver[] {
    return [];
  }

  #setHandler(type: string, handler: unknown): void {
    const previous = this.#handlers.get(type);
    if (previous) this.removeEventListener(type, previous);
    this.#handlers.delete(type);
    if (typeof handler !== 'function') return;
    this.#handlers.set(type, handler as (event: Event) => void);
    this.addEventListener(type, handler as (event: Event) => void);
  }

  clearHandlers(): void {
    for (const type of [...this.#handlers.keys()]) this.#setHandler(type, null);
  }
}

let nativePrototypeAdopted = false;

/**
 * Puts the browser's `RTCPeerConnection.prototype` under the fake's class, once: callstats.js in
 * Firefox takes only an `instanceof RTCPeerConnection` as a pc (elsewhere anything with
 * `createOffer`), and refused every fake pc there ("Invalid PeerConnection object passed").
 * Every native member the fake does not define itself is shadowed first, so that nothing reaches
 * the browser's getters and methods with an object that is not a real pc (they would throw
 * "Illegal invocation"): methods do nothing, accessors read null and ignore writes.
 */
function adoptNativePrototype(): void {
  if (nativePrototypeAdopted || typeof RTCPeerConnection !== 'function') return;
  nativePrototypeAdopted = true;
  const fake = FakePeerConnectionImpl.prototype;
  const native = RTCPeerConnection.prototype;
  for (const key of Reflect.ownKeys(native)) {
    if (key === 'constructor' || key === Symbol.toStringTag || Object.prototype.hasOwnProperty.call(fake, key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(native, key);
    if (typeof descriptor?.value === 'function') {
      Object.defineProperty(fake, key, { value: () => undefined, writable: true, configurable: true });
    } else {
      Object.defineProperty(fake, key, { get: () => null, set: () => {}, configurable: true });
    }
  }
  Object.setPrototypeOf(fake, native);
}

/**
 * Builds a fake peerconnection for an SDK that never exposes its pc (the integrations guide's
 * "Step 1-bis"): `getStats()` asks the given source, and the shim moves the states with
 * `update()` as the SDK reports them. In a browser it is an `instanceof RTCPeerConnection`
 * (callstats.js in Firefox wants one), answering every pc member itself.
 */
export function createFakePeerConnection(options: FakePeerConnectionOptions): FakePeerConnectionController {
  if (typeof options !== 'object' || options === null || typeof options.getStats !== 'function') {
    throw new TypeError('createFakePeerConnection: options.getStats must be a function');
  }
  adoptNativePrototype();
  const state: FakePeerConnectionState = { ...INITIAL_STATE, ...options.initialState };
  const pc = new FakePeerConnectionImpl(state, options.getStats);
  return {
    pc,
    update(next) {
      if (state.signalingState === 'closed') return;
      const changed = CHANGE_EVENTS.filter(([key]) => key in next && next[key] !== state[key]);
      Object.assign(state, next);
      for (const [, type] of changed) pc.dispatchEvent(new Event(type));
    },
    emitIceCandidate(candidate) {
      if (state.signalingState === 'closed') return;
      pc.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate }));
    },
    close() {
      Object.assign(state, { signalingState: 'closed', iceConnectionState: 'closed', connectionState: 'closed' });
      pc.clearHandlers();
    },
  };
}
