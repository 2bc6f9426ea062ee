import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCollector, createSqliteStorage, DATA_FILE_NAME } from '../src/index.js';
import { APP_ID, eventBody, join, postJson, replaySample, SECRET, startCollector, tokenFor } from './helpers.js';
import { POSTGRES, SQLITE_FILE } from './storage-drivers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(joinPath(tmpdir(), 'shims-collector-'));
  dirs.push(dir);
  return dir;
};

describe.each([SQLITE_FILE, POSTGRES])('storage that outlives the collector ($name)', (driver) => {
  it('survives closing and reopening the collector, ucIDs included', async () => {
    const place = await driver.newPlace();
    const first = await startCollector({ ...place, apps: {}, acceptAnyToken: true });
    const { ucID } = await replaySample(first);
    const before = {
      conferences: await first.storage.listConferences(),
      fabrics: await first.storage.listFabrics('example-room'),
      events: await first.storage.listEvents({ conferenceID: 'example-room' }),
      series: await first.storage.listSeries({ conferenceID: 'example-room', connectionID: 'nc99yrgcy5' }),
      logs: await first.storage.listLogs(),
    };
    await first.close();
    if ('dataDir' in place) expect(existsSync(joinPath(place.dataDir, DATA_FILE_NAME))).toBe(true);

    const second = await startCollector({ ...place, apps: {}, acceptAnyToken: true });
    expect(await second.storage.listConferences()).toEqual(before.conferences);
    expect(await second.storage.listFabrics('example-room')).toEqual(before.fabrics);
    expect(await second.storage.listEvents({ conferenceID: 'example-room' })).toEqual(before.events);
    expect(await second.storage.listSeries({ conferenceID: 'example-room', connectionID: 'nc99yrgcy5' })).toEqual(before.series);
    expect(await second.storage.listLogs()).toEqual(before.logs);
    expect(before.events.length).toBeGreaterThan(30);

    // Same user, same conference after the restart: the same ucID, and its events still land.
    const token = await tokenFor(second, 'conformance-user', 'stub-token');
    const rejoined = await postJson(
      `${second.proxyConfig.restEventURL}${APP_ID}/conferences/example-room`,
      eventBody({ eventType: 'userJoined' }),
      token,
    );
    expect(((await rejoined.json()) as { ucID: string }).ucID).toBe(ucID);
  });
});

describe('storage in a file', () => {
  it('creates the data directory it is given', async () => {
    const dataDir = joinPath(tempDir(), 'nested', 'data');
    const collector = await startCollector({ dataDir });
    await join(collector, 'alice', 'room');
    expect(existsSync(joinPath(dataDir, DATA_FILE_NAME))).toBe(true);
  });

  it('refuses tokens from before a restart, with the message that makes callstats.js authenticate again', async () => {
    const dataDir = tempDir();
    const first = await startCollector({ dataDir, apps: { [APP_ID]: { secret: SECRET } } });
    const alice = await join(first, 'alice', 'room');
    await first.close();
    const second = await startCollector({ dataDir, apps: { [APP_ID]: { secret: SECRET } } });
    const res = await postJson(`${alice.eventsURL.replace(first.url, second.url)}fabric/statechange`, eventBody(), alice.token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ msg: 'Token has expired' });
  });

  it('leaves a storage it was given open', async () => {
    const storage = createSqliteStorage();
    const collector = await createCollector({ storage, acceptAnyToken: true, logger: { error: () => {} } });
    expect(collector.storage).toBe(storage);
    await collector.close();
    expect(await storage.listConferences()).toEqual([]);
    await storage.close();
  });

  it('rejects when the port is taken', async () => {
    const dataDir = tempDir();
    const first = await startCollector({ dataDir });
    await expect(createCollector({ dataDir, port: first.port, logger: { error: () => {} } })).rejects.toThrow(/EADDRINUSE/);
    // The failed collector closed its handle: the running one still writes and reads.
    await join(first, 'alice', 'room');
    expect(await first.storage.listConferences()).toHaveLength(1);
  });

  it('refuses a database written by a newer schema', async () => {
    const file = joinPath(tempDir(), 'db.sqlite');
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => createSqliteStorage({ file })).toThrow(/newer/);
  });
});

describe('a version 1 database (conferences and fabrics keyed without app and user)', () => {
  it('is migrated in place: every row kept, with its app and ucID', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const { readFileSync } = await import('node:fs');
    const dataDir = tempDir();
    const file = joinPath(dataDir, DATA_FILE_NAME);
    const v1 = new DatabaseSync(file);
    v1.exec(readFileSync(new URL('./schema-v1.sql', import.meta.url), 'utf8'));
    v1.exec(`PRAGMA user_version = 1;
      INSERT INTO conferences VALUES ('room', '42', 10, 20);
      INSERT INTO users VALUES ('uc-1', 'room', 'alice', 'd', 'null', 10);
      INSERT INTO fabrics (conference_id, connection_id, uc_id, remote_id, state, first_seen, last_seen, setup_at) VALUES ('room', 'pc-1', 'uc-1', 'bob', 'setup', 11, 20, 11);
      INSERT INTO events (conference_id, uc_id, connection_id, event_type, suffix, timestamp, received_at, body) VALUES ('room', 'uc-1', 'pc-1', 'fabricSetup', 'fabric/setup', 11, 11, '{}');
      INSERT INTO stats_batches (conference_id, uc_id, connection_id, kind, timestamp, received_at, stats, body) VALUES ('room', 'uc-1', 'pc-1', 'stats', 15, 15, '[]', '{}');
      INSERT INTO series (batch_id, conference_id, connection_id, timestamp, bitrate_in_bps) VALUES (1, 'room', 'pc-1', 15, 800);
      INSERT INTO logs (event_type, data, received_at) VALUES ('log', '"hi"', 5);`);
    v1.close();
    const storage = createSqliteStorage({ file });
    try {
      expect(await storage.listConferences()).toEqual([
        expect.objectContaining({
          conferenceID: 'room',
          appID: '42',
          fabricCount: 1,
          users: [expect.objectContaining({ ucID: 'uc-1', userID: 'alice' })],
        }),
      ]);
      expect(await storage.findUser('room', 'uc-1')).toMatchObject({ appID: '42', userID: 'alice' });
      expect(await storage.listFabrics('room', '42')).toEqual([
        expect.objectContaining({ appID: '42', ucID: 'uc-1', connectionID: 'pc-1', state: 'setup', localID: 'alice' }),
      ]);
      expect((await storage.listEvents({ conferenceID: 'room', appID: '42' })).map((e) => e.eventType)).toEqual(['fabricSetup']);
      expect(await storage.listSeries({ conferenceID: 'room', connectionID: 'pc-1', ucID: 'uc-1' })).toEqual([
        expect.objectContaining({ batchID: 1, bitrateInBps: 800 }),
      ]);
      expect((await storage.listLogs()).map((l) => l.data)).toEqual(['hi']);
      // Writes go on with the new keys.
      const joined = await storage.joinUser({
        appID: '7',
        conferenceID: 'room',
        userID: 'carol',
        deviceID: null,
        endpointInfo: null,
        timestamp: 30,
        receivedAt: 30,
        body: {},
      });
      expect(joined.ok).toBe(true);
      expect((await storage.listConferences()).map((c) => c.appID)).toEqual(['42', '7']);
    } finally {
      await storage.close();
    }
  });
});
