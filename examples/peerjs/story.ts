// The call's script: what happens when, and a progress line while it plays. The runner supplies
// what each step does (mute in alice's page, impair the relay...); this file only keeps the time.

export interface StoryStep {
  /** Seconds since the call came up. */
  at: number;
  /** What the progress line says from then on. */
  say: string;
  run?: () => Promise<void> | void;
}

/** When each step actually ran, in epoch ms (the dashboard check compares them with the collector's times). */
export type StoryLog = { say: string; at: number }[];

// A step already due (or late) runs at once: Node warns about a negative delay.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Plays `steps` (sorted by `at`) and returns once `lengthS` seconds have passed. On a terminal the
 * progress line is rewritten in place every second; in a log (CI) it is printed at each step and
 * every 10 s, so the log stays short.
 */
export async function playStory(steps: readonly StoryStep[], lengthS: number): Promise<StoryLog> {
  const start = Date.now();
  const log: StoryLog = [];
  let now = 'talking';
  const tty = process.stdout.isTTY === true;
  const line = (): string => {
    const elapsed = Math.min(lengthS, (Date.now() - start) / 1000);
    const done = Math.round((elapsed / lengthS) * 20);
    return `  [${'#'.repeat(done)}${'.'.repeat(20 - done)}] ${elapsed.toFixed(0).padStart(3)} s of ${lengthS} s · ${now}`;
  };
  let lastPrinted = -Infinity;
  let lastLine = '';
  /** In a log: a line, unless it says what the one before said (a tick and a step in the same second). */
  const printLine = (): void => {
    const text = line();
    lastPrinted = Date.now();
    if (text !== lastLine) console.log(text);
    lastLine = text;
  };
  const ticker = setInterval(() => {
    if (tty) process.stdout.write(`\r${line()}\x1b[K`);
    else if (Date.now() - lastPrinted >= 10_000) printLine();
  }, 1_000);
  try {
    for (const step of steps) {
      await sleep(start + step.at * 1000 - Date.now());
      now = step.say;
      await step.run?.();
      log.push({ say: step.say, at: Date.now() });
      if (tty) process.stdout.write(`\r${line()}\x1b[K`);
      else printLine();
    }
    await sleep(start + lengthS * 1000 - Date.now());
  } finally {
    clearInterval(ticker);
    if (tty) process.stdout.write(`\r${line()}\x1b[K\n`);
  }
  return log;
}
