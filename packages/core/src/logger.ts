/**
 * Where a shim says that something went wrong inside the monitoring, never into the app: an
 * object with `warn` (`console`, a pino or winston logger) or a function (`console.warn`).
 */
export type ShimLogger = { warn(message: string, detail?: unknown): void } | ((message: string, detail?: unknown) => void);

/** Receives one warning per kind; later warnings of the same kind are dropped. */
export type Warn = (kind: string, message: string, detail?: unknown) => void;

/**
 * A warn function that tells the logger once per kind, so a monitoring client failing on every
 * stats poll does not flood the app's console. A logger that throws is ignored. The default,
 * `console`, is read at each warning, so a `console.warn` replaced later is the one used.
 */
export function createWarnOnce(source: string, logger: ShimLogger = console): Warn {
  const told = new Set<string>();
  return (kind, message, detail) => {
    if (told.has(kind)) return;
    told.add(kind);
    try {
      const line = `[${source}] ${message}`;
      if (typeof logger === 'function') logger(line, detail);
      else logger.warn(line, detail);
    } catch {
      // The app's logger failed; there is nowhere left to tell, and the call must go on.
    }
  };
}
