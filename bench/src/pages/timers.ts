/**
 * Counts the page's live timers: imported first by every bench page, so it is in place before
 * any SDK or shim module runs. A timeout is live until it fires or is cleared, an interval until
 * it is cleared. What the shim owns is the difference between the loop with it and without it.
 */
const live = new Set<number>();
// window's timers (numbers), not Node's: this module runs in the page.
const original = {
  setTimeout: window.setTimeout.bind(window),
  setInterval: window.setInterval.bind(window),
  clearTimeout: window.clearTimeout.bind(window),
  clearInterval: window.clearInterval.bind(window),
};

type Callback = (...args: unknown[]) => void;

window.setTimeout = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => {
  const id = original.setTimeout(
    (...callArgs: unknown[]) => {
      live.delete(id);
      if (typeof handler === 'function') (handler as Callback)(...callArgs);
    },
    delay,
    ...args,
  );
  live.add(id);
  return id;
}) as typeof window.setTimeout;

window.setInterval = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => {
  const id = original.setInterval(handler, delay, ...args);
  live.add(id);
  return id;
}) as typeof window.setInterval;

window.clearTimeout = ((id?: number) => {
  if (id !== undefined) live.delete(id);
  original.clearTimeout(id);
}) as typeof window.clearTimeout;

window.clearInterval = ((id?: number) => {
  if (id !== undefined) live.delete(id);
  original.clearInterval(id);
}) as typeof window.clearInterval;

export function liveTimers(): number {
  return live.size;
}

/** An un-instrumented sleep, so the bench's own waits are never counted. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => original.setTimeout(resolve, ms));
}
