// What only the PostgreSQL storage has to survive, on a real server: a server crash in the
// middle of writes (nothing acknowledged may be missing after it), two storages (two collectors)
// writing the same conferences and fabric at once, and its size cap.
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../src/storage/postgres-storage.js';
import { createSqliteStorage } from '../src/storage/sqlite-storage.js';
import { StorageFullError, type CollectorStorage, type EventInput, type StatsInput } from '../src/storage/storage.js';
import { getJson, join, startCollector } from './helpers.js';
import { withClient } from './postgres-server.js';
import { postgresServer } from './storage-drivers.js';

const APP = '123456789';
const open: CollectorStorage[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
async function storageOn(url: string, options: { maxBytes?: number } = {}): Promise<CollectorStorage> {
  const storage = await createPostgresStorage({ connectionString: url, ...options });
  open.push(storage);
  return storage;
}

async function joined(storage: CollectorStorage, conferenceID: string, userID = 'alice'): Promise<string> {
  const result = await storage.joinUser({
    appID: APP,
    conferenceID,
    userID,
    deviceID: null,
    endpointInfo: null,
    timestamp: 1,
    receivedAt: 1,
    body: {},
  });
  if (!result.ok) throw new Error('join failed');
  return result.user.ucID;
}

const event = (conferenceID: string, ucID: string, i: number): EventInput => ({
  appID: APP,
  conferenceID,
  ucID,
  connectionID: 'pc-1',
  remoteID: null,
  suffix: 'fabric/statechange',
  eventType: 'fabricStateChange',
  timestamp: 1_000 + i,
  receivedAt: 1_000 + i,
  body: { i },
});

function stats(ucID: string, n: number): StatsInput {
  const timestamp = 10_000 + n * 5_000;
  const entries = [
    { type: 'inbound-rtp', id: 'IT1', kind: 'audio', timestamp, bytesReceived: 7_000 * (n + 1) * (n + 1), packetsLost: n },
    { type: 'outbound-rtp', id: 'OT1', kind: 'audio', timestamp, bytesSent: 9_000 * (n + 1), packetsSent: 50 * (n + 1) },
  ];
  const body = { eventType: 'stats', connectionID: 'pc-1', timestamp };
  return {
    appID: APP,
    conferenceID: 'room',
    ucID,
    connectionID: 'pc-1',
    remoteID: null,
    kind: 'stats',
    timestamp,
    receivedAt: timestamp,
    stats: entries,
    body,
    raw: JSON.stringify({ ...body, stats: entries }),
  };
}

describe('the PostgreSQL storage', () => {
  it('loses nothing it acknowledged when the server crashes in the middle of writes, and writes again after', async () => {
    const server = await postgresServer();
    const url = await server.createDatabase();
    const storage = await storageOn(url);
    const ucID = await joined(storage, 'room');
    const acknowledged = new Set<number>();
    let failed = 0;
    const settled: Promise<unknown>[] = [];
    let i = 0;
    // Handled at once: a write refused during the crash is counted, not an unhandled rejection.
    const send = (): number => {
      const n = i++;
      settled.push(
        storage.addEvent(event('room', ucID, n)).then(
          () => acknowledged.add(n),
          () => failed++,
        ),
      );
      return n;
    };
    const turn = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 1));
    for (let k = 0; k < 200; k++) send();
    await Promise.all(settled);
    // Writes go on, a few per event-loop turn, while the server is killed and started again.
    let crashed = false;
    const crash = server.crashAndRestart().finally(() => (crashed = true));
    for (let k = 0; k < 20_000 && !crashed; k++) {
      send();
      if (k % 4 === 3) await turn();
    }
    await crash;
    // After the restart the storage reconnects (the first writes may still meet a dead connection).
    const firstAfter = i;
    for (let k = 0; k < 400 && [...acknowledged].filter((n) => n >= firstAfter).length < 50; k++) {
      send();
      if (k % 4 === 3) await turn();
    }
    await Promise.all(settled);
    expect(acknowledged.size + failed).toBe(settled.length);
    expect(failed).toBeGreaterThan(0);
    expect([...acknowledged].filter((n) => n >= firstAfter).length).toBeGreaterThanOrEqual(50);
    const stored = await withClient(url, async (c) =>
      (await c.query<{ i: number }>("SELECT (body::json ->> 'i')::int AS i FROM events WHERE suffix = 'fabric/statechange'")).rows.map((r) => r.i),
    );
    // Acknowledged means committed; a write that failed may or may not have committed (its answer was lost).
    expect([...acknowledged].filter((i) => !stored.includes(i))).toEqual([]);
    expect(new Set(stored).size).toBe(stored.length);
  });

  it('lets two storages on one database write the same conferences at once, in opposite orders, every write once', async () => {
    const url = await (await postgresServer()).createDatabase();
    const [a, b] = [await storageOn(url), await storageOn(url)];
    const one = await joined(a, 'c1');
    const two = await joined(b, 'c2');
    const writes: Promise<number>[] = [];
    for (let round = 0; round < 30; round++) {
      // One event-loop turn: each storage's group holds both conferences, taken in opposite orders.
      writes.push(a.addEvent(event('c1', one, round)), a.addEvent(event('c2', two, round)));
      writes.push(b.addEvent(event('c2', two, 100 + round)), b.addEvent(event('c1', one, 100 + round)));
      if (round % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
    }
    const ids = await Promise.all(writes);
    expect(new Set(ids).size).toBe(120);
    for (const [conferenceID, storage] of [
      ['c1', b],
      ['c2', a],
    ] as const) {
      const events = await storage.listEvents({ conferenceID, afterID: 0 });
      expect(events.filter((e) => e.suffix === 'fabric/statechange')).toHaveLength(60);
    }
  });

  it('derives the same series when one fabric’s batches alternate between two storages as SQLite does from one', async () => {
    const url = await (await postgresServer()).createDatabase();
    const [a, b] = [await storageOn(url), await storageOn(url)];
    const ucID = await joined(a, 'room');
    const sqlite = createSqliteStorage();
    open.push(sqlite);
    const sqliteUcID = await joined(sqlite, 'room');
    for (let n = 0; n < 6; n++) {
      await (n % 2 ? b : a).addStats(stats(ucID, n));
      await sqlite.addStats(stats(sqliteUcID, n));
    }
    const series = await b.listSeries({ conferenceID: 'room', connectionID: 'pc-1' });
    expect(series.length).toBeGreaterThanOrEqual(5);
    expect(series).toEqual(await sqlite.listSeries({ conferenceID: 'room', connectionID: 'pc-1' }));
    // Every batch but the first is deflated against the first, whichever storage wrote it.
    const batches = await a.listStatsBatches({ conferenceID: 'room', connectionID: 'pc-1' });
    expect(batches.map((batch) => batch.raw)).toEqual([0, 1, 2, 3, 4, 5].map((n) => stats(ucID, n).raw));
  });

  it('refuses writes past its size cap, whole, and the collector answers 507', async () => {
    const url = await (await postgresServer()).createDatabase();
    // An empty database takes several MB: a 1 MB cap is already passed.
    const storage = await storageOn(url, { maxBytes: 1_000_000 });
    await expect(
      storage.joinUser({ appID: APP, conferenceID: 'room', userID: 'a', deviceID: null, endpointInfo: null, timestamp: 1, receivedAt: 1, body: {} }),
    ).rejects.toThrow(StorageFullError);
    expect(await storage.listConferences()).toEqual([]);
    const collector = await startCollector({ database: await (await postgresServer()).createDatabase(), maxStorageBytes: 1_000_000 });
    await expect(join(collector, 'alice', 'room')).rejects.toThrow(/userJoined: 507/);
    expect((await getJson(`${collector.url}/api/conferences`)).body).toEqual({ conferences: [] });
  });
});
