import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteWorkerStorage } from '../src/storage/sqlite-worker-storage.js';
import type { CollectorStorage } from '../src/storage/storage.js';

const opened: { dir: string; storage: CollectorStorage }[] = [];
afterEach(async () => {
  for (const { dir, storage } of opened.splice(0)) {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
const open = (): CollectorStorage => {
  const dir = mkdtempSync(join(tmpdir(), 'shims-collector-writer-'));
  const storage = createSqliteWorkerStorage({ file: join(dir, 'collector.sqlite') });
  opened.push({ dir, storage });
  return storage;
};
const joinInput = (conferenceID: string) => ({
  appID: '1',
  conferenceID,
  userID: 'alice',
  deviceID: null,
  endpointInfo: null,
  timestamp: 1,
  receivedAt: 1,
  body: {},
});

// The calls of one event-loop turn cross to the writer thread as one message.
describe('the SQLite writer thread', () => {
  it('answers every call of one turn, each with its own result', async () => {
    const storage = open();
    const joined = await Promise.all(Array.from({ length: 50 }, (_, i) => storage.joinUser(joinInput(`room-${i}`))));
    expect(new Set(joined.map((j) => j.ok && j.user.ucID)).size).toBe(50);
    expect((await storage.listConferences()).length).toBe(50);
  });

  it('fails only the call whose input cannot cross to the thread, not the others of its turn', async () => {
    const storage = open();
    const bad = storage.joinUser({ ...joinInput('bad'), body: { notData: () => 1 } });
    const good = storage.joinUser(joinInput('good'));
    await expect(bad).rejects.toThrow(/could not be cloned/);
    expect(await good).toMatchObject({ ok: true, created: true });
    expect((await storage.listConferences()).map((c) => c.conferenceID)).toEqual(['good']);
  });
});
