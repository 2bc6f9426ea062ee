import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createSqliteStorage, type SqliteStorageOptions } from './sqlite-storage.js';
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
  const worker = new Worker(writerModule(), { workerData: options });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let nextID = 0;
  let failed: Error | undefined;
  worker.on('message', ({ id, value, error }: WriterAnswer) => {
    const call = waiting.get(id);
    waiting.delete(id);
    if (!error) call?.resolve(value);
    else call?.reject(error.name === 'StorageFullError' ? new StorageFullError(error.message) : new Error(error.message));
  });
  // A writer that died answers nothing more: every write waiting, and every later one, fails.
  const fail = (error: Error): void => {
    failed ??= error;
    for (const call of waiting.values()) call.reject(failed);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (${code})`)));
  const call = <T>(method: WriterCall['method'], input?: unknown): Promise<T> => {
    if (failed) return Promise.reject(failed);
    return new Promise<T>((resolve, reject) => {
      const id = nextID++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, input } satisfies WriterCall);
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
    // With its text, the batch crosses as that text alone: the writer parses it again.
    addStats: (input: StatsInput) => call('addStats', input.raw === undefined ? input : { ...input, stats: [], body: {} }),
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
