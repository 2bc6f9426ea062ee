/**
 * The dashboard in real Chromium and real Firefox, on a collector fed with what the real callstats.js sent in a
 * PeerJS call (the sample) and with its setup failure, hold/resume and mute/unmute events.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_LABELS, enginesToRun, launchBrowser, type Engine } from '@shims/testkit';
import { createCollector, type Collector, type EventRecord, type FabricRecord, type SeriesPoint } from '../../src/index.js';
import { APP_ID, authenticate, eventBody, join, postJson, replaySample, sampleWithActions, tokenFor } from '../helpers.js';
import { checkLayout, chartsOf, expectChartsMatch, type Page } from './dashboard-checks.js';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const CONFERENCE = 'example-room';

for (const engine of enginesToRun()) describeDashboard(engine);

function describeDashboard(engine: Engine): void {
  const label = ENGINE_LABELS[engine];

  describe(`the dashboard in ${label}`, { timeout: 60_000 }, () => {
    let collector: Collector;
    let browser: Browser;
    let page: Page;
    let ucID: string;
    const problems: string[] = [];
    const requested: string[] = [];
    const api = async <T>(path: string): Promise<T> => (await fetch(`${collector.url}/api/${path}`)).json() as Promise<T>;

    beforeAll(async () => {
      mkdirSync(RESULTS, { recursive: true });
      collector = await createCollector({
        apps: {},
        acceptAnyToken: true,
        logger: { error: (...args) => problems.push(`collector: ${args.join(' ')}`) },
      });
      const replay = await replaySample(collector, sampleWithActions());
      expect(replay.statuses.every((s) => s === 200)).toBe(true);
      ucID = replay.ucID;
      // An older conference (its userJoined is earlier than the sample's): listed after it.
      await join(collector, 'zoe', 'older-room');
      browser = await launchBrowser(engine);
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.on('pageerror', (error) => {
        // Playwright styles the page while it takes a screenshot; in Firefox (over BiDi) that is an
        // inline <style>, which the dashboard's CSP refuses and reports. The tool's style, not the
        // page's: Chromium, where screenshots add none, still catches any inline style of the page.
        if (engine === 'firefox' && /blocked an inline style \(style-src-elem\)/.test(error.message)) return;
        problems.push(`pageerror: ${error.message}`);
      });
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(`${collector.url}/?interval=300`);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await collector?.close();
    });

    it('lists the conferences, most recently active first', async () => {
      await page.locator('#conference-table tbody tr').nth(1).waitFor();
      const rows = await page.$$eval('#conference-table tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())),
      );
      expect(rows.map((r) => r[0])).toEqual([CONFERENCE, 'older-room']);
      const [id, app, firstSeen, lastSeen, users, fabrics] = rows[0]!;
      expect([id, app, users, fabrics]).toEqual([CONFERENCE, APP_ID, '1: conformance-user', '5']);
      expect(firstSeen).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(lastSeen).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(await page.locator('h1').innerText()).toBe('Collector dashboard');
    });

    it('shows the fabrics of the selected conference with their states, delays and failures', async () => {
      await page.getByRole('link', { name: CONFERENCE, exact: true }).click();
      await page.locator('#fabric-table tbody tr').nth(4).waitFor();
      expect(await page.locator('#fabrics-heading').innerText()).toBe(`Fabrics of ${CONFERENCE}`);
      const rows = await page.$$eval('#fabric-table tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())),
      );
      expect(rows.map(([connection, users, state, delay]) => [connection, users, state, delay])).toEqual([
        ['7fa6l27n2a', 'conformance-user → bob-1795521356172', 'terminated', '62.8 ms'],
        ['nc99yrgcy5', 'conformance-user → alice-1795521356168', 'setup', '47.3 ms'],
        ['ftp2i8f4wpl', 'conformance-user → bob-1795521356172', 'setup', '37.5 ms'],
        ['4yp3tyerei', 'conformance-user → alice-1795521356168', 'setup', '31.5 ms'],
        ['q3k9v0xw1e', 'conformance-user → dave-1795521356180', 'failed', '—'],
      ]);
      expect(rows.slice(0, 4).map((r) => r[4])).toEqual(['none', 'none', 'none', 'none']);
      expect(rows[4]![4]).toBe('createOffer: OperationError: no offer today (NegotiationFailure)');
      // The state is a badge with its own class (colour) as well as its text.
      expect(await page.locator('#fabric-table tbody tr').nth(4).locator('.badge').getAttribute('class')).toBe('badge state-failed');
      expect(await page.locator('#conference-table tr.selected a').getAttribute('aria-current')).toBe('true');
    });

    it('shows the timeline of a fabric in order: setup, state changes, hold/resume, mute/unmute, terminated', async () => {
      await page.getByRole('link', { name: '7fa6l27n2a', exact: true }).click();
      await expect.poll(() => page.locator('#timeline li[data-event-type="fabricTerminated"]').count(), { timeout: 10_000 }).toBe(1);
      const items = await page.$$eval('#timeline li', (lis) =>
        lis.map((li) => ({
          type: li.getAttribute('data-event-type')!,
          offset: li.querySelector<HTMLElement>('.offset')!.innerText,
          title: li.querySelector<HTMLElement>('.title')!.innerText,
          detail: li.querySelector<HTMLElement>('.detail')?.innerText ?? null,
        })),
      );
      const { events } = await api<{ events: EventRecord[] }>(`conferences/${CONFERENCE}/fabrics/7fa6l27n2a/events`);
      expect(items.map((i) => i.type)).toEqual(events.map((e) => e.eventType));
      const order = ['fabricSetup', 'fabricHold', 'fabricResume', 'audioMute', 'audioUnmute', 'fabricTerminated'].map((t) =>
        items.findIndex((i) => i.type === t),
      );
      expect(order.every((index) => index >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order.at(-1)).toBe(items.length - 1);
      expect(items.filter((i) => i.type !== 'fabricStateChange').map((i) => i.title)).toEqual([
        'userDetails',
        'Setup',
        'ssrcMap',
        'Hold',
        'Resume',
        'Audio muted',
        'Audio unmuted',
        'Terminated',
      ]);
      expect(items.find((i) => i.type === 'fabricSetup')!.detail).toMatch(/^delay 62\.8 ms, ICE gathering \S+ ms, ICE connectivity \S+ ms/);
      const firstChange = items.find((i) => i.type === 'fabricStateChange')!;
      expect([firstChange.title, firstChange.detail]).toEqual(['signalingState', 'stable → have-local-offer']);
      // Offsets from the first event, in the library's clock, never decreasing.
      const offsets = items.map((i) => Number(i.offset.replace(/^\+| s$/g, '')));
      expect(items[0]!.offset).toBe('+0.000 s');
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      const first = events.reduce((min, e) => Math.min(min, e.timestamp), Infinity);
      const terminated = events.find((e) => e.eventType === 'fabricTerminated')!;
      expect(items.at(-1)!.offset).toBe(`+${((terminated.timestamp - first) / 1000).toFixed(3)} s`);
      expect(await page.locator('#fabric-summary').innerText()).toContain('terminated');
      // The caller sent media and the recorded batches carry receiver reports.
      const { fabric } = await api<{ fabric: FabricRecord }>(`conferences/${CONFERENCE}/fabrics/7fa6l27n2a`);
      expect(fabric.receiverReports).toBe('present');
      expect(await page.locator('#fabric-summary').innerText()).toMatch(/RTCP receiver reports\s+received/);
      expect(await page.locator('#fabric-table .rtcp-missing').count()).toBe(0);
    });

    it('draws a chart per metric with a point per stats batch, and the empty state where there is none', async () => {
      const { series } = await api<{ series: SeriesPoint[] }>(`conferences/${CONFERENCE}/fabrics/7fa6l27n2a/stats`);
      expect(series.length).toBeGreaterThan(0);
      const charts = await chartsOf(page);
      expectChartsMatch(charts, series);
      // The metrics that have points here are drawn, not left empty.
      expect(charts.filter((c) => !c.empty).map((c) => c.id)).toEqual(expect.arrayContaining(['bitrate', 'packets-lost', 'rtt']));
      const bitrate = charts.find((c) => c.id === 'bitrate')!;
      expect(bitrate.yTicks.length).toBeGreaterThanOrEqual(2);
      expect(bitrate.xTicks.length).toBeGreaterThanOrEqual(2);
      expect(bitrate.xTitle).toBe('seconds since setup');
      expect(bitrate.legend).toEqual(['in', 'out']);

      // A fabric that never sent stats: every chart says so.
      await page.getByRole('link', { name: '4yp3tyerei', exact: true }).click();
      await expect.poll(async () => (await chartsOf(page)).map((c) => c.empty), { timeout: 10_000 }).toEqual([true, true, true, true]);
      const empty = await chartsOf(page);
      expect(empty.map((c) => [c.emptyText, c.paths.length])).toEqual(empty.map(() => ['No points yet', 0]));
      expect(await api<{ series: SeriesPoint[] }>(`conferences/${CONFERENCE}/fabrics/4yp3tyerei/stats`)).toEqual({ series: [] });

      // The failed pc: its timeline shows the failure's function, error name and message.
      await page.getByRole('link', { name: 'q3k9v0xw1e', exact: true }).click();
      const failed = page.locator('#timeline li[data-event-type="fabricSetupFailed"]');
      await failed.waitFor();
      expect(await failed.locator('.title').innerText()).toBe('Setup failed');
      expect([
        await failed.locator('.fn').innerText(),
        await failed.locator('.error-name').innerText(),
        await failed.locator('.error-message').innerText(),
      ]).toEqual(['createOffer', 'OperationError', 'no offer today']);
    });

    it('lays out at 1280 and at 375 px: no horizontal overflow, charts apart, no clipped text, readable contrast', async () => {
      await page.getByRole('link', { name: 'nc99yrgcy5', exact: true }).click();
      await expect.poll(async () => (await chartsOf(page)).filter((c) => !c.empty).length, { timeout: 10_000 }).toBeGreaterThan(0);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 800 });
        // The charts redraw at their new width (a ResizeObserver): wait until they fit.
        await expect
          .poll(
            () =>
              page.evaluate(() => [...document.querySelectorAll('.chart svg')].every((s) => s.getBoundingClientRect().right <= window.innerWidth)),
            { timeout: 5_000 },
          )
          .toBe(true);
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        await page.screenshot({ path: `${RESULTS}dashboard-${engine}-${width}.png` });
        await page.screenshot({ path: `${RESULTS}dashboard-${engine}-${width}-full.png`, fullPage: true });
        const layout = await checkLayout(page);
        expect(layout.problems, `at ${width} px`).toEqual([]);
        expect(layout.scrollWidth).toBeLessThanOrEqual(width);
        expect(layout.charts).toHaveLength(4);
        for (const box of layout.charts) {
          expect(box.width).toBeGreaterThan(200);
          expect(box.height).toBeGreaterThan(100);
          expect(box.right).toBeLessThanOrEqual(width);
        }
        if (width === 1280) {
          // Side by side: two charts share a row, and the timeline is beside them.
          expect(new Set(layout.charts.map((b) => Math.round(b.top))).size).toBeLessThan(4);
        } else {
          // One column: the charts are stacked.
          expect(new Set(layout.charts.map((b) => Math.round(b.top))).size).toBe(4);
        }
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    it('polls: new events, stats and conferences appear without a reload, read with ?after=', async () => {
      const before = await page.locator('#timeline li').count();
      const token = await tokenFor(collector, 'conformance-user', 'any-token');
      const events = `${collector.url}/events/${APP_ID}/conferences/${CONFERENCE}/${ucID}/events/`;
      const body = { localID: 'conformance-user', remoteID: 'alice-1795521356168', connectionID: 'nc99yrgcy5', timestamp: 1_795_521_363_000 };
      expect((await postJson(`${events}media/actions`, eventBody({ ...body, eventType: 'videoPause' }), token)).status).toBe(200);
      expect(
        (await postJson(`${events}fabric/terminated`, eventBody({ ...body, eventType: 'fabricTerminated', timestamp: 1_795_521_364_000 }), token))
          .status,
      ).toBe(200);
      await expect.poll(() => page.locator('#timeline li').count(), { timeout: 10_000 }).toBe(before + 2);
      expect(await page.locator('#timeline li').last().getAttribute('data-event-type')).toBe('fabricTerminated');
      expect(await page.locator('#timeline li').nth(-2).locator('.title').innerText()).toBe('Video paused');
      await expect
        .poll(() => page.locator('#fabric-table tr[data-connection-id="nc99yrgcy5"] .badge').innerText(), { timeout: 10_000 })
        .toBe('terminated');
      // Only what was new was asked for: the event list was read after the last id it had.
      const fabricEvents = requested.filter((u) => u.includes('/fabrics/nc99yrgcy5/events'));
      expect(fabricEvents.some((u) => /[?&]after=[1-9]\d*/.test(u))).toBe(true);
      expect(requested.every((u) => u.startsWith(`${collector.url}/`))).toBe(true);

      // A conference that becomes active moves to the top.
      const older = await join(collector, 'zoe', 'older-room');
      expect(
        (
          await postJson(
            `${older.eventsURL}user/alive`,
            eventBody({ eventType: 'userAlive', localID: 'zoe', connectionID: undefined, timestamp: 1_795_521_400_000 }),
            older.token,
          )
        ).status,
      ).toBe(200);
      await expect
        .poll(() => page.locator('#conference-table tbody tr').first().getAttribute('data-conference-id'), { timeout: 10_000 })
        .toBe('older-room');
      expect(problems).toEqual([]);
    });

    it('says so when the collector is gone, and keeps what it showed', async () => {
      expect(await page.locator('#error').isHidden()).toBe(true);
      await collector.close();
      const error = page.getByRole('alert');
      await error.waitFor({ timeout: 10_000 });
      expect(await error.innerText()).toMatch(/^Cannot read the collector: .+\. Retrying\.$/);
      expect(await page.locator('#conference-table tbody tr').count()).toBe(2);
      expect(await page.locator('#timeline li').count()).toBeGreaterThan(0);
    });
  });

  describe(`the dashboard in ${label}, two apps with one conference ID`, { timeout: 60_000 }, () => {
    it('opens the conference and fabric of the app whose row was clicked, not the oldest', async () => {
      const collector = await createCollector({ apps: {}, acceptAnyToken: true, logger: { error: () => {} } });
      const browser = await launchBrowser(engine);
      try {
        for (const [appID, userID, state] of [
          ['111', 'ann', 'have-local-offer'],
          ['222', 'bo', 'have-remote-offer'],
        ] as const) {
          const { access_token: token } = (await (await authenticate(collector, userID, 'app-token', appID)).json()) as { access_token: string };
          const base = `${collector.url}/events/${appID}/conferences/room`;
          const { ucID } = (await (
            await postJson(base, eventBody({ eventType: 'userJoined', localID: userID, connectionID: undefined }), token)
          ).json()) as { ucID: string };
          expect(
            (
              await postJson(
                `${base}/${ucID}/events/fabric/statechange`,
                eventBody({ localID: userID, connectionID: 'pc-1', newState: state }),
                token,
              )
            ).status,
          ).toBe(200);
        }
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await page.goto(`${collector.url}/?interval=300`);
        await page.locator('#conference-table tbody tr[data-app-id="222"] a').click();
        await expect.poll(() => page.locator('#fabric-table tbody tr').count(), { timeout: 10_000 }).toBe(1);
        expect(await page.locator('#fabric-table tbody td').nth(1).innerText()).toBe('bo → bob');
        expect(await page.locator('#conference-table tr.selected').getAttribute('data-app-id')).toBe('222');
        await page.getByRole('link', { name: 'pc-1', exact: true }).click();
        const change = page.locator('#timeline li[data-event-type="fabricStateChange"]');
        await change.waitFor();
        expect(await change.locator('.detail').innerText()).toBe('stable → have-remote-offer');
        expect(new URL(page.url()).hash).toMatch(/^#conference=room&app=222&fabric=pc-1&user=/);
      } finally {
        await browser.close();
        await collector.close();
      }
    });
  });

  describe(`the dashboard in ${label}, more conferences than a page`, { timeout: 60_000 }, () => {
    it('lists the newest 50, then the older ones a page at a time on "Show older conferences"; a new conference keeps what was read listed', async () => {
      const collector = await createCollector({ apps: {}, acceptAnyToken: true, logger: { error: () => {} } });
      const browser = await launchBrowser(engine);
      try {
        for (let i = 0; i < 120; i++) await join(collector, `user-${i}`, `room-${String(i).padStart(3, '0')}`);
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        const listed = async (): Promise<string[]> =>
          (await page.$$eval('#conference-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-conference-id') ?? ''))).sort();
        const room = (i: number): string => `room-${String(i).padStart(3, '0')}`;
        const rooms = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, k) => room(from + k));
        await page.goto(`${collector.url}/?interval=300`);
        await expect.poll(listed, { timeout: 10_000 }).toEqual(rooms(70, 120));
        const older = page.getByRole('button', { name: 'Show older conferences' });
        await older.click();
        await expect.poll(listed, { timeout: 10_000 }).toEqual(rooms(20, 120));
        // A conference that starts now pushes room-070 out of the newest page: it stays listed.
        await join(collector, 'late-user', 'room-999');
        await expect.poll(listed, { timeout: 10_000 }).toEqual([...rooms(20, 120), 'room-999']);
        await older.click();
        await expect.poll(listed, { timeout: 10_000 }).toEqual([...rooms(0, 120), 'room-999']);
        expect(await older.isHidden(), 'nothing older left').toBe(true);
      } finally {
        await browser.close();
        await collector.close();
      }
    });
  });
}
