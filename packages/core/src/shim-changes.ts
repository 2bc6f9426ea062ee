import { replaceMethod, type AnyMethod, type Unwrap } from './replace-method.js';

/** A listener as SDK emitters take it. */
export type Listener = (...args: never[]) => void;

/**
 * The listener an SDK emitter's `on` takes, as a structural type sees it from outside. Typed
 * emitters (PeerJS's eventemitter3 among them) declare `on<E>(event: E, fn: (...args: ArgsOf<E>)
 * => void)`; such a method matches `on(event: string, listener: ...)` only when the listener's
 * arguments are `any[]` (with `never[]`, passing a real PeerJS `Peer` to `monitorPeerJs` failed
 * to type-check in an app). The shims' own listeners stay typed as `Listener`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the one type every typed SDK listener accepts
type SdkListener = (...args: any[]) => void;

/** An SDK's event emitter (Node's, eventemitter3, JsSIP's...), as `listenOn` uses it. */
export interface EmitterLike {
  on(event: string, listener: SdkListener): unknown;
  off?(event: string, listener: SdkListener): unknown;
  removeListener?(event: string, listener: SdkListener): unknown;
}

/**
 * Where a shim records what it changes on the SDK's objects: a monitor, or a scope of one. Each
 * change is undone at its `dispose()`, in reverse order. A shim never keeps an undo list of its own.
 */
export interface ShimChanges {
  /** Runs `cleanup` at dispose (at once if disposed already); returns what runs it now instead, once. */
  onDispose(cleanup: Unwrap): Unwrap;
}

/** A group of changes undone together, before the monitor's end (one SDK session, call or handle). */
export interface ShimScope extends ShimChanges {
  /** Undoes this scope's changes in reverse; the monitor's dispose does it for scopes still open. */
  dispose(): void;
}

/** A new group of changes, undone with `owner` (a monitor or a scope) unless disposed before. */
export function createScope(owner?: ShimChanges): ShimScope {
  const steps = new Set<Unwrap>();
  let disposed = false;
  // Set below, once the scope exists; an owner disposed already runs scope.dispose at once, before it is set.
  let leaveOwner: Unwrap | undefined;
  const scope: ShimScope = {
    onDispose(step) {
      if (disposed) step();
      else steps.add(step);
      return () => steps.delete(step) && step();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      leaveOwner?.();
      for (const step of [...steps].reverse()) {
        steps.delete(step);
        try {
          step();
        } catch {
          // Keep undoing the rest.
        }
      }
    },
  };
  leaveOwner = owner?.onDispose(scope.dispose);
  return scope;
}

/**
 * `replaceMethod(target, name, makeWrapper)`, undone when `owner` is disposed (a wrapper someone
 * put on top since is never removed: ours forwards from then on). False, and nothing changed, when
 * there is no such method or the object refuses it. An owner disposed already undoes it at once.
 */
export function patchMethod(owner: ShimChanges, target: object, name: string, makeWrapper: (original: AnyMethod) => AnyMethod): boolean {
  const undo = replaceMethod(target, name, makeWrapper);
  if (undo) owner.onDispose(undo);
  return !!undo;
}

type Methods = Record<string, ((...args: unknown[]) => unknown) | undefined>;

/**
 * Adds `listener` for `event` on an emitter with `on`/`off` (or `removeListener`),
 * `addListener`/`removeListener` or `addEventListener`/`removeEventListener`, removed when `owner`
 * is disposed; returns what removes it now instead.
 */
export function listenOn(owner: ShimChanges, emitter: object, event: string, listener: Listener): Unwrap {
  const e = emitter as Methods;
  (e.on ?? e.addListener ?? e.addEventListener)!.call(emitter, event, listener);
  return owner.onDispose(() => (e.off ?? e.removeListener ?? e.removeEventListener)?.call(emitter, event, listener));
}
