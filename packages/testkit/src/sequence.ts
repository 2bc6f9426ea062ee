/**
 * One counter for everything a test page observes (pc creation, pc events, client calls), so the
 * order of things on different objects can be compared: "added before its first event" is
 * `addNewFabric.seq < firstEvent.seq`. Kept on globalThis so every copy of this module shares it.
 */
const KEY = Symbol.for('@shims/testkit/sequence');

export function nextSeq(): number {
  const holder = globalThis as unknown as Record<symbol, number>;
  holder[KEY] = (holder[KEY] ?? 0) + 1;
  return holder[KEY];
}
