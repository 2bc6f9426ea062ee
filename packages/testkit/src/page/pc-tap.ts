import type { PeerConnectionFunction } from '@shims/core';
import { nextSeq } from '../sequence.ts';

/** What the tap saw of one pc. */
export interface TappedPeerConnection {
  /** Creation order in the page, from 0. */
  index: number;
  pc: RTCPeerConnection;
  createdSeq: number;
  /** The first signaling or ICE event the pc fired, if any. */
  firstEvent?: { type: string; seq: number };
  everConnected: boolean;
}

/** The media capture function a failure can be armed for. */
export type MediaFunction = 'getUserMedia';

/** A failure armed for the next call of one pc function (on whichever pc makes it) or of `getUserMedia`. */
export interface InjectedFailure {
  fn: PeerConnectionFunction | MediaFunction;
  error: DOMException;
  /** Whether a call consumed it. */
  consumed: boolean;
  /** Set when a pc call consumed it. */
  consumedBy?: TappedPeerConnection;
}

export interface PeerConnectionTap {
  readonly peerConnections: readonly TappedPeerConnection[];
  /** Makes the next call of `fn` (below any instance wrapper) fail with a fresh DOMException. */
  armFailure(fn: PeerConnectionFunction): InjectedFailure;
  /**
   * Makes the next `navigator.mediaDevices.getUserMedia` call fail as a user's denial does
   * (`NotAllowedError`), below any wrapper a shim or the app put on `navigator.mediaDevices`.
   */
  armMediaFailure(fn: MediaFunction): InjectedFailure;
  /** Event listeners on the pc added with addEventListener and not removed (the tap's own excluded). */
  listenerCount(pc: RTCPeerConnection): number;
  /** Names of function-valued own properties of the pc: instance patches (wrappers) on it. */
  instancePatches(pc: RTCPeerConnection): string[];
  find(pc: unknown): TappedPeerConnection | undefined;
}

const OBSERVED_EVENTS = [
  'icecandidate',
  'icecandidateerror',
  'signalingstatechange',
  'iceconnectionstatechange',
  'icegatheringstatechange',
  'connectionstatechange',
  'negotiationneeded',
  'track',
  'datachannel',
] as const;

/** Where the legacy failure callback sits, as in @shims/core's wrapper. */
const LEGACY_FAILURE_INDEX: Record<PeerConnectionFunction, number> = {
  createOffer: 1,
  createAnswer: 1,
  setLocalDescription: 2,
  setRemoteDescription: 2,
  addIceCandidate: 2,
};

let installed: PeerConnectionTap | undefined;

/**
 * Replaces `window.RTCPeerConnection` with a Proxy of the browser's constructor that records
 * every pc it builds (creation order, first event, listeners), and patches the browser's
 * `RTCPeerConnection.prototype` so that one pc function can fail on demand. The constructor's
 * `prototype` stays the browser's, with the browser's own property names: SDK wrappers that read
 * it (Twilio's per-browser classes proxy every own property of `RTCPeerConnection.prototype` onto
 * an inner pc) see what they would see in a plain page, `instanceof` and subclasses work as they
 * do on the browser's class. The patches sit where other libraries' prototype patches sit
 * (adapter.js), so a shim's instance wrappers run above them, as they would above the browser.
 * Install it before the SDK under test reads the constructor.
 */
