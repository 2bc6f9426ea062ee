import { PEER_CONNECTION_FUNCTIONS, type PeerConnectionFunction } from './contract/callstats-enums.js';

/** What a wrapped pc tells its subscribers. */
export interface PeerConnectionHooks {
  /** A pc method failed; `error` is the very object the caller receives. */
  onFailure?(fn: PeerConnectionFunction, error: unknown): void;
  /** `close()` is about to run (the pc is still readable). */
  onClose?(): void;
}

/** Undoes one `wrapPeerConnection()`; calling it again does nothing. */
export type Unwrap = () => void;

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type WrappedMethod = PeerConnectionFunction | 'close';

interface InstalledWrapper {
  wrapper: AnyFunction;
  /** The pc's own property before wrapping, if it had one (another library's instance patch). */
  ownDescriptor: PropertyDescriptor | undefined;
}

interface WrapState {
  hooks: Set<PeerConnectionHooks>;
  installed: Map<WrappedMethod, InstalledWrapper>;
}

const WRAPPED_METHODS: readonly WrappedMethod[] = [...PEER_CONNECTION_FUNCTIONS, 'close'];

/** Per pc, one set of wrappers shared by every subscriber: a pc is never wrapped twice. */
const states = new WeakMap<object, WrapState>();

/**
 * Where the legacy failure callback sits for each method, e.g. `createOffer(success, failure)`
 * and `setLocalDescription(description, success, failure)`.
 */
const LEGACY_FAILURE_INDEX: Record<PeerConnectionFunction, number> = {
  createOffer: 1,
  createAnswer: 1,
  setLocalDescription: 2,
  setRemoteDescription: 2,
  addIceCandidate: 2,
};

function isLegacyCall(fn: PeerConnectionFunction, args: readonly unknown[]): boolean {
  const failureIndex = LEGACY_FAILURE_INDEX[fn];
  return typeof args[failureIndex - 1] === 'function' || typeof args[failureIndex] === 'function';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

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
function failureWrapper(state: WrapState, fn: PeerConnectionFunction, original: AnyFunction): AnyFunction {
  return function wrappedPeerConnectionMethod(this: unknown, ...args: unknown[]): unknown {
    if (state.hooks.size === 0) return original.apply(this, args);
    let reported = false;
    const report = (error: unknown): void => {
      if (reported) return;
      reported = true;
      notify(state, (hooks) => hooks.onFailure?.(fn, error));
    };
    const legacy = isLegacyCall(fn, args);
    const failureIndex = LEGACY_FAILURE_INDEX[fn];
    const appFailure = args[failureIndex];
    if (legacy && typeof appFailure === 'function') {
      args[failureIndex] = function reportThenForward(this: unknown, error: unknown): unknown {
        report(error);
        return (appFailure as AnyFunction).call(this, error);
      };
    }
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      report(error);
      throw error;
    }
    if (legacy && typeof appFailure === 'function') return result;
    if (!isThenable(result)) return result;
    // The caller gets a promise that settles like the original, with the same value or error.
    return result.then(undefined, (error: unknown) => {
      report(error);
      throw error;
    });
  };
}

function closeWrapper(state: WrapState, original: AnyFunction): AnyFunction {
  return function wrappedClose(this: unknown, ...args: unknown[]): unknown {
    notify(state, (hooks) => hooks.onClose?.());
    return original.apply(this, args);
  };
}

function install(pc: Record<string, unknown>, method: WrappedMethod, state: WrapState): InstalledWrapper | undefined {
  const original = pc[method];
  if (typeof original !== 'function') return undefined;
  const ownDescriptor = Object.getOwnPropertyDescriptor(pc, method);
  const wrapper =
    method === 'close'
      ? closeWrapper(state, original as AnyFunction)
      : failureWrapper(state, method, original as AnyFunction);
  try {
    Object.defineProperty(pc, method, { value: wrapper, writable: true, configurable: true, enumerable: false });
  } catch {
    return undefined; // A frozen or exotic pc: leave it as it is.
  }
  return { wrapper, ownDescriptor };
}

function restore(pc: Record<string, unknown>, method: WrappedMethod, installed: InstalledWrapper): void {
  // Someone wrapped on top of us since: removing ours would cut their chain. Ours stays in place,
  // and with no subscribers left it only forwards to the original.
  if (pc[method] !== installed.wrapper) return;
  if (installed.ownDescriptor) Object.defineProperty(pc, method, installed.ownDescriptor);
  else delete pc[method];
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
    state = { hooks: new Set(), installed: new Map() };
    for (const method of WRAPPED_METHODS) {
      const installed = install(pc as Record<string, unknown>, method, state);
      if (installed) state.installed.set(method, installed);
    }
    states.set(pc, state);
  }
  const owner = state;
  const subscription = { ...hooks };
  owner.hooks.add(subscription);
  return () => {
    if (!owner.hooks.delete(subscription) || owner.hooks.size > 0) return;
    for (const [method, installed] of owner.installed) restore(pc as Record<string, unknown>, method, installed);
    if (states.get(pc) === owner) states.delete(pc);
  };
}

/** Whether this copy of `@shims/core` has wrappers installed on `pc`. */
export function isPeerConnectionWrapped(pc: object): boolean {
  return states.has(pc);
}
