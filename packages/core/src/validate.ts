/**
 * Argument checks at the call site: a bad argument is the app's bug, so it throws a TypeError
 * that names the function, the argument and what it got. Shims use them for their own entry points.
 */

/** The TypeError for a bad argument: `<where>: <name> <requirement>, got <what it got>`. */
export function invalidArgument(where: string, name: string, requirement: string, got: unknown): TypeError {
  return new TypeError(`${where}: ${name} ${requirement}, got ${describeValue(got)}`);
}

export function requireNonEmptyString(value: unknown, name: string, where: string): asserts value is string {
  if (typeof value !== 'string' || value === '') throw invalidArgument(where, name, 'must be a non-empty string', value);
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, where: string): asserts value is T {
  if (!allowed.includes(value as T)) throw invalidArgument(where, name, `must be one of ${allowed.join(', ')}`, value);
}

/** An object with these methods; else a TypeError that says `requirement` (default: the methods missing). */
export function requireMethods(value: unknown, methods: readonly string[], name: string, where: string, requirement?: string): void {
  const missing =
    typeof value === 'object' && value !== null ? methods.filter((m) => typeof (value as Record<string, unknown>)[m] !== 'function') : methods;
  if (missing.length > 0) throw invalidArgument(where, name, requirement ?? `must have ${missing.join(', ')}()`, value);
}

/** A short, safe description of a bad argument for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
