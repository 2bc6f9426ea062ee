/**
 * The dashboard's browser module, served as `dashboard/dashboard.js` (bundled with the modules it
 * imports; see `build/dashboard-client.ts`). No framework, no dependency, no other origin: it reads
 * only the collector's query API (`../api/` from its own URL), polls it, and draws the charts as
 * inline SVG.
 */
import type { ConferenceList, ConferenceSummaryAnswer, FabricList, ListPage, ListRows } from '../../query-api-types.js';
import type { ConferenceSummary, EventRecord, FabricRecord, SeriesPoint } from '../../storage/storage.js';
import { renderCallSummary } from './call-summary.js';
import { CHARTS, drawChart, ensureFigures, niceTicks } from './charts.js';
import { describeEvent, failureNodes } from './describe-event.js';
import { $, byId, find, h, replaceKeepingFocus, type Attrs, type Child } from './dom.js';
import { formatDateTime, formatMs, formatOffset, timeElement } from './format.js';
import { apiURL, conferenceQuery, fabricQuery, hashFor, parseHash, sameConference, sameFabric, type ApiParams, type Selection } from './links.js';

const API = new URL('../api/', import.meta.url);
const PAGE_SIZE = 1000;
/**
 * Conferences read per page, newest first by first seen: the poll reads the newest page only, and
 * "Show older conferences" reads one more each time (a collector may hold many thousands).
 */
const CONFERENCE_PAGE = 50;
const query = new URLSearchParams(location.search);
const POLL_MS = Math.min(60000, Math.max(250, Number(query.get('interval')) || 2000));
/** The summary is computed from every series point of the conference: read at most this often while polling. */
const SUMMARY_EVERY_MS = Math.max(POLL_MS, 10_000);

interface State extends Selection {
  /** The newest page of conferences, as the last poll read it. */
  conferences: ConferenceSummary[];
  /** Conferences of the pages read since (and of earlier newest pages), by app and conference ID. */
  olderConferences: Map<string, ConferenceSummary>;
  /** Whether the collector has conferences older than those read. */
  conferencesMore: boolean;
  /** The oldest row of the last older page read (the API's cursor: rows may share a first-seen time). */
  olderCursor: ConferenceSummary | null;
  /** The last conference list as JSON: redrawn only when it changes. */
  conferencesKey: string | null;
  /** The selected conference is not on this collector (404). */
  conferenceMissing: boolean;
  fabrics: FabricRecord[];
  fabricsKey: string | null;
  /** The selected conference's summary per user, as JSON: redrawn only when it changes. */
  summaryKey: string | null;
  /** When the summary was last read (it reads every series of the conference: not on every poll). */
  summaryReadAt: number;
  /** The selected fabric's events and series points, read so far. */
  events: EventRecord[];
  series: SeriesPoint[];
  lastEventID: number;
  lastBatchID: number;
  paused: boolean;
  timer: number;
  /** Bumped when the selection changes, so answers for the previous one are dropped. */
  generation: number;
  /** One refresh at a time. */
  queue: Promise<void>;
}

const state: State = {
  conferences: [],
  olderConferences: new Map(),
  conferencesMore: false,
  olderCursor: null,
  conferencesKey: null,
  conferenceID: null,
  appID: null,
  conferenceMissing: false,
  fabrics: [],
  fabricsKey: null,
  summaryKey: null,
  summaryReadAt: 0,
  connectionID: null,
  ucID: null,
  events: [],
  series: [],
  lastEventID: 0,
  lastBatchID: 0,
  paused: false,
  timer: 0,
  generation: 0,
  queue: Promise.resolve(),
};

const tbodyOf = (tableID: string): HTMLTableSectionElement => find(byId(tableID, HTMLTableElement), 'tbody', HTMLTableSectionElement);

// ---- the API -------------------------------------------------------------------------------

