import type { Monitor } from './monitor.js';
import type { Unwrap } from './replace-method.js';
import { createScope, patchMethod } from './shim-changes.js';
import { invalidArgument } from './validate.js';

/** The part of `navigator.mediaDevices` that is watched. */
export interface MediaDevicesLike {
  getUserMedia?(constraints?: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia?(options?: DisplayMediaStreamOptions): Promise<MediaStream>;
}

/** Where failures go: a monitor (reported as `getUserMedia` errors, unwatched at its dispose), or a callback. */
export type MediaFailureSink = Pick<Monitor, 'reportMediaError' | 'onDispose'> | ((error: unknown) => void);

/**
 * Wraps `getUserMedia` and `getDisplayMedia` on this MediaDevices object so each rejection is
 * reported; the caller still gets the original stream or error. The returned function removes
 * the wrappers (or, if another library wrapped on top since, makes ours forward only). A separate
 * helper, not a monitor method, so shims that never touch media devices don't ship it.
 */
export function watchMediaDevices(mediaDevices: MediaDevicesLike, sink: MediaFailureSink): Unwrap {
  const onFailure = typeof sink === 'function' ? sink : (error: unknown) => sink.reportMediaError(error);
  if (typeof mediaDevices !== 'object' || mediaDevices === null) {
    throw invalidArgument('watchMediaDevices', 'mediaDevices', 'must be a MediaDevices object', mediaDevices);
  }
  // The wrappers, in a scope of the monitor (or of none, for a callback): undone together.
  const wrappers = createScope(typeof sink === 'function' ? undefined : sink);
  let watching = true;
  wrappers.onDispose(() => (watching = false));
  for (const name of ['getUserMedia', 'getDisplayMedia']) {
    patchMethod(
      wrappers,
      mediaDevices,
      name,
      (original) =>
        function watchedMediaRequest(this: unknown, ...args: unknown[]): unknown {
          const result: unknown = original.apply(this, args);
          if (!watching || !(result instanceof Promise)) return result;
          return result.catch((error: unknown) => {
            try {
              onFailure(error);
            } catch {
              // Reporting must never change what the app receives.
            }
            throw error;
          });
        },
    );
  }
  return wrappers.dispose;
}

/** The option of shims whose SDK captures media itself (janus.js, twilio-video's `createLocalTracks`). */
export interface WatchMediaOptions {
  /**
   * Report `getUserMedia`/`getDisplayMedia` failures in the page (the SDK's own capture included)
   * while the monitor watches. Default: true.
   */
  watchMediaDevices?: boolean;
}

/**
 * `watchMediaDevices` on the page's `navigator.mediaDevices` when `options.watchMediaDevices` is
 * not false; nothing where there is none (Node, an insecure origin).
 */
export function watchPageMediaDevices(options: WatchMediaOptions, sink: MediaFailureSink): void {
  const mediaDevices = (globalThis as { navigator?: { mediaDevices?: MediaDevicesLike } }).navigator?.mediaDevices;
  if (options.watchMediaDevices !== false && mediaDevices) watchMediaDevices(mediaDevices, sink);
}
