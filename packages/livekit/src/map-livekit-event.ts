import type { FabricLifecycleEvent } from '@shims/core';
import type { LivekitTrackPublication } from './livekit-types.js';

/** livekit-client's `Track.Source` of a screen share's video. */
export const SCREEN_SHARE = 'screen_share';

/** A local publication muted or unmuted → the fabric event; none for a track kind callstats has no event for. */
export function muteEventOf(publication: LivekitTrackPublication, muted: boolean): FabricLifecycleEvent | undefined {
  if (publication.kind === 'audio') return muted ? 'audioMute' : 'audioUnmute';
  if (publication.kind === 'video') return muted ? 'videoPause' : 'videoResume';
  return undefined;
}

/** `associateMstWithUserID`'s usage label for a remote track's `Track.Source`. */
export function usageLabelOf(source: string | undefined): string {
  if (source === 'microphone' || source === 'camera') return source;
  if (source === SCREEN_SHARE || source === 'screen_share_audio') return 'screen';
  return 'unknown';
}
