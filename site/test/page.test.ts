import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENGINE_LABELS, enginesToRun, freePort, launchBrowser, launchChromium, startServerProcess, type Engine } from '@shims/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type BuiltSite } from '../src/build-site.ts';
import { findVendorPackages } from '../src/manifest.ts';
import { readVerifiedStatus, type VitestJsonReport } from '../src/results.ts';
import { copyWorkspace, ROOT, type WorkspaceCopy } from './workspace-copy.ts';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const WIDTHS = [375, 1280] as const;

type Test = [ancestors: string[], title: string, status: string];
const report = (tests: Test[]): VitestJsonReport => ({
  startTime: Date.UTC(2026, 10, 24, 9, 30),
  testResults: [{ assertionResults: tests.map(([ancestorTitles, title, status]) => ({ ancestorTitles, title, status })) }],
});
const suite = (name: string, client: string, statuses: string[], engine?: string): Test[] =>
  statuses.map((status, i) => [[`conformance: ${name}`, ...(engine ? [`in ${engine}`] : []), `with ${client}`], `case ${i}`, status]);

/** Results the test writes itself, one kind per vendor; a vendor not named here has none. */
const FIXTURES: Record<string, { report: VitestJsonReport; badge: string; summary: string }> = {
  peerjs: {
    report: report([
      ...suite('peerjs 1.4.7 against a real PeerServer', 'RecordingCallstats', ['passed', 'passed']),
      ...suite('peerjs 1.4.7 against a real PeerServer', 'the real callstats-js', ['passed', 'passed']),
      ...suite('peerjs 1.5.5 against a real PeerServer', 'the real callstats-js', ['passed', 'passed']),
      ...suite('peerjs 1.5.5 against a real PeerServer', 'the real callstats-js', ['passed', 'passed'], 'Firefox'),
      [
        ['conformance: peerjs 1.5.5 against a real PeerServer', 'the real callstats-js into @shims/collector'],
        'RTCP receiver reports: yes, for every stream the call sends (checked with checkReceiverReports)',
        'passed',
      ],
    ]),
    badge: 'verified',
    summary: 'verified: 9 of 9 conformance cases passed',
  },
  'simple-peer': {
    report: report(suite('simple-peer 9.11.1', 'RecordingCallstats', ['passed', 'failed', 'passed'])),
    badge: 'failing',
    summary: 'failing: 1 of 3 conformance cases failed',
  },
  jssip: {
    report: report(suite('jssip 3.13.8, two UAs', 'RecordingCallstats', ['passed'])),
    badge: 'verified',
    summary: 'verified: 1 of 1 conformance cases passed',
  },
  sipjs: {
    report: report([[[], 'conformance: sipjs — pending: write the driver', 'todo']]),
    badge: 'not verified',
    summary: 'not verified: conformance: sipjs — pending: write the driver',
  },
};

let browser: Browser;
let copy: WorkspaceCopy;
let fixtureDir: string;

beforeAll(async () => {
  copy = copyWorkspace();
  fixtureDir = mkdtempSync(join(tmpdir(), 'shims-results-'));
  for (const [id, fixture] of Object.entries(FIXTURES)) writeFileSync(join(fixtureDir, `${id}.json`), JSON.stringify(fixture.report));
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  copy?.remove();
  if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
});

async function openPageIn(site: BuiltSite, width: number, on: Browser = browser): Promise<Page> {
  const page = await on.newPage({ viewport: { width, height: 900 } });
  await page.goto(pathToFileURL(site.indexFile).href);
  return page;
}

