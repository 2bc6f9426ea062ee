/**
 * Argument checks at the call site: a bad argument is the app's bug, so it throws a TypeError
 * that names the function, the argument and what it got. Shims use them for their own entry points.
 */

export function requireNonEmptyString(value: unknown, name: string, where: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${where}: ${name} must be a non-empty string, got ${describeValue(value)}`);
  }
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, where: string): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new TypeError(`${where}: ${name} must be one of ${allowed.join(', ')}, got ${describeValue(value)}`);
  }
}

export function requireMethods(value: unknown, methods: readonly string[], name: string, where: string): void {
  const missing =
    typeof value === 'object' && value !== null
      ? methods.filter((m) => typeof (value as Record<string, unknown>)[m] !== 'function')
      : methods;
  if (missing.length > 0) {
    throw new TypeError(`${where}: ${name} must have ${missing.join(', ')}(), got ${describeValue(value)}`);
  }
}

/** A short, safe description of a bad argument for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
