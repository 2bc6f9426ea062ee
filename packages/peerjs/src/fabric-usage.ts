import type { FabricUsage } from '@shims/core';

/** What a media connection carries, from the kinds of its tracks or its offer's m-lines. */
function usageOfKinds(audio: boolean, video: boolean): FabricUsage {
  if (audio && !video) return 'audio';
  if (video && !audio) return 'video';
  return 'multiplex';
}

export function usageOfStream(stream: MediaStream | undefined): FabricUsage {
  const tracks = typeof stream?.getTracks === 'function' ? stream.getTracks() : [];
  return usageOfKinds(tracks.some((t) => t.kind === 'audio'), tracks.some((t) => t.kind === 'video'));
}

export function usageOfOffer(sdp: string | undefined): FabricUsage {
  if (typeof sdp !== 'string') return 'multiplex';
  return usageOfKinds(/^m=audio /m.test(sdp), /^m=video /m.test(sdp));
}
