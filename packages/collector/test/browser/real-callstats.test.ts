/**
 * End to end: the REAL callstats.js in headless Chromium, pointed at this collector, with the
 * HS256 secret path, through @shims/testkit's harness.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from '@shims/testkit';
import { createCollector, type Collector, type ConferenceSummary, type EventRecord, type FabricRecord, type SeriesPoint } from '../../src/index.js';

const APP_ID = '123456789';
const SECRET = 'e2e-secret';
const USER_ID = 'alice smith';
const CONFERENCE_ID = 'e2e room/1';

interface PageApi {
  collectorE2E: { initialized(): Promise<{ status: string; message: string }>; call(): Promise<void>; failSetup(): void; hangUp(): void };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the real callstats.js against the collector', { timeout: 90_000 }, () => {
  let collector: Collector;
  let harness: Harness;
  const api = (path: string): Promise<unknown> => fetch(`${collector.url}/api/${path}`).then((r) => r.json());
  const conference = `conferences/${encodeURIComponent(CONFERENCE_ID)}`;

  beforeAll(async () => {
    collector = await createCollector({ apps: { [APP_ID]: { secret: SECRET } }, submissionInterval: 2_000 });
    harness = await openHarness({
      entry: fileURLToPath(new URL('./collector-page.js', import.meta.url)),
      config: { proxyConfig: collector.proxyConfig, appID: APP_ID, secret: SECRET, userID: USER_ID, conferenceID: CONFERENCE_ID },
    });
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
    await collector?.close();
  });

  it('authenticates with the app secret (HS256)', async () => {
    const init = await harness.page.evaluate(() => (globalThis as unknown as PageApi).collectorE2E.initialized());
    expect(init, harness.pageErrors.join('\n')).toEqual({ status: 'success', message: expect.any(String) });
  });

  it('records the call: user, fabrics set up, events in order, a media bitrate, termination and a setup failure', async () => {
    await harness.page.evaluate(() => (globalThis as unknown as PageApi).collectorE2E.call());
    await harness.page.evaluate(() => (globalThis as unknown as PageApi).collectorE2E.failSetup());

    const fabrics = await eventually(
      async () => ((await api(`${conference}/fabrics`)) as { fabrics?: FabricRecord[] }).fabrics ?? [],
      (list) => list.filter((f) => f.state === 'setup').length === 2 && list.some((f) => f.state === 'failed'),
      30_000,
      'two fabrics set up and one failed',
    );
    expect(fabrics.map((f) => f.remoteID).sort()).toEqual(['bob', 'bob-echo', 'dave']);
    expect(fabrics.every((f) => f.localID === USER_ID)).toBe(true);
    const caller = fabrics.find((f) => f.remoteID === 'bob')!;
    expect(caller.setupDelayMs).toBeGreaterThan(0);
    expect(fabrics.find((f) => f.remoteID === 'dave')!.failures).toEqual([expect.objectContaining({ function: 'createOffer' })]);

    const { conferences } = (await api('conferences')) as { conferences: ConferenceSummary[] };
    expect(conferences.map((c) => [c.conferenceID, c.appID, c.users.map((u) => u.userID)])).toEqual([[CONFERENCE_ID, APP_ID, [USER_ID]]]);

    // The receiving pc gets a batch every 5 s: two points prove the delta between batches.
    const callee = fabrics.find((f) => f.remoteID === 'bob-echo')!;
    const series = await eventually(
      async () => ((await api(`${conference}/fabrics/${encodeURIComponent(callee.connectionID)}/stats`)) as { series: SeriesPoint[] }).series,
      (points) => points.filter((p) => (p.bitrateInBps ?? 0) > 0).length >= 2,
      40_000,
      'two stats points with an incoming bitrate',
    );
    // Fake audio + video on loopback: well above audio alone, well below a gigabit.
    for (const point of series) expect(point.bitrateInBps).toBeGreaterThan(50_000);
    for (const point of series) expect(point.bitrateInBps).toBeLessThan(50_000_000);
    expect(series.at(-1)).toMatchObject({ packetsLost: expect.any(Number), jitterMs: expect.any(Number), rttMs: expect.any(Number) });

    await harness.page.evaluate(() => (globalThis as unknown as PageApi).collectorE2E.hangUp());
    await eventually(
      async () => ((await api(`${conference}/fabrics/${encodeURIComponent(caller.connectionID)}`)) as { fabric: FabricRecord }).fabric,
      (fabric) => fabric.state === 'terminated',
      15_000,
      'the caller fabric terminated',
    );
    const { events } = (await api(`${conference}/events`)) as { events: EventRecord[] };
    expect(events[0]!.eventType).toBe('userJoined');
    const callerEvents = events.filter((e) => e.connectionID === caller.connectionID).map((e) => e.eventType);
    expect(callerEvents.indexOf('fabricSetup')).toBeGreaterThan(-1);
    expect(callerEvents.at(-1)).toBe('fabricTerminated');
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));

    // The library reports any answer that is not {status:"success"} to generics: none may be there.
    const { logs } = (await api('logs')) as { logs: { eventType: string; data: unknown }[] };
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.eventType === 'restResponseError')).toEqual([]);
  });
});
