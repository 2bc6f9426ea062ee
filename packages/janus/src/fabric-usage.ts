import type { FabricUsage } from '@shims/core';
import type { JanusTrackOption } from './janus-types.js';

function usageOfKinds(kinds: ReadonlySet<string>): FabricUsage {
  if (kinds.size === 1) {
    const [only] = kinds;
    if (only === 'audio' || only === 'video' || only === 'screen' || only === 'data') return only;
  }
  return 'multiplex';
}

/** What a handle's pc carries, from the `tracks` given to `createOffer`/`createAnswer`. */
export function usageOfTracks(tracks: readonly JanusTrackOption[] | undefined): FabricUsage {
  if (!Array.isArray(tracks)) return 'multiplex';
  const kinds = new Set<string>();
  for (const track of tracks) {
    if (track && typeof track.type === 'string' && !track.remove) kinds.add(track.type);
  }
  return usageOfKinds(kinds);
}

/** What a handle's pc carries, from the remote offer's m-lines (a subscriber's `createAnswer`). */
export function usageOfOffer(sdp: string | undefined): FabricUsage {
  if (typeof sdp !== 'string') return 'multiplex';
  const kinds = new Set<string>();
  for (const [, media] of sdp.matchAll(/^m=(\w+) /gm)) kinds.add(media === 'application' ? 'data' : media!);
  return usageOfKinds(kinds);
}
