// The parts of simple-peer 9 the shim touches, typed structurally: no simple-peer type reaches
// this package's public declarations and no simple-peer code is imported at run time. A
// `SimplePeer.Instance` of @types/simple-peer, or the plain JavaScript object, fits these types.

/** A local media stream as simple-peer holds it: a DOM `MediaStream`, or @roamhq/wrtc's. */
export interface MediaStreamLike {
  getTracks(): ReadonlyArray<{ readonly kind: string }>;
}

/**
 * A WebRTC implementation as simple-peer's `wrtc` option takes it (the browser's globals, or
 * `@roamhq/wrtc` in Node). simple-peer reads these three constructors from it.
 */
export interface WebRTCImplementation {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor, whatever it takes
  RTCPeerConnection: abstract new (...args: any) => unknown;
  RTCSessionDescription?: unknown;
  RTCIceCandidate?: unknown;
}

/** A simple-peer instance (`new SimplePeer(options)`), as far as the shim uses it. */
export interface SimplePeerLike {
  /** True once simple-peer has closed the pc and emitted `close`. */
  readonly destroyed: boolean;
  /** The local streams given at construction. */
  readonly streams?: readonly MediaStreamLike[];
  signal(data: never): void;
  destroy(error?: Error): void;
  on(event: 'close', listener: () => void): unknown;
  removeListener(event: 'close', listener: () => void): unknown;
}

/** The options of `new SimplePeer(options)` in simple-peer 9. */
export interface SimplePeerOptions {
  initiator?: boolean;
  channelName?: string;
  channelConfig?: RTCDataChannelInit;
  config?: RTCConfiguration;
  offerOptions?: RTCOfferOptions;
  answerOptions?: RTCAnswerOptions;
  sdpTransform?: (sdp: string) => string;
  stream?: MediaStreamLike;
  streams?: readonly MediaStreamLike[];
  trickle?: boolean;
  allowHalfTrickle?: boolean;
  iceCompleteTimeout?: number;
  /** Default: the browser's globals. The shim hands simple-peer a copy that registers the pc. */
  wrtc?: WebRTCImplementation;
  objectMode?: boolean;
  allowHalfOpen?: boolean;
}

/** The simple-peer class (the default export of `simple-peer`), for the shim to create the peer. */
export type SimplePeerConstructor<P extends SimplePeerLike = SimplePeerLike> = new (options: never) => P;