/** Boxes of the direct children of each card, the cards, and the nav links, for the overlap check. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const rect = (e: Element) => e.getBoundingClientRect();
    const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ')[0]}` : ''}`;
    const viewport = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > viewport)
      problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${viewport}`);
    const groups: Element[][] = [
      [...document.querySelectorAll('main > section')],
      [...document.querySelectorAll('nav li')],
      ...[...document.querySelectorAll('main > section')].map((s) => [...s.children]),
      ...[...document.querySelectorAll('.vendor-head')].map((h) => [...h.children]),
    ];
    for (const group of groups) {
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          if (overlap(rect(group[i]!), rect(group[j]!))) problems.push(`${name(group[i]!)} overlaps ${name(group[j]!)}`);
        }
      }
    }
    for (const section of document.querySelectorAll('main > section')) {
      const box = rect(section);
      for (const element of section.querySelectorAll('*')) {
        const r = rect(element);
        if (r.width === 0 || (element.closest('.table-wrap') !== null && element.tagName !== 'DIV')) continue;
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5)
          problems.push(
            `${name(element)} in ${section.id} sticks out of its card (${Math.round(r.left)}..${Math.round(r.right)} vs ${Math.round(box.left)}..${Math.round(box.right)})`,
          );
      }
      for (const text of section.querySelectorAll('p, li, td, th, pre, h2, h3')) {
        const size = parseFloat(getComputedStyle(text).fontSize);
        if (size < 13) problems.push(`${name(text)} in ${section.id} is ${size}px: too small to read`);
      }
    }
    return problems;
  });
}

/** Every href and src of the page, with whether it resolves (a file that exists, an id that exists). */
async function brokenLinks(page: Page): Promise<string[]> {
  const links = await page.evaluate(() =>
    [...document.querySelectorAll('a[href], img[src], link[href]')].map((e) => (e as HTMLAnchorElement).href || (e as HTMLImageElement).src),
  );
  const broken: string[] = [];
  for (const link of links) {
    const url = new URL(link);
    if (url.protocol !== 'file:') {
      broken.push(`${link}: not a local file (the page must open from disk)`);
      continue;
    }
    const file = fileURLToPath(url);
    if (!existsSync(file)) {
      broken.push(`${link}: no such file`);
      continue;
    }
    if (url.hash) {
      const id = decodeURIComponent(url.hash.slice(1));
      if (!readFileSync(file, 'utf8').includes(`id="${id}"`)) broken.push(`${link}: no element with id ${id}`);
    }
  }
  return broken;
}

for (const engine of enginesToRun()) describeFixturePage(engine);

function describeFixturePage(engine: Engine): void {
  describe(`the integrations page, built from fixture results, in ${ENGINE_LABELS[engine]}`, () => {
    let site: BuiltSite;
    let engineBrowser: Browser;
    const openPage = (built: BuiltSite, width: number) => openPageIn(built, width, engineBrowser);

    beforeAll(async () => {
      site = buildSite({ root: copy.root, outDir: join(copy.root, 'site', 'dist'), resultsFile: (id) => join(fixtureDir, `${id}.json`) });
      engineBrowser = engine === 'chromium' ? browser : await launchBrowser(engine);
    });

    afterAll(async () => {
      if (engineBrowser !== browser) await engineBrowser?.close();
    });

    it('lists every vendor package of the workspace with its logo, install line, use, versions, mapping, limits and example', async () => {
      const page = await openPage(site, 1280);
      const vendors = findVendorPackages(copy.root);
      expect(vendors.length).toBeGreaterThanOrEqual(5);
      const shown = await page.$$eval('main > section.vendor', (sections) => sections.map((s) => s.getAttribute('data-vendor')));
      expect(shown).toEqual(vendors.map((v) => v.id));
      for (const vendor of vendors) {
        const m = vendor.manifest!;
        const card = page.locator(`#vendor-${vendor.id}`);
        expect(await card.locator('h2').textContent()).toBe(m.displayName);
        expect(await card.locator('img.logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
        const text = (await card.textContent()) ?? '';
        expect(text).toContain(m.sdk.webApi ? `npm i ${vendor.name}` : `npm i ${vendor.name} ${m.sdk.package}`);
        expect(text).toContain(m.entry.usage);
        expect(text).toContain(m.sdk.range);
        expect(await card.locator('tbody tr').count()).toBe(m.mapping.rows.length);
        expect(await card.locator('.limits li').count()).toBe(m.limits.length);
        expect(await card.locator('.example a').getAttribute('href')).toBe(`examples/${vendor.id}.html`);
      }
      expect(await page.locator('#get-listed').textContent()).toContain('pnpm new-shim');
      await page.close();
    });

    it('shows each badge as the results file says, and "not verified" where no suite ran', async () => {
      const page = await openPage(site, 1280);
      for (const vendor of findVendorPackages(copy.root)) {
        const fixture = FIXTURES[vendor.id];
        const card = page.locator(`#vendor-${vendor.id}`);
        expect(await card.locator('.badge').textContent(), vendor.id).toBe(fixture?.badge ?? 'not verified');
        expect(await card.locator('.status-summary').textContent(), vendor.id).toBe(
          fixture?.summary ?? 'not verified: its test suite has not run here',
        );
      }
      const peerjs = page.locator('#vendor-peerjs');
      expect(await peerjs.locator('[data-real-callstats]').textContent()).toBe('yes');
      expect(await peerjs.textContent()).toContain('Verified against peerjs 1.4.7, 1.5.5.');
      expect(await page.locator('#vendor-jssip [data-real-callstats]').textContent()).toBe('no');
      expect(await peerjs.locator('[data-receiver-reports]').textContent()).toBe('yes');
      expect(await peerjs.locator('.engines').textContent()).toBe('Verified in Chromium 7/7, in Firefox 2/2.');
      expect(await page.locator('#vendor-simple-peer [data-engine="Chromium"]').textContent()).toBe('2/3');
      expect(await page.locator('#vendor-jssip [data-receiver-reports]').count(), 'no receiver-report case in its results').toBe(0);
      await page.close();
    });

    it('resolves every link, image and stylesheet from disk, on the page and the pages it links to', async () => {
      const page = await openPage(site, 1280);
      expect(await brokenLinks(page)).toEqual([]);
      for (const sub of ['contributing.html', ...findVendorPackages(copy.root).map((v) => `examples/${v.id}.html`)]) {
        await page.goto(pathToFileURL(join(site.outDir, sub)).href);
        expect(await brokenLinks(page), sub).toEqual([]);
      }
      await page.close();
    });

    for (const width of WIDTHS) {
      it(`lays out without overlaps or sideways scrolling, readable at ${width} px (screenshot in test-results/screenshots)`, async () => {
        const page = await openPage(site, width);
        expect(await layoutProblems(page)).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `integrations-${engine}-${width}.png`), fullPage: true });
        await page.close();
      });
    }
  });
}

