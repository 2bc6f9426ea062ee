/**
 * The pc events a monitoring client may listen to. callstats.js 3.73 listens to `icecandidate`,
 * `iceconnectionstatechange`, `signalingstatechange`, `negotiationneeded` and `track` (with
 * `addEventListener`, never `on<event>`), and polls the three states every second besides.
 */
export type FabricPeerConnectionEventType =
  | 'icecandidate'
  | 'iceconnectionstatechange'
  | 'signalingstatechange'
  | 'connectionstatechange'
  | 'icegatheringstatechange'
  | 'negotiationneeded'
  | 'track';

/** A stats report as `getStats()` resolves it: a real `RTCStatsReport`, or a Map of the same shape. */
export type FabricStatsReport = RTCStatsReport | ReadonlyMap<string, RTCStats>;

/**
 * The smallest peerconnection a monitoring client can hold: what callstats.js reads from the pc
 * it is given (it also uses `getConfiguration()` and `getSenders()` where present). A real
 * `RTCPeerConnection` satisfies it; so does `createFakePeerConnection()`.
 */
export interface FabricPeerConnection {
  /**
   * callstats.js takes an object as a pc when it has `createOffer` (outside Firefox, where it
   * wants a real `RTCPeerConnection`); it never calls it on the app's pc.
   */
  createOffer(...args: never[]): Promise<unknown>;
  getStats(selector?: MediaStreamTrack | null): Promise<FabricStatsReport>;
  addEventListener(type: FabricPeerConnectionEventType, listener: (event: Event) => void): void;
  removeEventListener(type: FabricPeerConnectionEventType, listener: (event: Event) => void): void;
  readonly signalingState: RTCSignalingState;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  readonly localDescription: RTCSessionDescriptionInit | null;
  readonly remoteDescription: RTCSessionDescriptionInit | null;
}