export function installPeerConnectionTap(): PeerConnectionTap {
  if (installed) return installed;
  const Native = globalThis.RTCPeerConnection;
  const proto = Native.prototype as unknown as Record<string, unknown>;
  const nativeAdd = EventTarget.prototype.addEventListener;
  const nativeRemove = EventTarget.prototype.removeEventListener;
  const pcs: TappedPeerConnection[] = [];
  const byPc = new WeakMap<object, TappedPeerConnection>();
  const listeners = new WeakMap<object, Set<string>>();
  const listenerIds = new WeakMap<object, number>();
  let nextListenerId = 0;
  const armed: InjectedFailure[] = [];
  const keyOf = (type: string, listener: unknown, options: unknown): string => {
    if (!listenerIds.has(listener as object)) listenerIds.set(listener as object, ++nextListenerId);
    const capture = typeof options === 'boolean' ? options : Boolean((options as { capture?: boolean } | undefined)?.capture);
    return `${type}|${listenerIds.get(listener as object) ?? 0}|${capture}`;
  };

  const record = (pc: RTCPeerConnection): void => {
    // A pc built through a nested proxy (a shim capturing the constructor) passes here once.
    if (byPc.has(pc)) return;
    const tapped: TappedPeerConnection = { index: pcs.length, pc, createdSeq: nextSeq(), everConnected: false };
    pcs.push(tapped);
    byPc.set(pc, tapped);
    listeners.set(pc, new Set());
    for (const type of OBSERVED_EVENTS) {
      nativeAdd.call(pc, type, () => {
        tapped.firstEvent ??= { type, seq: nextSeq() };
        if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') tapped.everConnected = true;
      });
    }
  };

  const TappedRTCPeerConnection: typeof RTCPeerConnection = new Proxy(Native, {
    construct(target, args, newTarget) {
      // `new RTCPeerConnection()` builds the browser's class; `class X extends RTCPeerConnection` an X.
      const pc = Reflect.construct(target, args, newTarget === TappedRTCPeerConnection ? target : newTarget) as RTCPeerConnection;
      record(pc);
      return pc;
    },
  });

  // Listeners are counted on tapped pcs, by a layer between the browser's RTCPeerConnection.prototype
  // and EventTarget.prototype: the pc prototype's own property names stay the browser's.
  const listenerLayer = Object.create(Object.getPrototypeOf(proto) as object, {
    addEventListener: {
      configurable: true,
      enumerable: true,
      writable: true,
      value: function addEventListener(
        this: RTCPeerConnection,
        type: string,
        listener: EventListenerOrEventListenerObject | null,
        options?: boolean | AddEventListenerOptions,
      ): void {
        if (listener) listeners.get(this)?.add(keyOf(type, listener, options));
        nativeAdd.call(this, type, listener, options);
      },
    },
    removeEventListener: {
      configurable: true,
      enumerable: true,
      writable: true,
      value: function removeEventListener(
        this: RTCPeerConnection,
        type: string,
        listener: EventListenerOrEventListenerObject | null,
        options?: boolean | EventListenerOptions,
      ): void {
        if (listener) listeners.get(this)?.delete(keyOf(type, listener, options));
        nativeRemove.call(this, type, listener, options);
      },
    },
  }) as object;
  Object.setPrototypeOf(proto, listenerLayer);

  for (const fn of Object.keys(LEGACY_FAILURE_INDEX) as PeerConnectionFunction[]) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, fn);
    const original = proto[fn] as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(proto, fn, {
      configurable: true,
      writable: true,
      enumerable: descriptor?.enumerable ?? true,
      value: function injectableMethod(this: RTCPeerConnection, ...args: unknown[]): Promise<unknown> {
        const at = armed.findIndex((failure) => failure.fn === fn);
        if (at < 0) return original.apply(this, args);
        const [failure] = armed.splice(at, 1) as [InjectedFailure];
        failure.consumed = true;
        failure.consumedBy = byPc.get(this);
        const onFailure = args[LEGACY_FAILURE_INDEX[fn]];
        if (typeof onFailure === 'function') {
          queueMicrotask(() => (onFailure as (e: unknown) => void)(failure.error));
          return Promise.resolve();
        }
        return Promise.reject(failure.error);
      },
    });
  }

  patchMediaCapture(armed);

  globalThis.RTCPeerConnection = TappedRTCPeerConnection;
  (globalThis as { webkitRTCPeerConnection?: unknown }).webkitRTCPeerConnection = TappedRTCPeerConnection;

  installed = {
    peerConnections: pcs,
    armFailure(fn) {
      const failure: InjectedFailure = { fn, error: new DOMException(`injected ${fn} failure`, 'OperationError'), consumed: false };
      armed.push(failure);
      return failure;
    },
    armMediaFailure(fn) {
      const failure: InjectedFailure = { fn, error: new DOMException(`injected ${fn} failure`, 'NotAllowedError'), consumed: false };
      armed.push(failure);
      return failure;
    },
    listenerCount: (pc) => listeners.get(pc)?.size ?? 0,
    instancePatches: (pc) =>
      Object.getOwnPropertyNames(pc)
        .filter((name) => typeof (pc as unknown as Record<string, unknown>)[name] === 'function')
        .sort(),
    find: (pc) => (typeof pc === 'object' && pc !== null ? byPc.get(pc) : undefined),
  };
  return installed;
}

/**
 * Patches `MediaDevices.prototype.getUserMedia` so an armed failure rejects the next call. On the
 * prototype, where the browser keeps it: wrappers on the `navigator.mediaDevices` object itself
 * (a shim's, an app's) run above it, as they would above the browser.
 */
function patchMediaCapture(armed: InjectedFailure[]): void {
  const proto = globalThis.MediaDevices?.prototype as unknown as Record<string, unknown> | undefined;
  const original = proto?.getUserMedia as ((...args: unknown[]) => Promise<MediaStream>) | undefined;
  if (!proto || typeof original !== 'function') return;
  Object.defineProperty(proto, 'getUserMedia', {
    configurable: true,
    writable: true,
    enumerable: true,
    value: function injectableGetUserMedia(this: MediaDevices, ...args: unknown[]): Promise<MediaStream> {
      const at = armed.findIndex((failure) => failure.fn === 'getUserMedia');
      if (at < 0) return original.apply(this, args);
      const [failure] = armed.splice(at, 1) as [InjectedFailure];
      failure.consumed = true;
      return Promise.reject(failure.error);
    },
  });
}
