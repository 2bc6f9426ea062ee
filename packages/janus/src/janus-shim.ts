import {
  capturePeerConnections,
  createScope,
  createShimMonitor,
  FABRIC_USAGES,
  invalidArgument,
  isDisplayTrack,
  patchMethod,
  requireNonEmptyString,
  requireOneOf,
  shimMonitor,
  usageOfKinds,
  usageOfOffer,
  watchPageMediaDevices,
  type WatchMediaOptions,
  type AnyMethod,
  type CallstatsClient,
  type FabricHandle,
  type FabricLifecycleEvent,
  type FabricUsage,
  type ShimMonitor,
  type ShimMonitorOptions,
  type ShimScope,
} from '@shims/core';
import type { JanusAttachCallbacks, JanusOfferCallbacks, JanusPluginHandle, JanusSession, JanusTrackOption } from './janus-types.js';

/** What the shim knows of a handle when it names the remote side of one of its pcs. */
export interface JanusHandleInfo {
  /** The plugin package, e.g. `janus.plugin.videoroom`. */
  plugin: string;
  /** The handle id Janus gave it. */
  handleId: string;
  /** For a VideoRoom subscriber: the feed(s) it joined to, comma-separated. */
  feed?: string;
}

/** Per-handle settings for the pcs the handle builds from now on (see `JanusMonitor.describeHandle`). */
export interface JanusHandleDescription {
  remoteUserID?: string;
  fabricUsage?: FabricUsage;
}

/** `remoteUserID` default: `<plugin>` or `<plugin>:<feed>`. */
export interface MonitorJanusOptions extends ShimMonitorOptions<JanusHandleInfo>, WatchMediaOptions {}

/** `fabricFor(handle)`: the fabric of the handle's current pc, while it is monitored. */
export interface JanusMonitor extends ShimMonitor<JanusPluginHandle> {
  /** Monitors a handle the shim did not see attached (attached before `monitorJanus`); idempotent. */
  addHandle(handle: JanusPluginHandle): void;
  /**
   * Sets the remote user ID and/or fabric usage of the pcs this handle builds from now on; a handle
   * not monitored yet is added as by `addHandle`, its live pc already with this description.
   */
  describeHandle(handle: JanusPluginHandle, description: JanusHandleDescription): void;
}

const SOURCE = '@shims/janus';
const WHERE = 'monitorJanus';
/** janus.js's mute methods and the fabric event each sends when it returns true. */
const MUTES: Readonly<Record<string, FabricLifecycleEvent>> = {
  muteAudio: 'audioMute',
  unmuteAudio: 'audioUnmute',
  muteVideo: 'videoPause',
  unmuteVideo: 'videoResume',
};

interface HandleState {
  description: JanusHandleDescription;
  feed: string | undefined;
  /** Every fabric this handle's pcs got, for `oncleanup`. */
  fabrics: Set<FabricHandle>;
  /** Screen-share tracks: from a `type: 'screen'` entry of `tracks`, or a display capture. */
  screenTracks: WeakSet<object>;
  sharing: Set<object>;
  /** What the shim changed on the handle, undone when it is detached (or at dispose). */
  scope: ShimScope;
}

function requireHandle(handle: unknown, where: string): asserts handle is JanusPluginHandle {
  const h = handle as Partial<JanusPluginHandle> | null;
  if (typeof h !== 'object' || h === null || typeof h.createOffer !== 'function' || typeof h.createAnswer !== 'function') {
    throw invalidArgument(where, 'handle', 'must be a janus.js plugin handle (with createOffer and createAnswer)', handle);
  }
}

const pluginOf = (handle: JanusPluginHandle): string =>
  String((typeof handle.getPlugin === 'function' ? handle.getPlugin() : handle.plugin) ?? 'janus');
const idOf = (handle: JanusPluginHandle): string => String((typeof handle.getId === 'function' ? handle.getId() : handle.id) ?? '');
const currentPc = (handle: JanusPluginHandle): RTCPeerConnection | null => handle.webrtcStuff?.pc ?? null;

/** The feed(s) of a VideoRoom subscriber's `join`, as sent with `handle.send({ message })`. */
function feedOfMessage(message: unknown): string | undefined {
  const m = message as { request?: unknown; ptype?: unknown; feed?: unknown; streams?: unknown } | null;
  if (typeof m !== 'object' || m === null || m.request !== 'join' || m.ptype !== 'subscriber') return undefined;
  if (m.feed !== undefined && m.feed !== null) return String(m.feed);
  if (!Array.isArray(m.streams)) return undefined;
  const feeds = [
    ...new Set(
      m.streams
        .map((s: { feed?: unknown } | null) => s?.feed)
        .filter((f) => f !== undefined && f !== null)
        .map(String),
    ),
  ];
  return feeds.length > 0 ? feeds.join(',') : undefined;
}

