/** Undoes one replacement (`replaceMethod`, `wrapPeerConnection`, ...); calling it again does nothing. */
export type Unwrap = () => void;

/** Any method: a wrapper takes and returns whatever the original does. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a wrapper takes and returns whatever the original does
export type AnyMethod = (this: unknown, ...args: any[]) => any;

/**
 * Puts `makeWrapper(original)` in place of `target[name]`, as an own property (the original may
 * live on the prototype), and returns what puts the original back. Undefined, and nothing changed,
 * when there is no such method or the object refuses a new property (frozen, exotic). The way
 * back leaves in place a wrapper that someone else has wrapped on top of since: removing it would
 * cut their chain, so it stays and should only forward from then on.
 */
export function replaceMethod(target: object, name: string, makeWrapper: (original: AnyMethod) => AnyMethod): Unwrap | undefined {
  const record = target as Record<string, unknown>;
  const original = record[name];
  if (typeof original !== 'function') return undefined;
  const ownDescriptor = Object.getOwnPropertyDescriptor(target, name);
  const wrapper = makeWrapper(original as AnyMethod);
  try {
    Object.defineProperty(target, name, { value: wrapper, writable: true, configurable: true, enumerable: ownDescriptor?.enumerable ?? false });
  } catch {
    return undefined;
  }
  return () => {
    if (record[name] !== wrapper) return;
    if (ownDescriptor) Object.defineProperty(target, name, ownDescriptor);
    else delete record[name];
  };
}

/** Adds `[Symbol.dispose]` (same as `dispose`) where the runtime has it, for `using handle = ...`. */
export function withDisposeSymbol<T extends { dispose(): void }>(handle: T): T & Disposable {
  if (typeof Symbol.dispose === 'symbol') (handle as T & Disposable)[Symbol.dispose] = handle.dispose;
  return handle as T & Disposable;
}
