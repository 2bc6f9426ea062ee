import type { ShimChanges } from '@shims/core';

/**
 * Turns an own data property into an accessor whose setter calls `onSet` with the new and the
 * previous value, until `owner` is disposed: then the property is a plain data property again,
 * with its latest value (unless someone redefined it since: theirs stays). False when the
 * property is missing, an accessor already, or cannot be redefined; nothing is changed then.
 */
export function hookProperty<T>(owner: ShimChanges, target: object, name: string, onSet: (value: T, previous: T) => void): boolean {
  const own = Object.getOwnPropertyDescriptor(target, name);
  if (!own || !('value' in own) || !own.configurable || !own.writable) return false;
  let current = own.value as T;
  const set = (value: T): void => {
    const previous = current;
    current = value;
    try {
      onSet(value, previous);
    } catch {
      // The SDK's own assignment must go through whatever the shim does with it.
    }
  };
  Object.defineProperty(target, name, { configurable: true, enumerable: own.enumerable, get: () => current, set });
  owner.onDispose(() => {
    if (Object.getOwnPropertyDescriptor(target, name)?.set !== set) return;
    Object.defineProperty(target, name, { ...own, value: current });
  });
  return true;
}
