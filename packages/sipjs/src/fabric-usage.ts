import type { FabricUsage } from '@shims/core';

/** What a call carries, from its offer's m-lines: audio, video, or both (`multiplex`). */
export function usageOfOffer(sdp: string | null | undefined): FabricUsage {
  if (typeof sdp !== 'string') return 'multiplex';
  const audio = /^m=audio /m.test(sdp);
  const video = /^m=video /m.test(sdp);
  if (audio && !video) return 'audio';
  if (video && !audio) return 'video';
  return 'multiplex';
}
