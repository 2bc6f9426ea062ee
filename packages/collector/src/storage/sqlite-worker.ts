// The writer thread of the SQLite storage (sqlite-worker-storage.ts): it owns the connection that
// writes, so deriving, compressing and every COMMIT's fsync happen off the event loop that
// serves HTTP. Writes that arrive together share a transaction (group-commit.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { createSqliteStorage, type SqliteStorageOptions, type SummarizedStatsInput } from './sqlite-storage.js';
import { splitBatch } from './raw-batch.js';
import type { CollectorStorage } from './storage.js';

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

const storage = createSqliteStorage(workerData as SqliteStorageOptions);
const port = parentPort!;

function run(call: WriterCall): Promise<unknown> {
  switch (call.method) {
    case 'joinUser':
      return storage.joinUser(call.input as Parameters<CollectorStorage['joinUser']>[0]);
    case 'addEvent':
      return storage.addEvent(call.input as Parameters<CollectorStorage['addEvent']>[0]);
    case 'addStats': {
      // Sent as its text (a string crosses threads as one copy) and, for a stats batch, its
      // summary: only a batch without the summary is parsed again here.
      const input = call.input as SummarizedStatsInput;
      return storage.addStats(input.raw === undefined || input.summary !== undefined ? input : { ...input, ...splitBatch(input.raw) });
    }
    case 'addLog':
      return storage.addLog(call.input as Parameters<CollectorStorage['addLog']>[0]);
    case 'purge':
      return storage.purge!(call.input as number);
    case 'close':
      return storage.close();
  }
}

// Answers go back in one message per turn, as the calls came: a message costs a copy and a
// wake-up of the other thread whatever its size (profiled: 1.5 s of 37 s on both threads, one
// message per batch at 1,000 batches/s).
let answers: WriterAnswer[] = [];
function answer(item: WriterAnswer): void {
  if (answers.push(item) === 1) setImmediate(sendAnswers);
}
function sendAnswers(): void {
  const sending = answers;
  answers = [];
  port.postMessage(sending);
}

port.on('message', (calls: WriterCall[]) => {
  for (const call of calls) {
    run(call).then(
      (value) => answer({ id: call.id, value }),
      (error: unknown) => {
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        answer({ id: call.id, error: { name, message } });
      },
    );
  }
});