/** What a handle's pc carries, from the `tracks` given to `createOffer`/`createAnswer`. */
export function usageOfTracks(tracks: readonly JanusTrackOption[] | undefined): FabricUsage {
  if (!Array.isArray(tracks)) return 'multiplex';
  return usageOfKinds(tracks.filter((track) => track && typeof track.type === 'string' && !track.remove).map((track) => track.type!));
}

/**
 * Monitors every plugin handle a janus.js session attaches from now on: each pc janus.js builds
 * for a handle (one per handle, a new one after `hangup`) is added to callstats the moment it is
 * built, its failures are reported with the function that failed and the original error, mute and
 * screen share are mapped, and each pc's end sends one `fabricTerminated`.
 */
export function monitorJanus(client: CallstatsClient, janus: JanusSession, options: MonitorJanusOptions): JanusMonitor {
  const session = janus as Partial<JanusSession> | null;
  if (typeof session !== 'object' || session === null || typeof session.attach !== 'function') {
    throw invalidArgument(WHERE, 'janus', 'must be a Janus session (new Janus(...), with attach)', janus);
  }
  const defaultUserOf = (info: JanusHandleInfo): string => (info.feed ? `${info.plugin}:${info.feed}` : info.plugin);
  const monitor = createShimMonitor(client, options, SOURCE, defaultUserOf);
  const handles = new Map<JanusPluginHandle, HandleState>();

  // janus.js captures media itself (`tracks: [{ capture: true }]`): watched until dispose.
  watchPageMediaDevices(options, monitor);

  const addFabric = (handle: JanusPluginHandle, state: HandleState, pc: RTCPeerConnection, usage: FabricUsage): void => {
    if (monitor.disposed || monitor.fabricFor(pc)) return;
    const info: JanusHandleInfo = { plugin: pluginOf(handle), handleId: idOf(handle), ...(state.feed ? { feed: state.feed } : {}) };
    let remoteUserID = state.description.remoteUserID;
    if (remoteUserID === undefined) {
      try {
        remoteUserID = monitor.userOf(info);
      } catch (error) {
        monitor.warn('remoteUserID:threw', `options.remoteUserID threw (${String(error)}); using the plugin and feed`);
      }
    }
    if (!remoteUserID) remoteUserID = defaultUserOf(info);
    const fabric = monitor.addFabric(pc, {
      remoteUserID,
      fabricUsage: state.description.fabricUsage ?? usage,
      fabricAttributes: { remoteEndpointType: 'server' },
    });
    state.fabrics.add(fabric);
  };

  const fabricOf = (handle: JanusPluginHandle): FabricHandle | undefined => {
    const pc = currentPc(handle);
    return pc ? monitor.fabricFor(pc) : undefined;
  };

  const markScreenTracks = (state: HandleState, callbacks: JanusOfferCallbacks | undefined): void => {
    if (!Array.isArray(callbacks?.tracks)) return;
    for (const track of callbacks.tracks) {
      if (track?.type === 'screen' && typeof track.capture === 'object' && track.capture !== null) state.screenTracks.add(track.capture);
    }
  };

  const addHandle = (handle: JanusPluginHandle, description: JanusHandleDescription = {}): void => {
    if (monitor.disposed || handles.has(handle)) return;
    const state: HandleState = {
      description,
      feed: undefined,
      fabrics: new Set(),
      screenTracks: new WeakSet(),
      sharing: new Set(),
      scope: createScope(monitor),
    };
    handles.set(handle, state);
    state.scope.onDispose(() => handles.delete(handle));
    const replace = (target: object, name: string, makeWrapper: (original: AnyMethod) => AnyMethod): boolean =>
      patchMethod(state.scope, target, name, makeWrapper);

    for (const [name, fromOffer] of [
      ['createOffer', false],
      ['createAnswer', true],
    ] as const) {
      replace(
        handle,
        name,
        (original) =>
          function negotiateCaptured(this: unknown, ...args: unknown[]) {
            if (monitor.disposed) return original.apply(this, args);
            const callbacks = args[0] as JanusOfferCallbacks | undefined;
            markScreenTracks(state, callbacks);
            const usage = fromOffer && typeof callbacks?.jsep?.sdp === 'string' ? usageOfOffer(callbacks.jsep.sdp) : usageOfTracks(callbacks?.tracks);
            return capturePeerConnections(
              (pc) => addFabric(handle, state, pc, usage),
              () => original.apply(this, args),
            );
          },
      );
    }
    replace(
      handle,
      'replaceTracks',
      (original) =>
        function replaceTracksWatched(this: unknown, ...args: unknown[]) {
          if (!monitor.disposed) markScreenTracks(state, args[0] as JanusOfferCallbacks | undefined);
          return original.apply(this, args);
        },
    );
    replace(
      handle,
      'send',
      (original) =>
        function sendWatched(this: unknown, ...args: unknown[]) {
          const feed = feedOfMessage((args[0] as { message?: unknown } | undefined)?.message);
          if (feed !== undefined) state.feed = feed;
          return original.apply(this, args);
        },
    );
    for (const [name, event] of Object.entries(MUTES)) {
      replace(
        handle,
        name,
        (original) =>
          function muteMapped(this: unknown, ...args: unknown[]) {
            const result = original.apply(this, args);
            if (result === true) fabricOf(handle)?.send(event);
            return result;
          },
      );
    }
    replace(
      handle,
      'onlocaltrack',
      (original) =>
        function localTrackWatched(this: unknown, ...args: unknown[]) {
          const [track, on] = args as [MediaStreamTrack, boolean];
          try {
            if (typeof track === 'object' && track !== null && (state.screenTracks.has(track) || isDisplayTrack(track))) {
              const fabric = fabricOf(handle);
              if (on && !state.sharing.has(track)) {
                state.sharing.add(track);
                fabric?.send('screenShareStart');
              } else if (!on && state.sharing.delete(track)) {
                fabric?.send('screenShareStop');
              }
            }
          } catch {
            // Monitoring must never change what the app's callback gets.
          }
          return original.apply(this, args);
        },
    );
    // janus.js closes the pc in `hangup`/`detach` (the close wrapper ends the fabric) and then
    // calls `oncleanup`, sometimes twice; end here whatever pc of the handle is gone without close.
    replace(
      handle,
      'oncleanup',
      (original) =>
        function cleanupWatched(this: unknown, ...args: unknown[]) {
          const live = currentPc(handle);
          for (const fabric of [...state.fabrics]) {
            if (fabric.pc !== live) {
              fabric.terminate();
              state.fabrics.delete(fabric);
            }
          }
          state.sharing.clear();
          return original.apply(this, args);
        },
    );
    replace(
      handle,
      'detach',
      (original) =>
        function detachWatched(this: unknown, ...args: unknown[]) {
          const result = original.apply(this, args);
          // The handle is gone (its pc closed and cleaned up just now): let go of it.
          state.scope.dispose();
          return result;
        },
    );

    // A handle that already has a pc (attached before monitoring): add it now, late.
    const pc = currentPc(handle);
    if (pc && pc.signalingState !== 'closed') addFabric(handle, state, pc, usageOfOffer(pc.remoteDescription?.sdp ?? pc.localDescription?.sdp));
  };

  const attachHooked = patchMethod(
    monitor,
    janus,
    'attach',
    (original) =>
      function attachWatched(this: unknown, ...args: unknown[]) {
        const callbacks = args[0] as JanusAttachCallbacks | undefined;
        if (monitor.disposed || typeof callbacks !== 'object' || callbacks === null) return original.apply(this, args);
        // A child of the app's callbacks: janus.js reads every one of them through it, and the
        // app's own object is left as it was.
        const watched = Object.create(callbacks) as JanusAttachCallbacks;
        const success = callbacks.success;
        watched.success = function attached(this: unknown, handle: JanusPluginHandle) {
          try {
            if (!monitor.disposed && typeof handle === 'object' && handle !== null && typeof handle.createOffer === 'function') addHandle(handle);
          } catch (error) {
            monitor.warn('attach:threw', `could not monitor a handle: ${String(error)}`);
          }
          if (typeof success === 'function') return success.call(this, handle);
          return undefined;
        };
        return original.call(this, watched, ...args.slice(1));
      },
  );
  if (!attachHooked) monitor.warn('missing:attach', 'janus.attach not found: no handle can be monitored');
  // `janus.destroy()` ends the session; unless given `cleanupHandles: true`, janus.js leaves the
  // handles' pcs open (the server is gone, they only wait for ICE to fail): end their fabrics here.
  patchMethod(
    monitor,
    janus,
    'destroy',
    (original) =>
      function destroyWatched(this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args);
        if (!monitor.disposed) for (const fabric of monitor.fabrics()) fabric.terminate();
        return result;
      },
  );

  return shimMonitor(monitor, fabricOf, {
    addHandle(handle: JanusPluginHandle) {
      requireHandle(handle, 'addHandle');
      addHandle(handle);
    },
    describeHandle(handle: JanusPluginHandle, description: JanusHandleDescription) {
      requireHandle(handle, 'describeHandle');
      if (typeof description !== 'object' || description === null)
        throw invalidArgument('describeHandle', 'description', 'must be an object', description);
      if (description.remoteUserID !== undefined) requireNonEmptyString(description.remoteUserID, 'remoteUserID', 'describeHandle');
      if (description.fabricUsage !== undefined) requireOneOf(description.fabricUsage, FABRIC_USAGES, 'fabricUsage', 'describeHandle');
      // A handle not seen yet is added with it: its live pc too (late attachment).
      const state = handles.get(handle);
      if (state) state.description = { ...state.description, ...description };
      else addHandle(handle, { ...description });
    },
  });
}
