import { isDisplayTrack, type FabricLifecycleEvent, type WebRTCFunction } from '@shims/core';
import type { TwilioError, TwilioTrack } from './twilio-types.js';

/**
 * The pc function behind a TwilioError, for a Room whose pcs the shim cannot see (a fake pc).
 * 53400 "Client is unable to create or apply a local media description" covers createOffer,
 * createAnswer and setLocalDescription; Twilio does not say which, so it is reported as the
 * one that applies the description. 53402 "... apply a remote media description" is exact.
 * Anything else has no pc function: `undefined`.
 */
export function functionOfTwilioError(error: unknown): WebRTCFunction | undefined {
  const code = (error as TwilioError | null)?.code;
  if (code === 53400) return 'setLocalDescription';
  if (code === 53402) return 'setRemoteDescription';
  return undefined;
}

/** 53405 MediaConnectionError: the media connection (ICE) dropped, not only the signaling. */
export const isMediaConnectionError = (error: unknown): boolean => (error as TwilioError | null)?.code === 53405;

/** A local track's `disabled`/`enabled`, as the contract's fabric event. */
export function eventOfLocalTrackState(track: TwilioTrack, enabled: boolean): FabricLifecycleEvent | undefined {
  if (track.kind === 'audio') return enabled ? 'audioUnmute' : 'audioMute';
  if (track.kind === 'video') return enabled ? 'videoResume' : 'videoPause';
  return undefined;
}

/**
 * Whether a local video track is a screen share: its MediaStreamTrack came from
 * `getDisplayMedia` (it has a `displaySurface`), or the app named it so (`screen`, `screenshare`,
 * `screen-share`, as in Twilio's own examples).
 */
export function isScreenShareTrack(track: TwilioTrack): boolean {
  if (track.kind !== 'video') return false;
  return (typeof track.name === 'string' && /screen/i.test(track.name)) || isDisplayTrack(track.mediaStreamTrack);
}

/** What callstats shows for a remote stream: `microphone`, `camera`, or `screen` when its name says so. */
export function usageLabelOf(kind: string, trackName: string | undefined): string {
  if (kind === 'audio') return 'microphone';
  return typeof trackName === 'string' && /screen/i.test(trackName) ? 'screen' : 'camera';
}
