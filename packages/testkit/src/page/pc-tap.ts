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

/** A failure armed for the next call of one pc function, on whichever pc makes it. */
export interface InjectedFailure {
  fn: PeerConnectionFunction;
  error: DOMException;
  /** Set when a pc call consumed it. */
  consumedBy?: TappedPeerConnection;
}

export interface PeerConnectionTap {
  readonly peerConnections: readonly TappedPeerConnection[];
  /** Makes the next call of `fn` (below any instance wrapper) fail with a fresh DOMException. */
  armFailure(fn: PeerConnectionFunction): InjectedFailure;
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
 * Replaces `window.RTCPeerConnection` with a subclass that records every pc (creation order,
 * first event, listeners) and can make one pc function fail on demand. It sits where other
 * libraries' prototype patches sit, so a shim's instance wrappers run above it, as they would
 * above the browser. Install it before the SDK under test reads the constructor.
 */
export function installPeerConnectionTap(): PeerConnectionTap {
  if (installed) return installed;
  const Native = globalThis.RTCPeerConnection;
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

  class TappedRTCPeerConnection extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      const record: TappedPeerConnection = { index: pcs.length, pc: this, createdSeq: nextSeq(), everConnected: false };
      pcs.push(record);
      byPc.set(this, record);
      listeners.set(this, new Set());
      for (const type of OBSERVED_EVENTS) {
        nativeAdd.call(this, type, () => {
          record.firstEvent ??= { type, seq: nextSeq() };
          if (this.iceConnectionState === 'connected' || this.iceConnectionState === 'completed') record.everConnected = true;
        });
      }
    }

    override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
      if (listener) listeners.get(this)?.add(keyOf(type, listener, options));
      nativeAdd.call(this, type, listener, options);
    }

    override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
      if (listener) listeners.get(this)?.delete(keyOf(type, listener, options));
      nativeRemove.call(this, type, listener, options);
    }
  }

  for (const fn of Object.keys(LEGACY_FAILURE_INDEX) as PeerConnectionFunction[]) {
    const original = Native.prototype[fn] as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(TappedRTCPeerConnection.prototype, fn, {
      configurable: true,
      writable: true,
      value: function injectableMethod(this: RTCPeerConnection, ...args: unknown[]): Promise<unknown> {
        const at = armed.findIndex((failure) => failure.fn === fn);
        if (at < 0) return original.apply(this, args);
        const [failure] = armed.splice(at, 1) as [InjectedFailure];
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

  Object.defineProperty(TappedRTCPeerConnection, 'name', { value: 'RTCPeerConnection' });
  globalThis.RTCPeerConnection = TappedRTCPeerConnection;
  (globalThis as { webkitRTCPeerConnection?: unknown }).webkitRTCPeerConnection = TappedRTCPeerConnection;

  installed = {
    peerConnections: pcs,
    armFailure(fn) {
      const failure: InjectedFailure = { fn, error: new DOMException(`injected ${fn} failure`, 'OperationError') };
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
