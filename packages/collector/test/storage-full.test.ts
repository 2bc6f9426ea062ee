// A full database during a group commit (src/storage/group-commit.ts): the writes refused say
// "disk full", the acknowledged ones are all there after reopening, nothing else is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../src/storage/sqlite-storage.js';
import { createSqliteWorkerStorage } from '../src/storage/sqlite-worker-storage.js';
import { StorageFullError, type CollectorStorage } from '../src/storage/storage.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const drivers: [string, (file: string, maxBytes: number) => CollectorStorage][] = [
  ['in-process', (file, maxBytes) => createSqliteStorage({ file, maxBytes })],
  ['writer thread', (file, maxBytes) => createSqliteWorkerStorage({ file, maxBytes })],
];

describe.each(drivers)('a full database (%s)', (_, open) => {
  it('refuses the writes that do not fit with StorageFullError and keeps every acknowledged one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'storage-full-'));
    dirs.push(dir);
    const file = join(dir, 'collector.sqlite');
    const storage = open(file, 256 * 1024);
    const joined = await storage.joinUser({
      appID: '1',
      conferenceID: 'room',
      userID: 'alice',
      deviceID: null,
      endpointInfo: null,
      timestamp: 1,
      receivedAt: 1,
      body: {},
    });
    if (!joined.ok) throw new Error('join failed');
    const event = (i: number) =>
      storage.addEvent({
        appID: '1',
        conferenceID: 'room',
        ucID: joined.user.ucID,
        connectionID: null,
        remoteID: null,
        suffix: 'app/logs',
        eventType: 'log',
        timestamp: i,
        receivedAt: i,
        body: { i, filler: `${i}:`.padEnd(8_000, 'x') },
      });
    // Several groups, most of them past the cap: some writes fit, the rest must be refused.
    const results: PromiseSettledResult<number>[] = [];
    for (let turn = 0; turn < 8; turn++) results.push(...(await Promise.allSettled(Array.from({ length: 10 }, (_, k) => event(turn * 10 + k)))));
    const acknowledged = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const reason of refused) expect(reason).toBeInstanceOf(StorageFullError);
    await storage.close();

    const reopened = createSqliteStorage({ file });
    const stored = await reopened.listEvents({ conferenceID: 'room', eventType: 'log', limit: 1000 });
    expect(stored.map((e) => (e.body as { i: number }).i)).toEqual(acknowledged);
    await reopened.close();
  });
});
