import type { FabricLifecycleEvent, Warn } from '@shims/core';
import { eventOfLocalTrackState, usageLabelOf } from './map-twilio-event.js';
import type { RoomFabrics } from './room-fabrics.js';
import type { Listener, TwilioEmitter, TwilioRemoteParticipant, TwilioRoom, TwilioTrack, TwilioTrackPublication } from './twilio-types.js';

export interface WatchRoomOptions {
  isScreenShare: (track: TwilioTrack) => boolean;
  warn: Warn;
  /** Called once when the Room has disconnected and everything here is undone. */
  onEnded: () => void;
}

/** How often, and how many times, a received track's SSRC is looked for in the stats. */
const LOCATE_INTERVAL_MS = 1_000;
const LOCATE_ATTEMPTS = 20;

/**
 * Maps a Room's events onto its fabrics until it disconnects or `stop()` is called; returns
 * `stop`, which removes every listener, timer and wrapper added here. Every listener runs
 * guarded: Twilio emits synchronously, so a throw here would land inside the SDK.
 */
export function watchRoom(room: TwilioRoom, fabrics: RoomFabrics, options: WatchRoomOptions): () => void {
  const { warn } = options;
  const undo: Array<() => void> = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  /** Remote tracks already associated (or being located), by publication SID or track id. */
  const located = new Map<string, { cancelled: boolean }>();
  const sharing = new Set<TwilioTrack>();
  let stopped = false;

  const guard = <A extends unknown[]>(kind: string, fn: (...args: A) => void) =>
    (...args: A): void => {
      if (stopped) return;
      try {
        fn(...args);
      } catch (error) {
        warn(`listener:${kind}`, `could not map the Room's ${kind} event: ${String(error)}`, error);
      }
    };
  const listen = (emitter: TwilioEmitter, event: string, listener: (...args: never[]) => void): void => {
    emitter.on(event, listener as Listener);
    undo.push(() => (emitter.removeListener ?? emitter.off)?.call(emitter, event, listener as Listener));
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
  listen(local, 'trackDisabled', guard('trackDisabled', trackState(false)));
  listen(local, 'trackEnabled', guard('trackEnabled', trackState(true)));
  listen(local, 'trackPublished', guard('trackPublished', (publication: TwilioTrackPublication) => sharingStarted(publication?.track)));
  listen(local, 'trackStopped', guard('trackStopped', sharingStopped));
  // Twilio tells nobody when a local track is unpublished: watch the two methods that do it.
  for (const name of ['unpublishTrack', 'unpublishTracks'] as const) {
    const original = local[name];
    if (typeof original !== 'function') continue;
    const ended = guard(name, (arg: unknown) => {
      for (const item of Array.isArray(arg) ? arg : [arg]) {
        for (const track of sharing) if (track === item || track.mediaStreamTrack === item) sharingStopped(track);
      }
    });
    const wrapper = function unpublishWatched(this: unknown, ...args: unknown[]): unknown {
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      ended(args[0]);
      return result;
    };
    const hadOwn = Object.hasOwn(local, name);
    (local as unknown as Record<string, unknown>)[name] = wrapper;
    undo.push(() => {
      if ((local as unknown as Record<string, unknown>)[name] !== wrapper) return; // wrapped again since: ours forwards
      if (hadOwn) (local as unknown as Record<string, unknown>)[name] = original;
      else delete (local as unknown as Record<string, unknown>)[name];
    });
  }

  listen(room, 'trackSubscribed', guard('trackSubscribed', associate));
  listen(room, 'trackUnsubscribed', guard('trackUnsubscribed', forget));
  listen(room, 'reconnecting', guard('reconnecting', (error: unknown) => fabrics.reconnecting(error)));
  listen(room, 'reconnected', guard('reconnected', () => fabrics.reconnected()));

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const step of undo.splice(0).reverse()) step();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const search of located.values()) search.cancelled = true;
    located.clear();
    sharing.clear();
  };
  listen(
    room,
    'disconnected',
    guard('disconnected', (_room: unknown, error: unknown) => {
      try {
        fabrics.disconnected(error);
      } finally {
        stop();
        options.onEnded();
      }
    }),
  );

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
  return stop;
}
