/**
 * End to end: the REAL callstats.js in headless Chromium, pointed at this collector, with the
 * HS256 secret path, through @shims/testkit's harness.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from '@shims/testkit';
import { createCollector, type Collector, type ConferenceSummary, type EventRecord, type FabricRecord, type SeriesPoint } from '../../src/index.js';
import { checkLayout, chartsOf, expectChartsMatch } from './dashboard-checks.js';

const APP_ID = '123456789';
const SECRET = 'e2e-secret';
const USER_ID = 'alice smith';
const CONFERENCE_ID = 'e2e room/1';

interface PageApi {
  collectorE2E: {
    initialized(): Promise<{ status: string; message: string }>;
    call(): Promise<void>;
    failSetup(): void;
    holdAndMute(): void;
    hangUp(): void;
  };
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
    // collectSDP as `shims-collector --collect-sdp` sets it: the SDP reaches the collector.
    collector = await createCollector({ apps: { [APP_ID]: { secret: SECRET } }, submissionInterval: 2_000, collectSDP: true });
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

    // A real pc pair in Chromium terminates RTCP: no fabric of the call may be flagged.
    const reported = ((await api(`${conference}/fabrics`)) as { fabrics: FabricRecord[] }).fabrics;
    expect(reported.filter((f) => f.receiverReports === 'missing')).toEqual([]);
    await harness.page.evaluate(() => (globalThis as unknown as PageApi).collectorE2E.holdAndMute());
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
    expect(callerEvents.filter((t) => ['fabricHold', 'fabricResume', 'audioMute', 'audioUnmute'].includes(t))).toEqual([
      'fabricHold',
      'fabricResume',
      'audioMute',
      'audioUnmute',
    ]);
    expect(callerEvents.at(-1)).toBe('fabricTerminated');
    // With collectSDP, callstats.js sends each pc's SDP (the token also lists sdpSubmissionEvent).
    const sdp = events.filter((e) => e.eventType === 'sdpSubmissionEvent' && e.connectionID === caller.connectionID);
    expect(sdp.length, 'SDP events for the caller').toBeGreaterThan(0);
    expect(JSON.stringify(sdp.map((e) => e.body))).toMatch(/v=0/);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));

    // The library reports any answer that is not {status:"success"} to generics: none may be there.
    const { logs } = (await api('logs')) as { logs: { eventType: string; data: unknown }[] };
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((l) => l.eventType === 'restResponseError')).toEqual([]);
  });

  it('shows the call on the dashboard: fabrics, the caller timeline, the callee charts with several points', async () => {
    const browser = harness.page.context().browser()!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    try {
      await page.goto(`${collector.url}/dashboard?interval=300`);
      await page.getByRole('link', { name: CONFERENCE_ID, exact: true }).click();
      await page.locator('#fabric-table tbody tr').nth(2).waitFor();
      const { fabrics } = (await api(`${conference}/fabrics`)) as { fabrics: FabricRecord[] };
      const byRemote = (remoteID: string): FabricRecord => fabrics.find((f) => f.remoteID === remoteID)!;
      const shown = await page.$$eval('#fabric-table tbody tr', (trs) =>
        trs.map((tr) => [tr.getAttribute('data-connection-id'), (tr.querySelector('.badge') as HTMLElement).innerText]),
      );
      expect(shown).toEqual(fabrics.map((f) => [f.connectionID, f.state]));
      expect(Object.fromEntries(shown.map(([id, state]) => [fabrics.find((f) => f.connectionID === id)!.remoteID, state]))).toEqual({
        bob: 'terminated',
        'bob-echo': 'setup',
        dave: 'failed',
      });
      const daveRow = page.locator(`#fabric-table tr[data-connection-id="${byRemote('dave').connectionID}"]`);
      expect(await daveRow.locator('.failures').innerText()).toBe('createOffer: OperationError: no offer today (NegotiationFailure)');

      await page.getByRole('link', { name: byRemote('bob').connectionID, exact: true }).click();
      await expect.poll(() => page.locator('#timeline li[data-event-type="fabricTerminated"]').count(), { timeout: 10_000 }).toBe(1);
      const types = await page.$$eval('#timeline li', (lis) => lis.map((li) => li.getAttribute('data-event-type')));
      const wanted = ['fabricSetup', 'fabricHold', 'fabricResume', 'audioMute', 'audioUnmute', 'fabricTerminated'];
      expect(types.filter((t) => wanted.includes(t!))).toEqual(wanted);
      expect(types.at(-1)).toBe('fabricTerminated');

      await page.getByRole('link', { name: byRemote('bob-echo').connectionID, exact: true }).click();
      const stats = `${conference}/fabrics/${encodeURIComponent(byRemote('bob-echo').connectionID)}/stats`;
      // The callee still reports: compare once the page has caught up with the API.
      await expect
        .poll(
          async () => {
            const [charts, { series }] = await Promise.all([chartsOf(page), api(stats) as Promise<{ series: SeriesPoint[] }>]);
            try {
              expectChartsMatch(charts, series);
              return 'matches';
            } catch (error) {
              return (error as Error).message;
            }
          },
          { timeout: 15_000 },
        )
        .toBe('matches');
      const bitrate = (await chartsOf(page)).find((c) => c.id === 'bitrate')!;
      expect(bitrate.paths.find((p) => p.series === 'bitrateInBps')!.vertices).toBeGreaterThanOrEqual(2);

      mkdirSync(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 800 });
        await expect
          .poll(
            () =>
              page.evaluate(() => [...document.querySelectorAll('.chart svg')].every((s) => s.getBoundingClientRect().right <= window.innerWidth)),
            { timeout: 5_000 },
          )
          .toBe(true);
        await page.screenshot({ path: fileURLToPath(new URL(`../../test-results/dashboard-real-call-${width}.png`, import.meta.url)) });
        const layout = await checkLayout(page);
        expect(layout.problems, `at ${width} px`).toEqual([]);
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
