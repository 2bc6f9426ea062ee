/**
 * `list` narrowed to the names a comma-separated environment variable gives (unset: all of it),
 * for CI runs that leave part of a suite out (`SHIMS_ENGINES`, `SHIMS_CONFORMANCE_CLIENTS`). A
 * name outside `known` is a typo that would silently run nothing: it throws, naming the variable.
 */
export function narrowedByEnv<T extends string>(variable: string, noun: string, known: readonly T[], list: readonly T[]): readonly T[] {
  const wanted = process.env[variable]
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!wanted) return list;
  const unknown = wanted.filter((name) => !(known as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`${variable}: unknown ${noun} ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return list.filter((item) => wanted.includes(item));
}
