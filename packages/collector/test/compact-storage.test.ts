// Stats batches kept as the exact text callstats.js sent, deflated against their fabric's first
// batch (src/storage/raw-batch.ts), by the in-process storage and by the writer thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../src/storage/postgres-storage.js';
import { createSqliteStorage } from '../src/storage/sqlite-storage.js';
import { createSqliteWorkerStorage } from '../src/storage/sqlite-worker-storage.js';
import type { CollectorStorage, StatsInput } from '../src/storage/storage.js';
import { SAMPLE } from './helpers.js';
import { withClient } from './postgres-server.js';
import { postgresServer } from './storage-drivers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'compact-storage-'));
  dirs.push(dir);
  return join(dir, 'collector.sqlite');
};

/** The sample's 23-entry batch, its counters moved by `n`, written with spacing JSON.stringify would not keep. */
function batchText(n: number): string {
  const body = structuredClone(SAMPLE.filter((r) => r.path.endsWith('/stats')).at(-1)!.body) as {
    stats: Record<string, unknown>[];
    timestamp: number;
  };
  body.timestamp += n * 10_000;
  for (const entry of body.stats) if (entry.type === 'inbound-rtp') entry.bytesReceived = 40_000 * (n + 1);
  return JSON.stringify(body, null, 1);
}

function statsInput(text: string, receivedAt: number): StatsInput {
  const { stats, ...body } = JSON.parse(text) as { stats: unknown[]; connectionID: string; timestamp: number };
  return {
    appID: '123456789',
    conferenceID: 'room',
    ucID: '',
    connectionID: body.connectionID,
    remoteID: null,
    kind: 'stats',
    timestamp: body.timestamp,
    receivedAt,
    stats,
    body,
    raw: text,
  };
}

async function joined(storage: CollectorStorage): Promise<string> {
  const result = await storage.joinUser({
    appID: '123456789',
    conferenceID: 'room',
    userID: 'alice',
    deviceID: null,
    endpointInfo: null,
    timestamp: 1,
    receivedAt: 1,
    body: { eventType: 'userJoined' },
  });
  if (!result.ok) throw new Error('join failed');
  return result.user.ucID;
}

/** A stored batch row: its id, deflated size, dictionary and JSON columns. */
interface BatchRow {
  id: number;
  n: number;
  raw_base: number | null;
  stats: string;
  body: string;
}

/** A new storage of each driver, and how to read its stats_batches rows once it is closed. */
const drivers: [string, () => Promise<{ storage: CollectorStorage; rows: () => Promise<BatchRow[]> }>][] = [
  ['SQLite in-process', async () => sqlite(createSqliteStorage)],
  ['SQLite writer thread', async () => sqlite(createSqliteWorkerStorage)],
  [
    'PostgreSQL',
    async () => {
      const url = await (await postgresServer()).createDatabase();
      const rows = (): Promise<BatchRow[]> =>
        withClient(url, async (c) =>
          (
            await c.query<Record<string, string | null>>('SELECT id, length(raw) AS n, raw_base, stats, body FROM stats_batches ORDER BY id')
          ).rows.map((r) => ({
            id: Number(r.id),
            n: Number(r.n),
            raw_base: r.raw_base === null ? null : Number(r.raw_base),
            stats: r.stats!,
            body: r.body!,
          })),
        );
      return { storage: await createPostgresStorage({ connectionString: url }), rows };
    },
  ],
];

function sqlite(open: (options: { file: string }) => CollectorStorage): { storage: CollectorStorage; rows: () => Promise<BatchRow[]> } {
  const file = tempFile();
  const rows = async (): Promise<BatchRow[]> => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return db.prepare('SELECT id, length(raw) AS n, raw_base, stats, body FROM stats_batches ORDER BY id').all() as unknown as BatchRow[];
    } finally {
      db.close();
    }
  };
  return { storage: open({ file }), rows };
}

describe.each(drivers)('raw stats batches (%s)', (_, open) => {
  it('gives back the exact text of every batch, deflated against the fabric’s first to about a tenth', async () => {
    const { storage, rows: storedRows } = await open();
    const ucID = await joined(storage);
    const texts = [0, 1, 2].map(batchText);
    for (const [i, text] of texts.entries()) await storage.addStats({ ...statsInput(text, 1_000 + i), ucID });
    const batches = await storage.listStatsBatches({ conferenceID: 'room', connectionID: statsInput(texts[0]!, 0).connectionID! });
    expect(batches.map((b) => b.raw)).toEqual(texts);
    expect(batches.map((b) => b.stats)).toEqual(texts.map((t) => (JSON.parse(t) as { stats: unknown[] }).stats));
    await storage.close();

    const rows = await storedRows();
    expect(rows.map((r) => [r.raw_base, r.stats, r.body])).toEqual([
      [null, '', ''],
      [rows[0]!.id, '', ''],
      [rows[0]!.id, '', ''],
    ]);
    // Later batches against the first: under a tenth of their text, and under half of what
    // deflating each alone gives (the dictionary is what makes them small).
    for (const [i, row] of rows.slice(1).entries()) {
      expect(Number(row.n)).toBeLessThan(texts[i + 1]!.length / 10);
      expect(Number(row.n)).toBeLessThan(deflateRawSync(texts[i + 1]!).length / 2);
    }
  });

  it('retention keeps a first batch while a later batch of its fabric needs it', async () => {
    const { storage } = await open();
    const ucID = await joined(storage);
    const texts = [0, 1].map(batchText);
    await storage.addStats({ ...statsInput(texts[0]!, 1_000), ucID });
    await storage.addStats({ ...statsInput(texts[1]!, 5_000), ucID });
    await storage.purge!(2_000);
    const batches = await storage.listStatsBatches({ conferenceID: 'room', connectionID: statsInput(texts[0]!, 0).connectionID! });
    expect(batches.map((b) => b.raw)).toEqual(texts);
    await storage.purge!(10_000);
    expect(await storage.listStatsBatches({ conferenceID: 'room', connectionID: statsInput(texts[0]!, 0).connectionID! })).toEqual([]);
    await storage.close();
  });
});

it('reads batches stored before schema 4 (JSON columns, no raw) as before', async () => {
  const file = tempFile();
  const first = createSqliteStorage({ file });
  const ucID = await joined(first);
  const { raw: _raw, ...legacy } = statsInput(batchText(0), 1_000);
  await first.addStats({ ...legacy, ucID }); // no raw text: the JSON columns, as schema 3 wrote them
  await first.close();
  // Back to schema 3, as a file of the previous release is.
  const db = new DatabaseSync(file);
  db.exec('ALTER TABLE fabrics DROP COLUMN raw_base; ALTER TABLE stats_batches DROP COLUMN raw; ALTER TABLE stats_batches DROP COLUMN raw_base');
  db.exec('PRAGMA user_version = 3');
  db.close();
  const storage = createSqliteStorage({ file });
  await storage.addStats({ ...statsInput(batchText(1), 2_000), ucID });
  const batches = await storage.listStatsBatches({ conferenceID: 'room', connectionID: legacy.connectionID! });
  expect(batches.map((b) => [b.raw, b.stats])).toEqual([
    [undefined, legacy.stats],
    [batchText(1), (JSON.parse(batchText(1)) as { stats: unknown[] }).stats],
  ]);
  expect(await storage.listSeries({ conferenceID: 'room', connectionID: legacy.connectionID! })).toHaveLength(1);
  await storage.close();
});