/** The answer as JSON, or null for 404. */
async function getJson<T>(segments: string[], params?: ApiParams): Promise<T | null> {
  const res = await fetch(apiURL(API, segments, params), { cache: 'no-store', headers: { accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error('HTTP ' + res.status + ' for /api/' + segments.join('/'));
  return (await res.json()) as T;
}

/** What is new since `after`, page by page (`?after=&limit=`). */
async function getNew<K extends keyof ListRows>(
  segments: string[],
  key: K,
  idOf: (row: ListRows[K]) => number,
  after: number,
  params: ApiParams,
): Promise<ListRows[K][] | null> {
  const items: ListRows[K][] = [];
  for (let cursor = after; ;) {
    const body = await getJson<ListPage<K>>(segments, Object.assign({}, params, { after: cursor, limit: PAGE_SIZE }));
    if (body === null) return null;
    const page = body[key];
    items.push(...page);
    // The collector bounds an answer by rows and bytes: `more: true` says rows are left.
    const last = page.at(-1);
    if (last === undefined || body.more !== true) return items;
    cursor = idOf(last);
  }
}

const conferenceKey = (c: ConferenceSummary): string => c.appID + '\n' + c.conferenceID;

/**
 * The newest page moves on as conferences start: one that leaves it stays listed (it is older than
 * the page now, and was read). Before any older page was read, `more` is the newest page's own.
 */
function keepNewestPage(list: ConferenceList): void {
  const inPage = new Set(list.conferences.map(conferenceKey));
  for (const c of state.conferences) if (!inPage.has(conferenceKey(c))) state.olderConferences.set(conferenceKey(c), c);
  for (const key of inPage) state.olderConferences.delete(key);
  if (state.olderConferences.size === 0) state.conferencesMore = list.more === true;
}

/**
 * Reads the page of conferences just older than the oldest read, and shows it. A page comes oldest
 * first: its first row is the cursor for the next (`before`), as the query API says.
 */
async function showOlderConferences(): Promise<void> {
  const oldest = state.olderCursor ?? state.conferences[0];
  if (oldest === undefined) return;
  const page = await getJson<ConferenceList>(['conferences'], {
    limit: CONFERENCE_PAGE,
    before: oldest.conferenceID,
    beforeAppID: oldest.appID,
  });
  if (page === null) throw new Error('HTTP 404 for /api/conferences');
  for (const c of page.conferences) state.olderConferences.set(conferenceKey(c), c);
  state.olderCursor = page.conferences[0] ?? oldest;
  state.conferencesMore = page.more === true;
  state.conferencesKey = null;
  renderConferences();
}

async function refresh(): Promise<void> {
  const generation = state.generation;
  const stale = (): boolean => generation !== state.generation;
  try {
    const list = await getJson<ConferenceList>(['conferences'], { limit: CONFERENCE_PAGE });
    if (stale()) return;
    if (list === null) throw new Error('HTTP 404 for /api/conferences');
    keepNewestPage(list);
    const key = JSON.stringify([list.conferences, state.conferencesMore, state.olderConferences.size]);
    if (key !== state.conferencesKey) {
      state.conferences = list.conferences;
      state.conferencesKey = key;
      renderConferences();
    }
    if (state.conferenceID !== null) {
      const fabrics: FabricList | null = await getJson(['conferences', state.conferenceID, 'fabrics'], conferenceQuery(state));
      if (stale()) return;
      const missing = fabrics === null;
      const fabricsKey = JSON.stringify(fabrics);
      if (fabricsKey !== state.fabricsKey || missing !== state.conferenceMissing) {
        state.fabrics = fabrics === null ? [] : fabrics.fabrics;
        state.fabricsKey = fabricsKey;
        state.conferenceMissing = missing;
        renderFabrics();
        renderFabric();
      }
      if (Date.now() - state.summaryReadAt >= SUMMARY_EVERY_MS) {
        state.summaryReadAt = Date.now();
        const summary: ConferenceSummaryAnswer | null = await getJson(['conferences', state.conferenceID, 'summary'], conferenceQuery(state));
        if (stale()) return;
        const summaryKey = JSON.stringify(summary);
        if (summaryKey !== state.summaryKey) {
          state.summaryKey = summaryKey;
          renderSummary(summary);
        }
      }
    }
    if (state.conferenceID !== null && state.connectionID !== null && selectedFabric()) {
      const base = ['conferences', state.conferenceID, 'fabrics', state.connectionID];
      const events = await getNew(base.concat('events'), 'events', (e) => e.id, state.lastEventID, fabricQuery(state));
      const series = await getNew(base.concat('stats'), 'series', (p) => p.batchID, state.lastBatchID, fabricQuery(state));
      if (stale()) return;
      const lastEvent = events?.at(-1);
      if (events && lastEvent) {
        state.events.push(...events);
        state.lastEventID = lastEvent.id;
        renderTimeline();
      }
      const lastPoint = series?.at(-1);
      if (series && lastPoint) {
        state.series.push(...series);
        state.lastBatchID = lastPoint.batchID;
        renderCharts();
      }
    }
    showError(null);
    $('updated').textContent = 'Updated ' + formatDateTime(Date.now()).slice(11) + (state.paused ? ' · paused' : ' · every ' + POLL_MS / 1000 + ' s');
  } catch (error) {
    if (!stale()) showError('Cannot read the collector: ' + messageOf(error) + '. Retrying.');
  }
}

function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined;
  return message ? String(message) : String(error);
}

function showError(message: string | null): void {
  const el = $('error');
  if (message === null) {
    if (!el.hidden) {
      el.hidden = true;
      el.textContent = '';
    }
  } else if (el.textContent !== message) {
    el.textContent = message;
    el.hidden = false;
  }
}

function schedule(): void {
  clearTimeout(state.timer);
  if (!state.paused) state.timer = setTimeout(refreshNow, POLL_MS);
}

function refreshNow(): Promise<void> {
  clearTimeout(state.timer);
  state.queue = state.queue.then(refresh).then(schedule);
  return state.queue;
}

// ---- selection (the URL's hash: #conference=<id>&app=<appID>&fabric=<connectionID>&user=<ucID>)

function applyHash(fromUser: boolean): void {
  const { conferenceID, appID, connectionID, ucID } = parseHash(location.hash);
  const conferenceChanged = conferenceID !== state.conferenceID || appID !== state.appID;
  const fabricChanged = conferenceChanged || connectionID !== state.connectionID || ucID !== state.ucID;
  if (!fabricChanged) return;
  state.generation += 1;
  if (conferenceChanged) {
    state.conferenceID = conferenceID;
    state.appID = appID;
    state.conferenceMissing = false;
    state.fabrics = [];
    state.fabricsKey = null;
    state.summaryKey = null;
    state.summaryReadAt = 0;
    renderSummary(null);
  }
  state.connectionID = connectionID;
  state.ucID = ucID;
  state.events = [];
  state.series = [];
  state.lastEventID = 0;
  state.lastBatchID = 0;
  renderConferences();
  renderFabrics();
  renderFabric();
  void refreshNow().then(() => {
    if (!fromUser) return;
    const target = connectionID !== null ? $('fabric-heading') : $('fabrics-heading');
    if (!target.closest('[hidden]')) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'start' });
    }
  });
}

