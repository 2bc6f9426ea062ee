import type { FabricUsage } from '@shims/core';
import type { MediaStreamLike } from './simple-peer-types.js';

/**
 * The fabric usage of a peer from the kinds of its local tracks: none → `data` (simple-peer
 * always opens a data channel), audio → `audio`, video → `video`, both → `multiplex`. A peer
 * that only receives media has no local tracks: the app says so with `fabricUsage`.
 */
export function usageOfTrackKinds(kinds: Iterable<string>): FabricUsage {
  const set = new Set(kinds);
  const audio = set.has('audio');
  const video = set.has('video');
  if (audio && video) return 'multiplex';
  if (audio) return 'audio';
  if (video) return 'video';
  return 'data';
}

/** The kinds of the tracks in these streams, skipping anything that is not a stream. */
export function trackKindsOf(streams: readonly unknown[]): string[] {
  return streams.flatMap((stream) =>
    typeof (stream as MediaStreamLike | null)?.getTracks === 'function'
      ? (stream as MediaStreamLike).getTracks().map((track) => track.kind)
      : [],
  );
}

/** The kinds of the tracks a pc sends, where it can say (tracks added after construction). */
export function senderTrackKindsOf(pc: object): string[] {
  const getSenders = (pc as { getSenders?: () => ReadonlyArray<{ track: { kind: string } | null }> }).getSenders;
  if (typeof getSenders !== 'function') return [];
  try {
    return getSenders.call(pc).flatMap((sender) => (sender.track ? [sender.track.kind] : []));
  } catch {
    return [];
  }
}
