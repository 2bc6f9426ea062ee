// PostgreSQL answers exactly as SQLite does: the same recorded callstats.js call (with a failure,
// hold/resume and mute) replayed into a collector on each, with one fixed clock, then every read
// compared whole, ids and timestamps included. Only the ucID differs (random per storage).
import { describe, expect, it } from 'vitest';
import type { Collector } from '../src/index.js';
import { getJson, replaySample, sampleWithActions, SAMPLE, startCollector } from './helpers.js';
import { POSTGRES, SQLITE, SQLITE_FILE, type StorageDriver } from './storage-drivers.js';

/** A clock after every timestamp of the sample (a body ahead of the clock is refused). */
const NOW = Math.ceil(Math.max(...SAMPLE.map((r) => Number((r.body as { timestamp?: number } | null)?.timestamp ?? 0)))) + 1_000;

/** Every read of the storage and of the query API over the replayed call, ucID replaced by a mark. */
async function everything(collector: Collector, ucID: string): Promise<unknown> {
  const storage = collector.storage;
  const fabrics = await storage.listFabrics('example-room');
  const perFabric = [];
  for (const { connectionID } of fabrics) {
    const of = { conferenceID: 'example-room', connectionID };
    perFabric.push({
      series: await storage.listSeries(of),
      seriesPage: await storage.listSeries({ ...of, afterID: 3, limit: 2 }),
      batches: await storage.listStatsBatches(of),
      // Budgets end a page at the same row: a deflated batch counts as twelve times its bytes.
      batchesBudget: await Promise.all(
        [20_000, 30_000, 40_000, 60_000].map(async (maxBytes) => (await storage.listStatsBatches({ ...of, maxBytes })).length),
      ),
      events: await storage.listEvents({ ...of, ucID }),
      api: (await getJson(`${collector.url}/api/conferences/example-room/fabrics/${connectionID}/batches?raw=1&limit=3`)).body,
    });
  }
  const all = {
    conferences: await storage.listConferences(),
    conferencePage: await storage.listConferences({ limit: 1 }),
    conference: await storage.getConference('example-room'),
    user: await storage.findUser('example-room', ucID),
    fabrics,
    perFabric,
    events: await storage.listEvents({ conferenceID: 'example-room' }),
    eventsBudget: await storage.listEvents({ conferenceID: 'example-room', afterID: 5, maxBytes: 3_000 }),
    eventsByType: await storage.listEvents({ conferenceID: 'example-room', eventType: 'fabricSetup', appID: '123456789' }),
    logs: await storage.listLogs(),
    logsBudget: await storage.listLogs({ afterID: 1, maxBytes: 1_000 }),
    api: {
      conferences: (await getJson(`${collector.url}/api/conferences`)).body,
      fabrics: (await getJson(`${collector.url}/api/conferences/example-room/fabrics`)).body,
      events: (await getJson(`${collector.url}/api/conferences/example-room/events?limit=20`)).body,
    },
  };
  return JSON.parse(JSON.stringify(all).replaceAll(ucID, '<ucID>'));
}

async function replayed(driver: StorageDriver): Promise<unknown> {
  const collector = await startCollector({ ...(await driver.collectorOptions()), acceptAnyToken: true, now: () => NOW });
  const { statuses, ucID } = await replaySample(collector, sampleWithActions());
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  return everything(collector, ucID);
}

describe('every driver answers the same reads the same', () => {
  it('after a recorded callstats.js call, PostgreSQL and the SQLite file answer as SQLite in memory', async () => {
    const reference = await replayed(SQLITE);
    // Not vacuous: the call has fabrics, series points, raw batches and log lines.
    const ref = reference as { fabrics: unknown[]; events: unknown[]; logs: unknown[]; perFabric: { series: unknown[]; batches: unknown[] }[] };
    expect(ref.fabrics.length).toBeGreaterThanOrEqual(3);
    expect(ref.events.length).toBeGreaterThan(30);
    expect(ref.logs.length).toBeGreaterThan(3);
    expect(ref.perFabric.filter((f) => f.series.length > 0 && f.batches.length > 2)).toHaveLength(2);
    expect(await replayed(POSTGRES)).toEqual(reference);
    expect(await replayed(SQLITE_FILE)).toEqual(reference);
  });
});
