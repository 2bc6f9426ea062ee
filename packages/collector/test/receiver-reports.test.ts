// The "no RTCP receiver reports" flag of the query API: a fabric whose stats batches show RTP sent
// but never a receiver report (remote-inbound-rtp) is `missing`; one report makes it `present`.
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStorage, type FabricRecord } from '../src/index.js';
import { eventBody, getJson, join, postJson, replaySample, SAMPLE, startCollector, type SampleRequest } from './helpers.js';
import { STORAGE_DRIVERS } from './storage-drivers.js';

const sent = (t: number, packets: number) => ({
  type: 'outbound-rtp',
  id: 'OT1',
  kind: 'audio',
  timestamp: t,
  bytesSent: packets * 100,
  packetsSent: packets,
});
const report = (t: number) => ({
  type: 'remote-inbound-rtp',
  id: 'RI1',
  localId: 'OT1',
  kind: 'audio',
  timestamp: t,
  roundTripTime: 0.021,
  fractionLost: 0,
});

describe.each(STORAGE_DRIVERS)('RTCP receiver reports per fabric, on $name', (driver) => {
  it('says missing after two sending batches without a report, present with one, unknown before', async () => {
    const collector = await startCollector(await driver.collectorOptions());
    const alice = await join(collector, 'alice', 'room');
    const batches: Record<string, Array<Array<Record<string, unknown>>>> = {
      'pc-missing': [[sent(6_000, 250)], [sent(11_000, 500)]],
      'pc-present': [[sent(6_000, 250)], [sent(11_000, 500), report(11_000)]],
      'pc-one-batch': [[sent(6_000, 250)]],
      'pc-receive-only': [
        [{ type: 'inbound-rtp', id: 'IT1', timestamp: 6_000, bytesReceived: 5_000 }],
        [{ type: 'inbound-rtp', id: 'IT1', timestamp: 11_000, bytesReceived: 9_000 }],
      ],
    };
    for (const [connectionID, stats] of Object.entries(batches)) {
      await postJson(`${alice.eventsURL}fabric/setup`, eventBody({ eventType: 'fabricSetup', connectionID, timestamp: 1_000 }), alice.token);
      for (const entries of stats) {
        const res = await postJson(
          `${alice.statsURL}stats`,
          eventBody({ eventType: 'stats', connectionID, timestamp: 6_000, stats: entries }),
          alice.token,
        );
        expect(res.status).toBe(200);
      }
    }
    const { body } = await getJson<{ fabrics: FabricRecord[] }>(`${collector.url}/api/conferences/room/fabrics`);
    expect(Object.fromEntries(body.fabrics.map((f) => [f.connectionID, f.receiverReports]))).toEqual({
      'pc-missing': 'missing',
      'pc-present': 'present',
      'pc-one-batch': 'unknown',
      'pc-receive-only': 'unknown',
    });
    const one = await getJson<{ fabric: FabricRecord }>(`${collector.url}/api/conferences/room/fabrics/pc-missing`);
    expect(one.body.fabric.receiverReports).toBe('missing');
  });

  // The batches the real callstats.js sent during a PeerJS call (recorded), as they are and with
  // every receiver report taken out, as through a middlebox that does not terminate RTCP.
  it.each([
    ['present', SAMPLE],
    ['missing', SAMPLE.map(withoutReceiverReports)],
  ] as const)('says %s for the sending fabrics of a recorded callstats.js call', async (expected, sample) => {
    const collector = await startCollector({ ...(await driver.collectorOptions()), acceptAnyToken: true });
    const { statuses } = await replaySample(collector, sample);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const { body } = await getJson<{ fabrics: FabricRecord[] }>(`${collector.url}/api/conferences/example-room/fabrics`);
    const sending = body.fabrics.filter((f) => f.receiverReports !== 'unknown');
    expect(sending.length).toBeGreaterThan(0);
    expect(sending.map((f) => f.receiverReports)).toEqual(sending.map(() => expected));
  });
});

describe('RTCP receiver reports, SQLite schema', () => {
  it('migrates a schema 2 database: its fabrics start unknown, and new batches count', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'rtcp-migrate-'));
    try {
      const file = joinPath(dir, 'collector.sqlite');
      await createSqliteStorage({ file }).close();
      // Back to schema 2: the two counters (3) and the raw batch columns (4) did not exist there.
      const db = new DatabaseSync(file);
      db.exec('ALTER TABLE fabrics DROP COLUMN sending_batches; ALTER TABLE fabrics DROP COLUMN report_batches; PRAGMA user_version = 2');
      db.exec('ALTER TABLE fabrics DROP COLUMN raw_base; ALTER TABLE stats_batches DROP COLUMN raw; ALTER TABLE stats_batches DROP COLUMN raw_base');
      db.close();
      const storage = createSqliteStorage({ file });
      const columns = new DatabaseSync(file)
        .prepare('PRAGMA table_info(fabrics)')
        .all()
        .map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(['sending_batches', 'report_batches']));
      expect(new DatabaseSync(file).prepare('PRAGMA user_version').get()).toEqual({ user_version: 4 });
      await storage.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function withoutReceiverReports(request: SampleRequest): SampleRequest {
  const body = request.body as { eventType?: string; stats?: Array<{ type?: string }> } | undefined;
  if (body?.eventType !== 'stats' || !Array.isArray(body.stats)) return request;
  return { ...request, body: { ...body, stats: body.stats.filter((e) => e.type !== 'remote-inbound-rtp') } };
}
