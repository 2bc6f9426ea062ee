// `--check`: opens the collector's dashboard after the call, as a user would, and fails unless it
// shows what the call did: two users, alice and bob, each with an audio fabric and a chat fabric
// to the other; stats on every audio fabric (callstats.js takes none of a data channel, and the
// dashboard must say so); the loss period in the points behind the packets-lost chart of every
// audio fabric, and no loss outside it; alice's mute and unmute on her audio fabric's timeline.
import type { Harness } from '@shims/testkit';
import type { StoryLog } from './story.ts';

type Page = Harness['page'];

interface CheckExpectations {
  conferenceID: string;
  /** When the story's steps ran (epoch ms). */
  story: StoryLog;
  lossStep: string;
  recoverStep: string;
  /** RTP packets the relay dropped, both directions together. */
  droppedRtp: number;
  /** Seconds between two stats batches. */
  batchEveryS: number;
}

interface SummaryRow {
  user: string;
  connectionID: string;
  ucID: string;
  to: string;
  media: boolean;
  points: number;
  impairedMs: number;
  bitrateIn: string;
}

const SUMMARY_SCRIPT = String.raw`[...document.querySelectorAll('#call-summary .user-summary')].flatMap((section) =>
  [...section.querySelectorAll('tbody tr')].map((tr) => ({
    user: section.dataset.userId,
    connectionID: tr.dataset.connectionId,
    ucID: tr.dataset.ucId,
    to: tr.querySelector('[data-label="To"]').textContent,
    media: tr.dataset.media === 'true',
    points: Number(tr.dataset.points),
    impairedMs: Number(tr.dataset.impairedMs),
    bitrateIn: tr.querySelector('[data-label="Bitrate in"]').textContent,
  })))`;

/** The packets-lost chart's points as its dots' tooltips say them: "packets lost at 19.9 s: 20". */
const LOSS_POINTS_SCRIPT = String.raw`[...document.querySelectorAll('#charts [data-chart="packets-lost"] .dot title')].map((t) => {
  const m = /at (-?[\d.]+) s: (\d+)/.exec(t.textContent);
  return m ? [Number(m[1]), Number(m[2])] : null;
})`;