describe('the integrations page served by @shims/collector (shims-collector --integrations site/dist)', () => {
  it('serves the page and everything it links to from the collector, badges as on disk', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'shims-site-'));
    const port = await freePort();
    const collector = await startServerProcess({
      command: process.execPath,
      args: [join(ROOT, 'packages/collector/dist/cli.js'), '--memory', '--accept-any-token', '--port', String(port), '--integrations', outDir],
      readyWhen: /integrations: http:\/\/\S+\/integrations\//,
    });
    try {
      buildSite({ root: copy.root, outDir, resultsFile: (id) => join(fixtureDir, `${id}.json`) });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const failed: string[] = [];
      page.on('response', (res) => {
        if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
      });
      await page.goto(`http://127.0.0.1:${port}/integrations`);
      expect(page.url()).toBe(`http://127.0.0.1:${port}/integrations/`);
      expect(await page.locator('#vendor-peerjs .badge').textContent()).toBe('verified');
      expect(await page.locator('img.logo').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const link of new Set(links.map((l) => l.replace(/#.*$/, '')))) {
        expect((await fetch(link)).status, link).toBe(200);
      }
      expect(failed).toEqual([]);
      await page.close();
    } finally {
      await collector.stop();
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe('the integrations page from the real results files of this workspace', () => {
  it('shows for each vendor the status its test-results/vitest.json gives (not verified where there is none)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'shims-site-'));
    try {
      const site = buildSite({ root: ROOT, outDir });
      const page = await openPageIn(site, 1280);
      for (const vendor of findVendorPackages(ROOT)) {
        const file = join(vendor.dir, 'test-results', 'vitest.json');
        const expected = readVerifiedStatus(file);
        if (!existsSync(file)) expect(expected.state, vendor.id).toBe('not-verified');
        const card = page.locator(`#vendor-${vendor.id}`);
        expect(await card.getAttribute('data-status'), vendor.id).toBe(expected.state);
        expect(await card.locator('.status-summary').textContent(), vendor.id).toBe(expected.summary);
      }
      await page.close();
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