const selectedFabric = (): FabricRecord | undefined => (state.connectionID === null ? undefined : state.fabrics.find((f) => sameFabric(f, state)));

// ---- rendering -----------------------------------------------------------------------------

function cell(label: string, attrs: Attrs, ...children: Child[]): HTMLTableCellElement {
  return h('td', Object.assign({ 'data-label': label }, attrs), ...children);
}

function renderConferences(): void {
  const sorted = state.conferences.concat([...state.olderConferences.values()]).sort((a, b) => b.lastSeen - a.lastSeen || b.firstSeen - a.firstSeen);
  $('conferences-older').hidden = !state.conferencesMore;
  $('conferences-empty').hidden = sorted.length > 0;
  $('conference-table').hidden = sorted.length === 0;
  replaceKeepingFocus(
    tbodyOf('conference-table'),
    sorted.map((c) => {
      const selected = state.conferenceID !== null && sameConference(c, state);
      const users = c.users.map((u) => u.userID);
      return h(
        'tr',
        { class: selected ? 'selected' : null, dataset: { conferenceId: c.conferenceID, appId: c.appID } },
        cell(
          'Conference',
          { class: 'ids' },
          h(
            'a',
            { href: hashFor(c, null), 'data-key': 'c:' + c.appID + ':' + c.conferenceID, 'aria-current': selected ? 'true' : null },
            c.conferenceID,
          ),
        ),
        cell('App', { class: 'ids' }, c.appID),
        cell('First seen', {}, timeElement(c.firstSeen)),
        cell('Last seen', {}, timeElement(c.lastSeen)),
        cell('Users', {}, users.length === 0 ? '—' : users.length + ': ' + users.join(', ')),
        cell('Fabrics', { class: 'num' }, String(c.fabricCount)),
      );
    }),
  );
}

