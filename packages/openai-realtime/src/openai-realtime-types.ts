// The parts of @openai/agents-realtime 0.20 the shim touches, typed structurally: no SDK type
// reaches this package's public declarations and no SDK code is imported at run time. The SDK's
// `OpenAIRealtimeWebRTC` and `RealtimeSession` objects fit these types.

/** `transport.connectionState`: the pc while the transport is connecting or connected. */
export interface OpenAIRealtimeConnectionState {
  readonly status: 'disconnected' | 'connecting' | 'connected';
  readonly peerConnection?: RTCPeerConnection | undefined;
}

/** The `OpenAIRealtimeWebRTC` transport, as far as the shim uses it. */
export interface OpenAIRealtimeWebRTCLike {
  /** Public getter: the transport's pc, set synchronously when `connect()` builds it. */
  readonly connectionState: OpenAIRealtimeConnectionState;
  /** The model the session talks to (the remote side). */
  readonly currentModel?: string;
  /** Whether the microphone is muted (`mute(true)`). */
  readonly muted?: boolean | null;
  mute(muted: boolean): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typed emitter takes any listener
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `on`
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** A `RealtimeSession` whose transport is WebRTC (`transport: 'webrtc'` or an `OpenAIRealtimeWebRTC`). */
export interface OpenAIRealtimeSessionLike {
  readonly transport: OpenAIRealtimeWebRTCLike | object;
}
