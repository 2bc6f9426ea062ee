import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createSqliteStorage, type SqliteStorageOptions, type SummarizedStatsInput } from './sqlite-storage.js';
import { summarizeStats } from '../derive-series.js';
import type { WriterAnswer, WriterCall } from './sqlite-worker.js';
import { createBoundedCache } from './bounded-cache.js';
import { StorageFullError, type CollectorStorage, type StatsInput, type UserRecord } from './storage.js';

/**
 * The writer thread's module: once built, `dist/storage/sqlite-worker.js`, an entry of its own
 * (tsdown.config.ts) beside this code's chunk in `dist/`. Run from the
 * TypeScript sources (the tests), it is the `.ts` file, loaded through a resolve hook that maps
 * `./x.js` imports to `./x.ts` as the build does.
 */
function writerModule(): URL {
  const built = new URL('./storage/sqlite-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  const source = new URL('./sqlite-worker.ts', import.meta.url).href;
  const loader = `import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) {
  try { return next(specifier, context); } catch (error) {
    if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context);
    throw error;
  }
} });
await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(loader)}`);
}

const WRITER_YOUNG_GENERATION_MB = 48;

/**
 * SQLite in a file with its writes on a worker thread. Profiled at 1,000 stats batches/s, the
 * event loop spent a fifth of its time in COMMIT (the WAL fsync) and more deriving and
 * compressing; here the main thread only reads (its own connection: WAL lets it read while the
 * writer writes) and hands each write to the writer, whose answer comes after its group's COMMIT,
 * so an acknowledged write is durable exactly as before.
 */
export function createSqliteWorkerStorage(options: SqliteStorageOptions & { file: string }): CollectorStorage {
  // Opened first, on this thread: it creates or migrates the schema before the writer opens.
  const reader = createSqliteStorage(options);
  // The writer's young generation is capped: left to itself V8 grew it to 128 MiB under load
  // (two 64 MiB semi-spaces, measured at 1,000 batches/s) while the writer keeps only about
  // 15 MiB alive. 48 MB (16 MiB semi-spaces) cost no CPU per batch there and saved ~90 MiB of RSS.
  const worker = new Worker(writerModule(), { workerData: options, resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB } });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let nextID = 0;
  let failed: Error | undefined;
  worker.on('message', (answers: WriterAnswer[]) => {
    for (const { id, value, error } of answers) {
      const call = waiting.get(id);
      waiting.delete(id);
      if (!error) call?.resolve(value);
      else call?.reject(error.name === 'StorageFullError' ? new StorageFullError(error.message) : new Error(error.message));
    }
  });
  // A writer that died answers nothing more: every write waiting, and every later one, fails.
  const fail = (error: Error): void => {
    failed ??= error;
    for (const call of waiting.values()) call.reject(failed);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (${code})`)));
  // The calls of one event-loop turn go to the writer as one message, at the end of the turn
  // (the check phase, before the loop waits again): a message costs a copy and a wake-up of the
  // writer whatever its size, and the writer commits what arrives together as one group anyway.
  let outbox: WriterCall[] = [];
  const sendOutbox = (): void => {
    const calls = outbox;
    outbox = [];
    if (failed) return;
    try {
      worker.postMessage(calls);
    } catch {
      // An input that cannot be cloned fails its own call only, as when each call was a message.
      for (const one of calls) {
        try {
          worker.postMessage([one]);
        } catch (error) {
          waiting.get(one.id)?.reject(error);
          waiting.delete(one.id);
        }
      }
    }
  };
  const call = <T>(method: WriterCall['method'], input?: unknown): Promise<T> => {
    if (failed) return Promise.reject(failed);
    return new Promise<T>((resolve, reject) => {
      const id = nextID++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (outbox.push({ id, method, input }) === 1) setImmediate(sendOutbox);
    });
  };
  // A user, once joined, never changes; only retention deletes it. Every event and batch looks its
  // user up, on the event loop: remembered, that read (and its JSON) is saved. Cleared by purge.
  const users = createBoundedCache<UserRecord>(100_000);
  let closing: Promise<void> | undefined;
  return {
    ...reader,
    async findUser(conferenceID, ucID) {
      const key = `${conferenceID}\n${ucID}`;
      const known = users.get(key);
      if (known) return known;
      const user = await reader.findUser(conferenceID, ucID);
      if (user) users.remember(key, user);
      return user;
    },
    joinUser: (input) => call('joinUser', input),
    addEvent: (input) => call('addEvent', input),
    // With its text, a batch crosses as that text and, for a stats batch, its summary (a few
    // numbers, made here from the stats already parsed), so the writer parses nothing: parsing
    // it again there was a tenth of the writer's time (profiled at 1,000 batches/s).
    addStats: (input: StatsInput) =>
      call(
        'addStats',
        input.raw === undefined
          ? input
          : ({
              ...input,
              stats: [],
              body: {},
              ...(input.kind === 'stats' && input.connectionID !== null ? { summary: summarizeStats(input.stats) } : {}),
            } satisfies SummarizedStatsInput),
      ),
    addLog: (input) => call('addLog', input),
    async purge(receivedBefore) {
      users.clear();
      try {
        return await call<{ deleted: number }>('purge', receivedBefore);
      } finally {
        users.clear();
      }
    },
    close() {
      closing ??= (async () => {
        if (!failed) await call('close');
        await worker.terminate();
        await reader.close();
      })();
      return closing;
    },
  };
}