function renderFabrics(): void {
  const section = $('fabrics');
  const { conferenceID, appID } = state;
  section.hidden = conferenceID === null;
  if (conferenceID === null) return;
  $('fabrics-heading').textContent = 'Fabrics of ' + conferenceID;
  const empty = $('fabrics-empty');
  empty.textContent = state.conferenceMissing
    ? 'No conference ' + conferenceID + ' on this collector.'
    : state.fabricsKey === null
      ? 'Loading…'
      : 'No fabric yet.';
  empty.hidden = state.fabrics.length > 0;
  $('fabric-table').hidden = state.fabrics.length === 0;
  replaceKeepingFocus(
    tbodyOf('fabric-table'),
    state.fabrics.map((f) => {
      const selected = state.connectionID !== null && sameFabric(f, state);
      return h(
        'tr',
        { class: selected ? 'selected' : null, dataset: { connectionId: f.connectionID, ucId: f.ucID, state: f.state } },
        cell(
          'Connection',
          { class: 'ids' },
          h(
            'a',
            { href: hashFor({ conferenceID, appID }, f), 'data-key': 'f:' + f.ucID + ':' + f.connectionID, 'aria-current': selected ? 'true' : null },
            f.connectionID,
          ),
        ),
        cell('Local → remote', {}, f.localID + ' → ' + (f.remoteID ?? '?')),
        cell('State', {}, h('span', { class: 'badge state-' + f.state }, f.state), noReceiverReports(f)),
        cell('Setup delay', { class: 'num' }, formatMs(f.setupDelayMs)),
        cell(
          'Failures',
          { class: 'failures-cell' },
          f.failures.length === 0
            ? 'none'
            : h(
                'ul',
                { class: 'failures' },
                f.failures.map((failure) => h('li', {}, failureNodes(failure))),
              ),
        ),
      );
    }),
  );
}

/** The per-user summary of the selected conference; hidden until there is one. */
function renderSummary(answer: ConferenceSummaryAnswer | null): void {
  $('call-summary').hidden = answer === null || state.conferenceID === null;
  if (answer === null || state.conferenceID === null) $('call-summary-users').replaceChildren();
  else renderCallSummary($('call-summary-users'), answer.summary);
}

const RECEIVER_REPORTS: Record<FabricRecord['receiverReports'], string> = {
  present: 'received',
  missing: 'none: RTT and loss unknown (the remote side or a middlebox does not terminate RTCP)',
  unknown: 'not known yet',
};

/** The flag beside a fabric's state when what it sends gets no RTCP receiver reports. */
function noReceiverReports(fabric: FabricRecord): Child {
  if (fabric.receiverReports !== 'missing') return null;
  return h('span', { class: 'badge rtcp-missing', title: RECEIVER_REPORTS.missing }, 'no RTCP receiver reports: RTT and loss unknown');
}

