// The parts of twilio-video 2.x the shim touches, typed structurally so that no Twilio type reaches
// this package's public declarations. The one Twilio module imported at run time is its default pc
// class (twilio-default-peer-connection.ts).

import type { EmitterLike } from '@shims/core';

/** Twilio's objects are Node-style EventEmitters (npm `events` in the browser build). */
export interface TwilioEmitter extends EmitterLike {}

/** A `LocalAudioTrack`, `LocalVideoTrack` or a remote track. */
export interface TwilioTrack {
  readonly kind: string;
  readonly name?: string;
  readonly isEnabled?: boolean;
  readonly mediaStreamTrack?: MediaStreamTrack;
}

export interface TwilioTrackPublication extends TwilioEmitter {
  readonly kind?: string;
  readonly trackSid?: string;
  readonly trackName?: string;
  readonly track: TwilioTrack | null;
}

export interface TwilioLocalParticipant extends TwilioEmitter {
  readonly tracks: ReadonlyMap<string, TwilioTrackPublication>;
  unpublishTrack?(track: unknown): unknown;
  unpublishTracks?(tracks: unknown): unknown;
}

export interface TwilioRemoteParticipant extends TwilioEmitter {
  readonly identity: string;
  readonly tracks: ReadonlyMap<string, TwilioTrackPublication>;
}

/** A TwilioError: an Error with Twilio's numeric `code` (e.g. 53400). */
export interface TwilioError {
  readonly code?: number;
  readonly name?: string;
  readonly message?: string;
}

/** One entry of `room.getStats()`: Twilio's per-pc report, in Twilio's units (ms, 0..32767). */
export interface TwilioStatsReport {
  peerConnectionId?: string;
  localAudioTrackStats?: TwilioTrackStats[];
  localVideoTrackStats?: TwilioTrackStats[];
  remoteAudioTrackStats?: TwilioTrackStats[];
  remoteVideoTrackStats?: TwilioTrackStats[];
}

export interface TwilioTrackStats {
  trackId?: string;
  trackSid?: string;
  timestamp?: number;
  ssrc?: string;
  codec?: string | null;
  packetsLost?: number | null;
  bytesSent?: number | null;
  packetsSent?: number | null;
  bytesReceived?: number | null;
  packetsReceived?: number | null;
  roundTripTime?: number | null;
  jitter?: number | null;
  audioLevel?: number | null;
  frameRate?: number | null;
  dimensions?: { width?: number | null; height?: number | null } | null;
}

/** A connected `Room` (from `Video.connect()`). */
export interface TwilioRoom extends TwilioEmitter {
  readonly name?: string;
  readonly sid?: string;
  readonly state?: string;
  readonly localParticipant: TwilioLocalParticipant;
  readonly participants: ReadonlyMap<string, TwilioRemoteParticipant>;
  getStats(): Promise<TwilioStatsReport[]>;
}

/** The pc constructor `connect()` takes as its `RTCPeerConnection` option. */
export type PeerConnectionConstructor = new (configuration?: RTCConfiguration, ...rest: unknown[]) => RTCPeerConnection;
