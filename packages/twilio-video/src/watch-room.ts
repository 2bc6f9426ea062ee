import { listenOn, patchMethod, type FabricLifecycleEvent, type ShimScope, type Warn } from '@shims/core';
import { eventOfLocalTrackState, usageLabelOf } from './map-twilio-event.js';
import type { RoomFabrics } from './room-fabrics.js';
import type { TwilioEmitter, TwilioRemoteParticipant, TwilioRoom, TwilioTrack, TwilioTrackPublication } from './twilio-types.js';

export interface WatchRoomOptions {
  isScreenShare: (track: TwilioTrack) => boolean;
  warn: Warn;
  /** Where every listener, wrapper and timer is recorded; disposed when the Room disconnects. */
  scope: ShimScope;
}

/** How often, and how many times, a received track's SSRC is looked for in the stats. */
const LOCATE_INTERVAL_MS = 1_000;
const LOCATE_ATTEMPTS = 20;

/**
 * Maps a Room's events onto its fabrics until it disconnects or `options.scope` is disposed, which
 * removes every listener, timer and wrapper added here. Every listener runs guarded: Twilio emits
 * synchronously, so a throw here would land inside the SDK.
 */
export function watchRoom(room: TwilioRoom, fabrics: RoomFabrics, options: WatchRoomOptions): void {
  const { warn, scope } = options;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  /** Remote tracks already associated (or being located), by publication SID or track id. */
  const located = new Map<string, { cancelled: boolean }>();
  const sharing = new Set<TwilioTrack>();
  let stopped = false;

  const guard =
    <A extends unknown[]>(kind: string, fn: (...args: A) => void) =>
    (...args: A): void => {
      if (stopped) return;
      try {
        fn(...args);
      } catch (error) {
        warn(`listener:${kind}`, `could not map the Room's ${kind} event: ${String(error)}`, error);
      }
    };
  /** Listens through the scope, guarded under the event's name. */
  const listen = <A extends unknown[]>(emitter: TwilioEmitter, event: string, listener: (...args: A) => void): void => {
    listenOn(scope, emitter, event, guard(event, listener) as unknown as (...args: never[]) => void);
  };
  const send = (event: FabricLifecycleEvent): void => {
    for (const fabric of fabrics.live()) fabric.send(event);
  };

  // Remote tracks → associateMstWithUserID, once their SSRC shows in the stats.
  const keyOf = (publication: TwilioTrackPublication | undefined, track: TwilioTrack): string | undefined =>
    publication?.trackSid ?? track.mediaStreamTrack?.id;
  const associate = (track: TwilioTrack, publication: TwilioTrackPublication | undefined, participant: TwilioRemoteParticipant): void => {
    if (track.kind !== 'audio' && track.kind !== 'video') return;
    const key = keyOf(publication, track);
    if (!key || located.has(key) || typeof participant?.identity !== 'string') return;
    const search = { cancelled: false };
    located.set(key, search);
    let attempts = 0;
    const attempt = (): void => {
      attempts += 1;
      fabrics.locate(publication?.trackSid, track.mediaStreamTrack?.id).then(
        (where) => {
          if (search.cancelled || stopped) return;
          if (where) {
            where.fabric.associateStream(participant.identity, where.ssrc, usageLabelOf(track.kind, publication?.trackName ?? track.name));
          } else if (attempts < LOCATE_ATTEMPTS) {
            const timer = setTimeout(() => {
              timers.delete(timer);
              attempt();
            }, LOCATE_INTERVAL_MS);
            timers.add(timer);
          } else {
            warn('locate:none', `no SSRC found for ${participant.identity}'s ${track.kind} track; it is not associated with the user`);
          }
        },
        (error: unknown) => warn('locate:failed', `reading stats to find a remote track's SSRC failed: ${String(error)}`, error),
      );
    };
    attempt();
  };
  const forget = (track: TwilioTrack, publication: TwilioTrackPublication | undefined): void => {
    const key = keyOf(publication, track);
    const search = key ? located.get(key) : undefined;
    if (search && key) {
      search.cancelled = true;
      located.delete(key);
    }
  };

  // Local tracks → mute, video pause, screen share.
  const trackState = (enabled: boolean) => (track: TwilioTrack) => {
    const event = eventOfLocalTrackState(track, enabled);
    if (event) send(event);
  };
  const sharingStarted = (track: TwilioTrack | null | undefined): void => {
    if (!track || sharing.has(track) || !options.isScreenShare(track)) return;
    sharing.add(track);
    send('screenShareStart');
  };
  const sharingStopped = (track: unknown): void => {
    if (!sharing.delete(track as TwilioTrack)) return;
    send('screenShareStop');
  };
  const local = room.localParticipant;
  listen(local, 'trackDisabled', trackState(false));
  listen(local, 'trackEnabled', trackState(true));
  listen(local, 'trackPublished', (publication: TwilioTrackPublication) => sharingStarted(publication?.track));
  listen(local, 'trackStopped', sharingStopped);
  // Twilio tells nobody when a local track is unpublished: watch the two methods that do it.
  for (const name of ['unpublishTrack', 'unpublishTracks']) {
    const ended = guard(name, (arg: unknown) => {
      for (const item of Array.isArray(arg) ? arg : [arg]) {
        for (const track of sharing) if (track === item || track.mediaStreamTrack === item) sharingStopped(track);
      }
    });
    patchMethod(
      scope,
      local,
      name,
      (original) =>
        function unpublishWatched(this: unknown, ...args: unknown[]): unknown {
          const result: unknown = original.apply(this, args);
          ended(args[0]);
          return result;
        },
    );
  }

  listen(room, 'trackSubscribed', associate);
  listen(room, 'trackUnsubscribed', forget);
  listen(room, 'reconnecting', (error: unknown) => fabrics.reconnecting(error));
  listen(room, 'reconnected', () => fabrics.reconnected());

  scope.onDispose(() => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const search of located.values()) search.cancelled = true;
    located.clear();
    sharing.clear();
  });
  listen(room, 'disconnected', (_room: unknown, error: unknown) => {
    try {
      fabrics.disconnected(error);
    } finally {
      scope.dispose();
    }
  });

  // What is there already: local tracks disabled or shared, remote tracks subscribed.
  guard('attach', () => {
    for (const publication of local.tracks?.values() ?? []) {
      const track = publication?.track;
      if (!track) continue;
      if (track.isEnabled === false) trackState(false)(track);
      sharingStarted(track);
    }
    for (const participant of room.participants?.values() ?? []) {
      for (const publication of participant.tracks?.values() ?? []) {
        if (publication?.track) associate(publication.track, publication, participant);
      }
    }
  })();
}
