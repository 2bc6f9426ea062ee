// The conference list by pages: newest first, `?before=` the oldest of a page for the next,
// `more: true` while older ones are left (a list of thousands of conferences is megabytes).
import { describe, expect, it } from 'vitest';
import type { ConferenceList } from '../src/query-api-types.js';
import { getJson, join, startCollector } from './helpers.js';
import { STORAGE_DRIVERS } from './storage-drivers.js';

describe.each(STORAGE_DRIVERS)('on $name', (driver) => {
  it('pages through every conference once, newest page first, with more: true until the last', async () => {
    const collector = await startCollector(await driver.collectorOptions());
    const rooms = Array.from({ length: 7 }, (_, i) => `room-${i}`);
    for (const room of rooms) await join(collector, 'alice', room);
    const api = `${collector.url}/api/conferences`;
    const pages: ConferenceList[] = [];
    let query = '?limit=3';
    for (let i = 0; i < 5; i++) {
      const { status, body } = await getJson<ConferenceList>(`${api}${query}`);
      expect(status).toBe(200);
      pages.push(body);
      if (!body.more) break;
      const oldest = body.conferences[0]!;
      query = `?limit=3&before=${encodeURIComponent(oldest.conferenceID)}&beforeAppID=${oldest.appID}`;
    }
    expect(pages.map((p) => p.conferences.map((c) => c.conferenceID))).toEqual([
      ['room-4', 'room-5', 'room-6'],
      ['room-1', 'room-2', 'room-3'],
      ['room-0'],
    ]);
    expect(pages.map((p) => p.more)).toEqual([true, true, undefined]);
    // Without a limit: all of them, as before.
    expect((await getJson<ConferenceList>(api)).body).toEqual({ conferences: expect.any(Array) });
    expect((await getJson<ConferenceList>(api)).body.conferences).toHaveLength(7);
    expect((await getJson(`${api}?before=nowhere`)).status).toBe(400);
  });
});