function renderFabric(): void {
  const section = $('fabric');
  const fabric = selectedFabric();
  section.hidden = fabric === undefined;
  if (fabric === undefined) return;
  $('fabric-heading').textContent = 'Fabric ' + fabric.connectionID;
  const item = (term: string, ...value: Child[]): HTMLDivElement => h('div', {}, h('dt', {}, term), h('dd', {}, ...value));
  $('fabric-summary').replaceChildren(
    item('Local → remote', fabric.localID + ' → ' + (fabric.remoteID ?? '?')),
    item('State', h('span', { class: 'badge state-' + fabric.state }, fabric.state)),
    item('Setup delay', formatMs(fabric.setupDelayMs)),
    item('RTCP receiver reports', RECEIVER_REPORTS[fabric.receiverReports]),
    item('ICE gathering / connectivity', formatMs(fabric.iceGatheringDelayMs) + ' / ' + formatMs(fabric.iceConnectivityDelayMs)),
    item('First seen', timeElement(fabric.firstSeen)),
    item(fabric.terminatedAt !== null ? 'Terminated' : 'Last seen', timeElement(fabric.terminatedAt ?? fabric.lastSeen)),
  );
  renderTimeline();
  renderCharts();
}

function renderTimeline(): void {
  const events = state.events.slice().sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
  const origin = events[0]?.timestamp ?? 0;
  $('timeline-empty').hidden = events.length > 0;
  $('timeline').replaceChildren(
    ...events.map((event) => {
      const d = describeEvent(event);
      const offset = event.timestamp - origin;
      return h(
        'li',
        { class: 'kind-' + d.kind, dataset: { eventType: event.eventType, eventId: String(event.id) } },
        h('time', { class: 'offset', datetime: 'PT' + (offset / 1000).toFixed(3) + 'S' }, formatOffset(offset)),
        h('span', { class: 'what' }, h('span', { class: 'title' }, d.title), d.detail === null ? null : h('span', { class: 'detail' }, d.detail)),
      );
    }),
  );
}

function renderCharts(): void {
  const holder = $('charts');
  ensureFigures(holder);
  const fabric = selectedFabric();
  if (!fabric) return;
  const origin = fabric.setupAt ?? fabric.firstSeen;
  const xs = state.series.map((p) => (p.timestamp - origin) / 1000);
  // The same round time axis on every chart, a little past the last point.
  const xTicks = niceTicks(Math.min(0, ...xs), Math.max(1, ...xs) * 1.04, 5);
  const xMin = xTicks[0]!;
  const xMax = xTicks[xTicks.length - 1]!;
  for (const chart of CHARTS) {
    const figure = find(holder, '[data-chart="' + chart.id + '"]', HTMLElement);
    drawChart(figure, chart, state.series, origin, xMin, xMax);
  }
}

// ---- start ---------------------------------------------------------------------------------

$('conferences-older').addEventListener('click', () => {
  state.queue = state.queue.then(() =>
    showOlderConferences().then(
      () => showError(null),
      (error: unknown) => showError('Cannot read older conferences: ' + messageOf(error) + '.'),
    ),
  );
});

$('pause').addEventListener('click', () => {
  state.paused = !state.paused;
  $('pause').setAttribute('aria-pressed', String(state.paused));
  $('pause').textContent = state.paused ? 'Resume updates' : 'Pause updates';
  if (state.paused) {
    clearTimeout(state.timer);
    $('updated').textContent = 'Updates paused';
  } else {
    void refreshNow();
  }
});
window.addEventListener('hashchange', () => applyHash(true));
let resizeFrame = 0;
new ResizeObserver(() => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => {
    if (!$('fabric').hidden) renderCharts();
  });
}).observe($('charts'));
renderConferences();
applyHash(false);
if (state.conferenceID === null) void refreshNow();