export async function checkDashboard(page: Page, collectorUrl: string, expect: CheckExpectations): Promise<string[]> {
  const problems: string[] = [];
  const fail = (text: string): void => void problems.push(text);
  const report: string[] = [];
  await page.goto(`${collectorUrl}/#conference=${encodeURIComponent(expect.conferenceID)}`);
  await page.waitForSelector('#call-summary:not([hidden]) .user-summary tbody tr', { timeout: 15_000 });

  const usersCell = await page.textContent(`#conference-table tr[data-conference-id="${expect.conferenceID}"] [data-label="Users"]`);
  if (usersCell !== '2: alice, bob' && usersCell !== '2: bob, alice') fail(`the conference lists users "${usersCell}", expected alice and bob`);
  const rows = await page.evaluate<SummaryRow[]>(SUMMARY_SCRIPT);
  for (const [user, other] of [
    ['alice', 'bob'],
    ['bob', 'alice'],
  ] as const) {
    const mine = rows.filter((r) => r.user === user);
    const audio = mine.filter((r) => r.media);
    const data = mine.filter((r) => !r.media);
    if (mine.length !== 2 || audio.length !== 1 || data.length !== 1)
      fail(`${user}: ${mine.length} fabrics in the summary (${audio.length} with media), expected an audio and a chat one`);
    for (const r of mine) if (r.to !== other) fail(`${user}'s fabric ${r.connectionID} goes to "${r.to}", expected ${other}`);
    for (const r of audio) if (r.points < 3) fail(`${user}'s audio fabric ${r.connectionID} has ${r.points} stats points, expected at least 3`);
    for (const r of data)
      if (r.points !== 0 || !r.bitrateIn.includes('data channel'))
        fail(`${user}'s chat fabric ${r.connectionID} is not shown as a data channel without stats`);
    for (const r of audio)
      if (r.impairedMs < expect.batchEveryS * 1000) fail(`${user}'s audio fabric shows ${r.impairedMs} ms impaired, expected the loss period`);
  }

  const at = (say: string): number => expect.story.find((s) => s.say === say)?.at ?? NaN;
  const fabrics = (await (await fetch(`${collectorUrl}/api/conferences/${encodeURIComponent(expect.conferenceID)}/fabrics`)).json()) as {
    fabrics: { connectionID: string; ucID: string; setupAt: number | null }[];
  };
  for (const row of rows.filter((r) => r.media)) {
    // The fabric's own view: its timeline, and its charts in seconds since its setup.
    await page.click(`#fabric-table tr[data-connection-id="${row.connectionID}"][data-uc-id="${row.ucID}"] a`);
    await page.waitForFunction(
      (n) => Number(document.querySelector('#charts [data-chart="packets-lost"]')?.getAttribute('data-points')) >= n,
      row.points,
      { timeout: 15_000 },
    );
    await page.waitForSelector('#timeline li[data-event-type="fabricTerminated"]', { timeout: 15_000 });
    const events = await page.$$eval('#timeline li', (items) => items.map((li) => li.getAttribute('data-event-type')));
    const mutes = events.filter((e) => e === 'audioMute' || e === 'audioUnmute');
    const expected = row.user === 'alice' ? ['audioMute', 'audioUnmute'] : [];
    if (mutes.join() !== expected.join()) fail(`${row.user}'s audio fabric timeline has [${mutes.join(', ')}], expected [${expected.join(', ')}]`);

    const setupAt = fabrics.fabrics.find((f) => f.connectionID === row.connectionID && f.ucID === row.ucID)?.setupAt ?? NaN;
    const lossFrom = (at(expect.lossStep) - setupAt) / 1000;
    const lossTo = (at(expect.recoverStep) - setupAt) / 1000;
    const points = (await page.evaluate<([number, number] | null)[]>(LOSS_POINTS_SCRIPT)).filter((p) => p !== null);
    const before = points.filter(([x]) => x <= lossFrom);
    const lostBefore = Math.max(0, ...before.map(([, y]) => y));
    const lostAtEnd = points.at(-1)?.[1] ?? 0;
    const firstRise = points.find(([, y]) => y > lostBefore + 2)?.[0] ?? NaN;
    // The relay is the only loss on the path: each direction lost about half of what it dropped.
    const expectedLoss = expect.droppedRtp / 2;
    const chart = points.map(([x, y]) => `${x.toFixed(0)} s: ${y}`).join(', ');
    report.push(
      `${row.user}'s audio fabric, packets lost (loss period ${lossFrom.toFixed(1)}–${lossTo.toFixed(1)} s after setup): ${chart}; timeline: ${mutes.join(', ') || 'no mute'}`,
    );
    if (before.length === 0 || lostBefore > 2)
      fail(`${row.user}: the chart shows ${lostBefore} packets lost before the loss period (${before.length} points)`);
    // callstats.js's points trail the network by up to an interval (a batch may carry the report before).
    if (!(firstRise > lossFrom && firstRise <= lossTo + 2 * expect.batchEveryS))
      fail(`${row.user}: the chart's loss does not rise in the loss period (first rise at ${firstRise} s)`);
    if (!(lostAtEnd - lostBefore >= expectedLoss * 0.6))
      fail(`${row.user}: the chart shows ${lostAtEnd - lostBefore} packets lost over the loss period, expected about ${expectedLoss}`);
    if (!(lostAtEnd <= expectedLoss * 1.2 + 3))
      fail(`${row.user}: the chart shows ${lostAtEnd} packets lost, more than the relay dropped (about ${expectedLoss})`);
  }
  for (const line of report) console.log(`  ${line}`);
  return problems;
}
