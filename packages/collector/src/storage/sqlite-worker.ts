// The writer thread of the SQLite storage (sqlite-worker-storage.ts): it owns the connection that
// writes, so deriving, compressing and every COMMIT's fsync happen off the event loop that
// serves HTTP. Writes that arrive together share a transaction (group-commit.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { createSqliteStorage, type SqliteStorageOptions } from './sqlite-storage.js';
import { splitBatch } from './raw-batch.js';
import type { CollectorStorage, StatsInput } from './storage.js';

/** A call from the main thread: a write method of CollectorStorage and its input. */
export interface WriterCall {
  id: number;
  method: 'joinUser' | 'addEvent' | 'addStats' | 'addLog' | 'purge' | 'close';
  input?: unknown;
}

export interface WriterAnswer {
  id: number;
  value?: unknown;
  error?: { name: string; message: string };
}

const storage: CollectorStorage = createSqliteStorage(workerData as SqliteStorageOptions);
const port = parentPort!;

function run(call: WriterCall): Promise<unknown> {
  switch (call.method) {
    case 'joinUser':
      return storage.joinUser(call.input as Parameters<CollectorStorage['joinUser']>[0]);
    case 'addEvent':
      return storage.addEvent(call.input as Parameters<CollectorStorage['addEvent']>[0]);
    case 'addStats': {
      // Sent as its text alone (a string crosses threads as one copy); parsed again here.
      const input = call.input as StatsInput;
      return storage.addStats(input.raw === undefined ? input : { ...input, ...splitBatch(input.raw) });
    }
    case 'addLog':
      return storage.addLog(call.input as Parameters<CollectorStorage['addLog']>[0]);
    case 'purge':
      return storage.purge!(call.input as number);
    case 'close':
      return storage.close();
  }
}

port.on('message', (call: WriterCall) => {
  run(call).then(
    (value) => port.postMessage({ id: call.id, value } satisfies WriterAnswer),
    (error: unknown) => {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id: call.id, error: { name, message } } satisfies WriterAnswer);
    },
  );
});
