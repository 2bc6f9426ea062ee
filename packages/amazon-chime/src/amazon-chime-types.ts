// The parts of amazon-chime-sdk-js's objects the shim reads, typed structurally so that the
// package imports nothing from amazon-chime-sdk-js (an app never loads a second copy, and the
// SDK's types stay out of this package's declarations).

/** A video tile's state as `videoTileDidUpdate` hands it over (`VideoTileState`). */
export interface ChimeVideoTileState {
  readonly tileId: number | null;
  /** The local camera's tile. */
  readonly localTile: boolean;
  /** A content share (screen) rather than a camera. */
  readonly isContent: boolean;
  readonly boundAttendeeId: string | null;
  readonly boundExternalUserId: string | null;
  /** The camera's stream; null for a local tile stopped (`stopLocalVideoTile`) or not bound yet. */
  readonly boundVideoStream: MediaStream | null;
}

/** The callbacks of an `AudioVideoObserver` and a `ContentShareObserver` the shim implements. */
export interface ChimeObserver {
  videoTileDidUpdate?(tileState: ChimeVideoTileState): void;
  contentShareDidStart?(): void;
  contentShareDidStop?(): void;
}

/** `meetingSession.audioVideo` (`AudioVideoFacade`): the public API the shim listens on. */
export interface ChimeAudioVideo {
  addObserver(observer: ChimeObserver): void;
  removeObserver(observer: ChimeObserver): void;
  addContentShareObserver(observer: ChimeObserver): void;
  removeContentShareObserver(observer: ChimeObserver): void;
  realtimeSubscribeToMuteAndUnmuteLocalAudio(callback: (muted: boolean) => void): void;
  realtimeUnsubscribeToMuteAndUnmuteLocalAudio(callback: (muted: boolean) => void): void;
  realtimeIsLocalAudioMuted(): boolean;
  getAllRemoteVideoTiles(): Array<{ state(): ChimeVideoTileState }>;
}

/** What the shim reads of a `DefaultMeetingSession`. */
export interface ChimeMeetingSession {
  readonly audioVideo: ChimeAudioVideo;
}

/**
 * @internal A `DefaultAudioVideoController` (private on the session): it keeps the session's
 * state in `meetingSessionContext`, replaced at each `start()`.
 */
export interface ChimeController {
  meetingSessionContext?: ChimeContext;
}

/** @internal `AudioVideoControllerState`: `peer` is the session's pc, set in `CreatePeerConnectionTask`. */
export interface ChimeContext {
  peer?: RTCPeerConnection | null;
}

/** @internal The session's private fields that hold the two controllers (attendee and content share). */
export interface ChimeSessionInternals {
  audioVideoController?: ChimeController;
  contentShareController?: { contentAudioVideo?: ChimeController };
}
