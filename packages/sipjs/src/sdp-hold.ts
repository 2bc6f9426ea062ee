/** The direction of each audio and video section of an SDP (media level, else session level). */
export function mediaDirections(sdp: string | undefined | null): string[] {
  if (typeof sdp !== 'string') return [];
  const [session = '', ...media] = sdp.split(/^(?=m=)/m);
  const directionOf = (text: string): string | undefined => /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(text)?.[1];
  const sessionDirection = directionOf(session) ?? 'sendrecv';
  return media.filter((section) => /^m=(audio|video) [1-9]/.test(section)).map((section) => directionOf(section) ?? sessionDirection);
}

/**
 * Whether this side of a call is on hold: one side sends nothing it could (its audio and video
 * all `sendonly` or `inactive`), as SIP.js's `hold` option and `SimpleUser.hold()` offer it.
 */
export function sdpHolds(sdp: string | undefined | null): boolean {
  const directions = mediaDirections(sdp);
  return directions.length > 0 && directions.every((d) => d === 'sendonly' || d === 'inactive');
}
