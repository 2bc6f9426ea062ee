// The parts of livekit-client's objects the shim reads, typed structurally so that the package
// imports nothing from livekit-client (an app never loads a second copy, and livekit-client's
// types stay out of this package's declarations).

/** An emitter as livekit-client's Room, participants and engine are (`events` EventEmitter). */
export interface LivekitEmitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/** A track publication (`LocalTrackPublication` / `RemoteTrackPublication`). */
export interface LivekitTrackPublication {
  readonly trackSid: string;
  /** `audio` | `video`. */
  readonly kind: string;
  /** `camera` | `microphone` | `screen_share` | `screen_share_audio` | `unknown`. */
  readonly source: string;
  readonly isMuted: boolean;
  readonly track?: LivekitTrack;
}

/** A `LocalTrack` / `RemoteTrack`: the browser track, and for a remote one its receiver. */
export interface LivekitTrack {
  readonly kind: string;
  readonly source?: string;
  readonly sid?: string;
  readonly mediaStreamTrack: MediaStreamTrack;
  readonly receiver?: RTCRtpReceiver;
}

export interface LivekitParticipant extends LivekitEmitter {
  readonly identity: string;
  readonly trackPublications: ReadonlyMap<string, LivekitTrackPublication>;
}

/** What the shim reads of a livekit-client `Room`. */
export interface LivekitRoom extends LivekitEmitter {
  readonly name: string;
  readonly localParticipant: LivekitParticipant;
  readonly remoteParticipants: ReadonlyMap<string, LivekitParticipant>;
}

/** @internal `room.engine` (RTCEngine, marked internal in livekit-client). */
export interface LivekitEngine extends LivekitEmitter {
  pcManager?: { publisher?: LivekitTransport; subscriber?: LivekitTransport };
}

/** @internal A `PCTransport`: its pc is the private field `_pc` (null once closed). */
export interface LivekitTransport {
  _pc: RTCPeerConnection | null;
}
