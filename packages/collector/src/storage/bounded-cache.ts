/**
 * A Map that forgets its least recently remembered entry past `max` entries: per-fabric state
 * kept in memory must not grow with every fabric ever seen (memory stays flat under a soak).
 */
export interface BoundedCache<V> {
  get(key: string): V | undefined;
  remember(key: string, value: V): void;
  clear(): void;
}

export function createBoundedCache<V>(max: number): BoundedCache<V> {
  const entries = new Map<string, V>();
  return {
    get: (key) => entries.get(key),
    remember(key, value) {
      // Re-inserted, so Map's insertion order is the order of last use.
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > max) entries.delete(entries.keys().next().value!);
    },
    clear: () => entries.clear(),
  };
}
