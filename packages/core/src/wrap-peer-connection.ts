import { PEER_CONNECTION_FUNCTIONS, type PeerConnectionFunction } from './contract/callstats-enums.js';
import type { AnyMethod, Unwrap } from './replace-method.js';
import { createScope, patchMethod, type ShimScope } from './shim-changes.js';

export type { Unwrap } from './replace-method.js';

/** What a wrapped pc tells its subscribers. */
export interface PeerConnectionHooks {
  /** A pc method failed; `error` is the very object the caller receives. */
  onFailure?(fn: PeerConnectionFunction, error: unknown): void;
  /** `close()` is about to run (the pc is still readable). */
  onClose?(): void;
}

interface WrapState {
  hooks: Set<PeerConnectionHooks>;
  wrappers: ShimScope;
}

type WrappedMethod = PeerConnectionFunction | 'close';
const WRAPPED_METHODS: readonly WrappedMethod[] = [...PEER_CONNECTION_FUNCTIONS, 'close'];

/** Per pc, one set of wrappers shared by every subscriber: a pc is never wrapped twice. */
const states = new WeakMap<object, WrapState>();

function notify(state: WrapState, call: (hooks: PeerConnectionHooks) => void): void {
  for (const hooks of state.hooks) {
    try {
      call(hooks);
    } catch {
      // A subscriber's bug must not change what the app's call does.
    }
  }
}

// Each wrapper holds its own state: a wrapper left under another library's patch after unwrap
// keeps an empty state and forwards only, even when the pc is wrapped anew later.
function methodWrapper(state: WrapState, method: WrappedMethod, original: AnyMethod): AnyMethod {
  // Where the legacy failure callback sits: `createOffer(success, failure)`,
  // `createAnswer(success, failure)`, `setLocalDescription(description, success, failure)`, ...
  const failureIndex = method.startsWith('create') ? 1 : 2;
  return function wrappedPeerConnectionMethod(this: unknown, ...args: unknown[]): unknown {
    if (method === 'close') notify(state, (hooks) => hooks.onClose?.());
    if (method === 'close' || state.hooks.size === 0) return original.apply(this, args);
    let reported = false;
    const report = (error: unknown): void => {
      if (reported) return;
      reported = true;
      notify(state, (hooks) => hooks.onFailure?.(method, error));
    };
    const appFailure = args[failureIndex];
    const callbackForm = typeof appFailure === 'function';
    if (callbackForm) {
      args[failureIndex] = function reportThenForward(this: unknown, error: unknown): unknown {
        report(error);
        return appFailure.call(this, error);
      };
    }
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      report(error);
      throw error;
    }
    if (callbackForm || typeof (result as PromiseLike<unknown> | null)?.then !== 'function') return result;
    // The caller gets a promise that settles like the original, with the same value or error.
    return (result as PromiseLike<unknown>).then(undefined, (error: unknown) => {
      report(error);
      throw error;
    });
  };
}

/**
 * Wraps a pc's `createOffer`, `createAnswer`, `setLocalDescription`, `setRemoteDescription`,
 * `addIceCandidate` (promise and legacy callback forms) and `close` on the instance, so that
 * `hooks` hear of every failure and of the close. The caller still receives the original value
 * or error. Several subscribers share one set of wrappers; the last `unwrap()` removes them.
 * Patches made to `RTCPeerConnection.prototype` by other libraries keep working underneath.
 */
export function wrapPeerConnection(pc: object, hooks: PeerConnectionHooks): Unwrap {
  let state = states.get(pc);
  if (!state) {
    const created: WrapState = { hooks: new Set(), wrappers: createScope() };
    for (const method of WRAPPED_METHODS) patchMethod(created.wrappers, pc, method, (original) => methodWrapper(created, method, original));
    states.set(pc, (state = created));
  }
  const owner = state;
  const subscription = { ...hooks };
  owner.hooks.add(subscription);
  return () => {
    if (!owner.hooks.delete(subscription) || owner.hooks.size > 0) return;
    owner.wrappers.dispose();
    if (states.get(pc) === owner) states.delete(pc);
  };
}

/** Whether this copy of `@shims/core` has wrappers installed on `pc`. */
export function isPeerConnectionWrapped(pc: object): boolean {
  return states.has(pc);
}
