import { FABRIC_USAGES, type FabricUsage } from './contract/callstats-enums.js';

/**
 * The usage of a fabric from the kinds it carries: one of `audio`, `video`, `screen`, `data`
 * alone is that usage; none is `none` (default `multiplex`); anything else is `multiplex`.
 */
export function usageOfKinds(kinds: Iterable<string>, none: FabricUsage = 'multiplex'): FabricUsage {
  const [only, ...more] = new Set(kinds);
  // A kind is never `multiplex` or `unbundled`: one of the others, or no usage of its own.
  return only === undefined ? none : more.length === 0 && FABRIC_USAGES.includes(only as FabricUsage) ? (only as FabricUsage) : 'multiplex';
}

/** The kinds of the tracks in these streams (`MediaStream`s or alike), skipping anything else. */
export function trackKindsOf(streams: readonly unknown[]): string[] {
  return streams.flatMap((stream) => {
    const getTracks = (stream as { getTracks?: () => ReadonlyArray<{ kind: string }> } | null)?.getTracks;
    return typeof getTracks === 'function' ? getTracks.call(stream).map((track) => track.kind) : [];
  });
}

/**
 * The usage of a fabric from an offer's m-lines. By default every section counts, a data channel
 * (`m=application`) as `data`: an offer that is only a data channel is a `data` fabric, one with
 * audio and a data channel `multiplex` (Janus handles). With `mediaOnly`, only the audio and video
 * sections count (a call's usage, where a data channel is not what the call carries: SIP, PeerJS
 * media). No SDP: `multiplex`.
 */
export function usageOfOffer(sdp: string | null | undefined, mediaOnly?: boolean): FabricUsage {
  const kinds = typeof sdp === 'string' ? [...sdp.matchAll(/^m=(\w+) /gm)].map(([, media]) => (media === 'application' ? 'data' : media!)) : [];
  return usageOfKinds(mediaOnly ? kinds.filter((kind) => kind === 'audio' || kind === 'video') : kinds);
}

/** The direction of each audio and video section of an SDP (media level, else session level). */
export function mediaDirections(sdp: string | null | undefined): string[] {
  if (typeof sdp !== 'string') return [];
  const [session = '', ...media] = sdp.split(/^(?=m=)/m);
  const directionOf = (text: string): string | undefined => /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(text)?.[1];
  const sessionDirection = directionOf(session) ?? 'sendrecv';
  return media.filter((section) => /^m=(audio|video) [1-9]/.test(section)).map((section) => directionOf(section) ?? sessionDirection);
}

/**
 * Whether the side that wrote this SDP holds the call: it sends nothing it could (its audio and
 * video all `sendonly` or `inactive`), as SIP holds are offered.
 */
export function sdpHolds(sdp: string | null | undefined): boolean {
  const directions = mediaDirections(sdp);
  return directions.length > 0 && directions.every((d) => d === 'sendonly' || d === 'inactive');
}

/**
 * Whether a track is a screen capture: a track from `getDisplayMedia` (its settings name a
 * `displaySurface`), audio excepted (a shared tab's sound is not a screen share).
 */
export function isDisplayTrack(track: unknown): boolean {
  const t = track as { kind?: unknown; getSettings?: () => { displaySurface?: unknown } } | null;
  if (typeof t !== 'object' || t === null || t.kind === 'audio' || typeof t.getSettings !== 'function') return false;
  try {
    return typeof t.getSettings().displaySurface === 'string';
  } catch {
    return false;
  }
}
