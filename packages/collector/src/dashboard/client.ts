/**
 * The dashboard's browser module, served as `dashboard/dashboard.js`. Plain JavaScript kept as a
 * string so it ships inside `dist/` with no file to resolve (no backticks in it: the string is a
 * template literal). It reads only the collector's query API (`../api/` from its own URL), polls
 * it, and draws the charts as inline SVG.
 */
export const DASHBOARD_JS: string = String.raw`// @shims/collector dashboard. No framework, no dependency, no other origin.
const API = new URL('../api/', import.meta.url);
const SVG_NS = 'http://www.w3.org/2000/svg';
const PAGE_SIZE = 1000;
const query = new URLSearchParams(location.search);
const POLL_MS = Math.min(60000, Math.max(250, Number(query.get('interval')) || 2000));

const CHARTS = [
  { id: 'bitrate', title: 'Bitrate (bit/s)', tick: shortNumber, value: formatBitrate,
    series: [{ key: 'bitrateInBps', label: 'in', cls: 'series-a' }, { key: 'bitrateOutBps', label: 'out', cls: 'series-b' }] },
  { id: 'packets-lost', title: 'Packets lost (cumulative)', tick: shortNumber, value: (v) => String(v), integer: true,
    series: [{ key: 'packetsLost', label: 'packets lost', cls: 'series-a' }] },
  { id: 'jitter', title: 'Jitter (ms)', tick: shortNumber, value: (v) => trim(v) + ' ms',
    series: [{ key: 'jitterMs', label: 'jitter', cls: 'series-a' }] },
  { id: 'rtt', title: 'Round-trip time (ms)', tick: shortNumber, value: (v) => trim(v) + ' ms',
    series: [{ key: 'rttMs', label: 'RTT', cls: 'series-a' }] },
];

const ACTIONS = {
  fabricHold: 'Hold', fabricResume: 'Resume',
  audioMute: 'Audio muted', audioUnmute: 'Audio unmuted',
  videoPause: 'Video paused', videoResume: 'Video resumed',
  screenShareStart: 'Screen share started', screenShareStop: 'Screen share stopped',
  callUnAnswered: 'Call unanswered',
};

const state = {
  conferences: [], conferencesKey: null,
  conferenceID: null, appID: null, conferenceMissing: false, fabrics: [], fabricsKey: null,
  connectionID: null, ucID: null, events: [], series: [], lastEventID: 0, lastBatchID: 0,
  paused: false, timer: 0, generation: 0, queue: Promise.resolve(),
};

const $ = (id) => document.getElementById(id);

// ---- DOM helpers ---------------------------------------------------------------------------

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.setAttribute('class', value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}
const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
const svg = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

/** Replaces a container's children, keeping keyboard focus on the element with the same key. */
function replaceKeepingFocus(container, children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.getAttribute('data-key') : null;
  container.replaceChildren(...children);
  if (key !== null) {
    const again = [...container.querySelectorAll('[data-key]')].find((el) => el.getAttribute('data-key') === key);
    if (again) again.focus();
  }
}

// ---- formatting ----------------------------------------------------------------------------

const pad = (n) => String(n).padStart(2, '0');
function formatDateTime(ms) {
  const d = new Date(ms);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}
function timeElement(ms) {
  return typeof ms === 'number' ? h('time', { datetime: new Date(ms).toISOString() }, formatDateTime(ms)) : '—';
}
function trim(value) {
  return String(Number(value.toPrecision(3)));
}
function formatMs(value) {
  return typeof value === 'number' ? trim(value) + ' ms' : '—';
}
function formatOffset(ms) {
  return (ms < 0 ? '−' : '+') + (Math.abs(ms) / 1000).toFixed(3) + ' s';
}
function formatBitrate(bps) {
  if (bps >= 1e6) return trim(bps / 1e6) + ' Mbit/s';
  if (bps >= 1e3) return trim(bps / 1e3) + ' kbit/s';
  return trim(bps) + ' bit/s';
}
function shortNumber(value) {
  const abs = Math.abs(value);
  if (abs >= 1e9) return trim(value / 1e9) + 'G';
  if (abs >= 1e6) return trim(value / 1e6) + 'M';
  if (abs >= 1e3) return trim(value / 1e3) + 'k';
  return trim(value);
}
// ---- links and API URLs (pure: test/dashboard.test.ts runs this section in Node) ----------

/**
 * A selection in the URL's hash. Conferences are per app and a fabric is its user's (two apps
 * may use one conference ID, two users one connection ID), so a link names the app and the ucID
 * too: '#conference=<id>&app=<appID>&fabric=<connectionID>&user=<ucID>'. A link without them
 * (older, or typed by hand) means what the query API means: the oldest conference, the first user.
 */
function hashFor(conference, fabric) {
  const params = new URLSearchParams();
  params.set('conference', conference.conferenceID);
  if (conference.appID) params.set('app', conference.appID);
  if (fabric) {
    params.set('fabric', fabric.connectionID);
    if (fabric.ucID) params.set('user', fabric.ucID);
  }
  return '#' + params.toString();
}
function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const conferenceID = params.get('conference');
  const connectionID = conferenceID === null ? null : params.get('fabric');
  return { conferenceID, appID: conferenceID === null ? null : params.get('app'), connectionID, ucID: connectionID === null ? null : params.get('user') };
}
/** The query API's '?appID=' (conference routes) and '?ucID=' (fabric routes) for a selection. */
function conferenceQuery(selection) {
  return selection.appID ? { appID: selection.appID } : {};
}
function fabricQuery(selection) {
  return Object.assign(conferenceQuery(selection), selection.ucID ? { ucID: selection.ucID } : {});
}
function apiURL(segments, params) {
  const url = new URL(segments.map((s) => encodeURIComponent(s)).join('/'), API);
  for (const [name, value] of Object.entries(params || {})) url.searchParams.set(name, String(value));
  return url;
}
const sameConference = (c, selection) => c.conferenceID === selection.conferenceID && (!selection.appID || c.appID === selection.appID);
const sameFabric = (f, selection) => f.connectionID === selection.connectionID && (!selection.ucID || f.ucID === selection.ucID);

// ---- end of links and API URLs -------------------------------------------------------------

/** A failure as callstats.js reports it: the DOMException is often JSON inside 'message'. */
function describeFailure(failure) {
  let name = typeof failure.name === 'string' ? failure.name : null;
  let message = typeof failure.message === 'string' ? failure.message : null;
  if (message !== null && message.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(message);
      if (parsed && typeof parsed === 'object') {
        if (typeof parsed.message === 'string') message = parsed.message;
        if (name === null && typeof parsed.name === 'string') name = parsed.name;
      }
    } catch {
      // not JSON after all: shown as sent
    }
  }
  return { fn: typeof failure.function === 'string' ? failure.function : null, name, message, reason: typeof failure.reason === 'string' ? failure.reason : null };
}
function failureNodes(failure) {
  const f = describeFailure(failure);
  return [
    f.fn ? [h('code', { class: 'fn' }, f.fn), ': '] : null,
    h('span', { class: 'error-name' }, f.name || 'error'),
    f.message ? [': ', h('span', { class: 'error-message' }, f.message)] : null,
    f.reason ? ' (' + f.reason + ')' : null,
  ];
}

function describeEvent(event) {
  const body = event.body && typeof event.body === 'object' ? event.body : {};
  switch (event.eventType) {
    case 'fabricSetup': {
      const parts = ['delay ' + formatMs(body.delay)];
      if (typeof body.iceGatheringDelay === 'number') parts.push('ICE gathering ' + formatMs(body.iceGatheringDelay));
      if (typeof body.iceConnectivityDelay === 'number') parts.push('ICE connectivity ' + formatMs(body.iceConnectivityDelay));
      if (typeof body.fabricTransmissionDirection === 'string') parts.push(body.fabricTransmissionDirection);
      if (typeof body.remoteEndpointType === 'string') parts.push('remote: ' + body.remoteEndpointType);
      return { kind: 'setup', title: 'Setup', detail: parts.join(', ') };
    }
    case 'fabricStateChange':
      return { kind: 'state', title: String(body.changedState), detail: (body.prevState ?? '∅') + ' → ' + body.newState };
    case 'fabricSetupFailed':
      return { kind: 'failed', title: 'Setup failed', detail: failureNodes(body) };
    case 'fabricTerminated':
      return { kind: 'terminated', title: 'Terminated', detail: null };
    default:
      if (Object.hasOwn(ACTIONS, event.eventType)) return { kind: 'action', title: ACTIONS[event.eventType], detail: null };
      return { kind: 'other', title: event.eventType, detail: null };
  }
}

// ---- the API -------------------------------------------------------------------------------

async function getJson(segments, params) {
  const res = await fetch(apiURL(segments, params), { cache: 'no-store', headers: { accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error('HTTP ' + res.status + ' for /api/' + segments.join('/'));
  return res.json();
}
/** What is new since 'after', page by page (?after=&limit=). */
async function getNew(segments, key, idOf, after, params) {
  const items = [];
  for (let cursor = after; ; ) {
    const body = await getJson(segments, Object.assign({}, params, { after: cursor, limit: PAGE_SIZE }));
    if (body === null) return null;
    const page = body[key];
    items.push(...page);
    // The collector bounds an answer by rows and bytes: 'more: true' says rows are left.
    if (page.length === 0 || body.more !== true) return items;
    cursor = idOf(page[page.length - 1]);
  }
}

async function refresh() {
  const generation = state.generation;
  const stale = () => generation !== state.generation;
  try {
    const list = await getJson(['conferences']);
    if (stale()) return;
    const key = JSON.stringify(list.conferences);
    if (key !== state.conferencesKey) {
      state.conferences = list.conferences;
      state.conferencesKey = key;
      renderConferences();
    }
    if (state.conferenceID !== null) {
      const fabrics = await getJson(['conferences', state.conferenceID, 'fabrics'], conferenceQuery(state));
      if (stale()) return;
      const missing = fabrics === null;
      const fabricsKey = JSON.stringify(fabrics);
      if (fabricsKey !== state.fabricsKey || missing !== state.conferenceMissing) {
        state.fabrics = missing ? [] : fabrics.fabrics;
        state.fabricsKey = fabricsKey;
        state.conferenceMissing = missing;
        renderFabrics();
        renderFabric();
      }
    }
    if (state.conferenceID !== null && state.connectionID !== null && selectedFabric()) {
      const base = ['conferences', state.conferenceID, 'fabrics', state.connectionID];
      const events = await getNew(base.concat('events'), 'events', (e) => e.id, state.lastEventID, fabricQuery(state));
      const series = await getNew(base.concat('stats'), 'series', (p) => p.batchID, state.lastBatchID, fabricQuery(state));
      if (stale()) return;
      if (events && events.length > 0) {
        state.events.push(...events);
        state.lastEventID = events[events.length - 1].id;
        renderTimeline();
      }
      if (series && series.length > 0) {
        state.series.push(...series);
        state.lastBatchID = series[series.length - 1].batchID;
        renderCharts();
      }
    }
    showError(null);
    $('updated').textContent = 'Updated ' + formatDateTime(Date.now()).slice(11) + (state.paused ? ' · paused' : ' · every ' + POLL_MS / 1000 + ' s');
  } catch (error) {
    if (!stale()) showError('Cannot read the collector: ' + (error && error.message ? error.message : String(error)) + '. Retrying.');
  }
}

function showError(message) {
  const el = $('error');
  if (message === null) {
    if (!el.hidden) { el.hidden = true; el.textContent = ''; }
  } else if (el.textContent !== message) {
    el.textContent = message;
    el.hidden = false;
  }
}

function schedule() {
  clearTimeout(state.timer);
  if (!state.paused) state.timer = setTimeout(refreshNow, POLL_MS);
}
function refreshNow() {
  clearTimeout(state.timer);
  state.queue = state.queue.then(refresh).then(schedule);
  return state.queue;
}

// ---- selection (the URL's hash: #conference=<id>&app=<appID>&fabric=<connectionID>&user=<ucID>)

function applyHash(fromUser) {
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
  refreshNow().then(() => {
    if (!fromUser) return;
    const target = connectionID !== null ? $('fabric-heading') : $('fabrics-heading');
    if (target && !target.closest('[hidden]')) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'start' });
    }
  });
}

const selectedFabric = () => (state.connectionID === null ? undefined : state.fabrics.find((f) => sameFabric(f, state)));

// ---- rendering -----------------------------------------------------------------------------

function cell(label, attrs, ...children) {
  return h('td', Object.assign({ 'data-label': label }, attrs), ...children);
}

function renderConferences() {
  const sorted = state.conferences.slice().sort((a, b) => b.lastSeen - a.lastSeen || b.firstSeen - a.firstSeen);
  $('conferences-empty').hidden = sorted.length > 0;
  $('conference-table').hidden = sorted.length === 0;
  replaceKeepingFocus($('conference-table').tBodies[0], sorted.map((c) => {
    const selected = state.conferenceID !== null && sameConference(c, state);
    const users = c.users.map((u) => u.userID);
    return h('tr', { class: selected ? 'selected' : null, dataset: { conferenceId: c.conferenceID, appId: c.appID } },
      cell('Conference', { class: 'ids' }, h('a', { href: hashFor(c, null), 'data-key': 'c:' + c.appID + ':' + c.conferenceID, 'aria-current': selected ? 'true' : null }, c.conferenceID)),
      cell('App', { class: 'ids' }, c.appID),
      cell('First seen', {}, timeElement(c.firstSeen)),
      cell('Last seen', {}, timeElement(c.lastSeen)),
      cell('Users', {}, users.length === 0 ? '—' : users.length + ': ' + users.join(', ')),
      cell('Fabrics', { class: 'num' }, String(c.fabricCount)));
  }));
}

function renderFabrics() {
  const section = $('fabrics');
  section.hidden = state.conferenceID === null;
  if (state.conferenceID === null) return;
  $('fabrics-heading').textContent = 'Fabrics of ' + state.conferenceID;
  const empty = $('fabrics-empty');
  empty.textContent = state.conferenceMissing ? 'No conference ' + state.conferenceID + ' on this collector.' : state.fabricsKey === null ? 'Loading…' : 'No fabric yet.';
  empty.hidden = state.fabrics.length > 0;
  $('fabric-table').hidden = state.fabrics.length === 0;
  replaceKeepingFocus($('fabric-table').tBodies[0], state.fabrics.map((f) => {
    const selected = state.connectionID !== null && sameFabric(f, state);
    return h('tr', { class: selected ? 'selected' : null, dataset: { connectionId: f.connectionID, ucId: f.ucID, state: f.state } },
      cell('Connection', { class: 'ids' }, h('a', { href: hashFor({ conferenceID: state.conferenceID, appID: state.appID }, f), 'data-key': 'f:' + f.ucID + ':' + f.connectionID, 'aria-current': selected ? 'true' : null }, f.connectionID)),
      cell('Local → remote', {}, f.localID + ' → ' + (f.remoteID ?? '?')),
      cell('State', {}, h('span', { class: 'badge state-' + f.state }, f.state)),
      cell('Setup delay', { class: 'num' }, formatMs(f.setupDelayMs)),
      cell('Failures', { class: 'failures-cell' }, f.failures.length === 0 ? 'none' : h('ul', { class: 'failures' }, f.failures.map((failure) => h('li', {}, failureNodes(failure))))));
  }));
}

function renderFabric() {
  const section = $('fabric');
  const fabric = selectedFabric();
  section.hidden = fabric === undefined;
  if (fabric === undefined) return;
  $('fabric-heading').textContent = 'Fabric ' + fabric.connectionID;
  const item = (term, ...value) => h('div', {}, h('dt', {}, term), h('dd', {}, ...value));
  $('fabric-summary').replaceChildren(
    item('Local → remote', fabric.localID + ' → ' + (fabric.remoteID ?? '?')),
    item('State', h('span', { class: 'badge state-' + fabric.state }, fabric.state)),
    item('Setup delay', formatMs(fabric.setupDelayMs)),
    item('ICE gathering / connectivity', formatMs(fabric.iceGatheringDelayMs) + ' / ' + formatMs(fabric.iceConnectivityDelayMs)),
    item('First seen', timeElement(fabric.firstSeen)),
    item(fabric.terminatedAt !== null ? 'Terminated' : 'Last seen', timeElement(fabric.terminatedAt ?? fabric.lastSeen)),
  );
  renderTimeline();
  renderCharts();
}

function renderTimeline() {
  const events = state.events.slice().sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
  const origin = events.length > 0 ? events[0].timestamp : 0;
  $('timeline-empty').hidden = events.length > 0;
  $('timeline').replaceChildren(...events.map((event) => {
    const d = describeEvent(event);
    const offset = event.timestamp - origin;
    return h('li', { class: 'kind-' + d.kind, dataset: { eventType: event.eventType, eventId: String(event.id) } },
      h('time', { class: 'offset', datetime: 'PT' + (offset / 1000).toFixed(3) + 'S' }, formatOffset(offset)),
      h('span', { class: 'what' }, h('span', { class: 'title' }, d.title), d.detail === null ? null : h('span', { class: 'detail' }, d.detail)));
  }));
}

// ---- charts --------------------------------------------------------------------------------

/** About 'count' round ticks (1, 2 or 5 times a power of ten) covering [min, max]. */
function niceTicks(min, max, count, integer) {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || 10 * power;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function ensureFigures() {
  const holder = $('charts');
  if (holder.children.length > 0) return;
  holder.append(...CHARTS.map((chart) => h('figure', { class: 'chart', dataset: { chart: chart.id }, 'aria-labelledby': 'chart-' + chart.id + '-caption' },
    h('figcaption', { id: 'chart-' + chart.id + '-caption' }, chart.title),
    h('div', { class: 'plot' }),
    h('ul', { class: 'legend' }))));
}

function renderCharts() {
  ensureFigures();
  const fabric = selectedFabric();
  if (!fabric) return;
  const origin = fabric.setupAt ?? fabric.firstSeen;
  const xs = state.series.map((p) => (p.timestamp - origin) / 1000);
  // The same round time axis on every chart, a little past the last point.
  const xTicks = niceTicks(Math.min(0, ...xs), Math.max(1, ...xs) * 1.04, 5);
  const xMin = xTicks[0];
  const xMax = xTicks[xTicks.length - 1];
  for (const chart of CHARTS) {
    const figure = $('charts').querySelector('[data-chart="' + chart.id + '"]');
    drawChart(figure, chart, origin, xMin, xMax);
  }
}

function drawChart(figure, chart, origin, xMin, xMax) {
  const plot = figure.querySelector('.plot');
  const width = Math.max(240, Math.floor(plot.clientWidth || 320));
  const height = 200;
  const lines = chart.series.map((s) => ({
    ...s,
    points: state.series.map((p) => ({ x: (p.timestamp - origin) / 1000, y: p[s.key], batchID: p.batchID }))
      .map((p) => (typeof p.y === 'number' && Number.isFinite(p.y) ? p : { x: p.x, y: null, batchID: p.batchID })),
  }));
  const count = lines.reduce((n, l) => n + l.points.filter((p) => p.y !== null).length, 0);
  figure.dataset.points = String(count);
  figure.dataset.empty = String(count === 0);
  figure.querySelector('.legend').replaceChildren(...lines.map((l) => {
    const n = l.points.filter((p) => p.y !== null).length;
    return h('li', {}, h('span', { class: 'swatch ' + l.cls, 'aria-hidden': 'true' }), l.label + (n === 0 ? ' (no data)' : ''));
  }));
  const title = svg('title', { id: 'chart-' + chart.id + '-title' }, chart.title);
  if (count === 0) {
    plot.replaceChildren(svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width, height, role: 'img', 'aria-labelledby': 'chart-' + chart.id + '-title', class: 'empty' },
      title,
      svg('rect', { x: 0.5, y: 0.5, width: width - 1, height: height - 1, fill: 'none', class: 'grid', rx: 4 }),
      svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', 'dominant-baseline': 'middle', class: 'empty-text' }, 'No points yet')));
    return;
  }
  const values = lines.flatMap((l) => l.points.filter((p) => p.y !== null).map((p) => p.y));
  const yTicks = niceTicks(Math.min(0, ...values), Math.max(...values), 4, chart.integer);
  const yMin = yTicks[0];
  const yMax = yTicks[yTicks.length - 1];
  const yLabels = yTicks.map(chart.tick);
  const left = 14 + 7.5 * Math.max(...yLabels.map((l) => l.length));
  const margin = { top: 10, right: 16, bottom: 40, left };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const xTicks = niceTicks(xMin, xMax, Math.max(2, Math.floor(innerW / 70))).filter((t) => t >= xMin - 1e-9 && t <= xMax + 1e-9);
  const sx = (x) => margin.left + ((x - xMin) / (xMax - xMin)) * innerW;
  const sy = (y) => margin.top + innerH - ((y - yMin) / (yMax - yMin)) * innerH;
  const f1 = (n) => n.toFixed(1);
  const axes = svg('g', { class: 'axes' },
    yTicks.map((t, i) => [
      svg('line', { class: 'grid', x1: margin.left, x2: margin.left + innerW, y1: f1(sy(t)), y2: f1(sy(t)) }),
      svg('text', { x: margin.left - 6, y: f1(sy(t)), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'y-tick' }, yLabels[i]),
    ]),
    xTicks.map((t) => [
      svg('line', { class: 'axis', x1: f1(sx(t)), x2: f1(sx(t)), y1: margin.top + innerH, y2: margin.top + innerH + 4 }),
      svg('text', { x: f1(sx(t)), y: margin.top + innerH + 16, 'text-anchor': 'middle', class: 'x-tick' }, shortNumber(t)),
    ]),
    svg('line', { class: 'axis', x1: margin.left, x2: margin.left + innerW, y1: margin.top + innerH, y2: margin.top + innerH }),
    svg('line', { class: 'axis', x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + innerH }),
    svg('text', { x: margin.left + innerW / 2, y: height - 4, 'text-anchor': 'middle', class: 'x-title' }, 'seconds since setup'));
  const drawn = lines.map((l) => {
    let d = '';
    let pen = false;
    const dots = [];
    for (const p of l.points) {
      if (p.y === null) { pen = false; continue; }
      d += (pen ? ' L' : (d ? ' M' : 'M')) + f1(sx(p.x)) + ' ' + f1(sy(p.y));
      pen = true;
      const tip = svg('title', {}, l.label + ' at ' + trim(p.x) + ' s: ' + chart.value(p.y));
      // A dot for the first series, a square for the second: both stay visible when they meet.
      dots.push(l.cls === 'series-b'
        ? svg('rect', { class: 'dot', x: f1(sx(p.x) - 4), y: f1(sy(p.y) - 4), width: 8, height: 8 }, tip)
        : svg('circle', { class: 'dot', cx: f1(sx(p.x)), cy: f1(sy(p.y)), r: 4 }, tip));
    }
    return svg('g', { class: l.cls, dataset: { series: l.key, points: String(dots.length) } },
      d ? svg('path', { class: 'line', d, dataset: { series: l.key, points: String(dots.length) } }) : null, dots);
  });
  const last = lines.map((l) => {
    const p = l.points.filter((q) => q.y !== null).pop();
    return p ? l.label + ' ' + chart.value(p.y) : l.label + ' no data';
  }).join(', ');
  plot.replaceChildren(svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width, height, role: 'img', 'aria-labelledby': 'chart-' + chart.id + '-title chart-' + chart.id + '-desc' },
    title, svg('desc', { id: 'chart-' + chart.id + '-desc' }, count + ' points; latest: ' + last + '.'),
    axes, drawn));
}

// ---- start ---------------------------------------------------------------------------------

$('pause').addEventListener('click', () => {
  state.paused = !state.paused;
  $('pause').setAttribute('aria-pressed', String(state.paused));
  $('pause').textContent = state.paused ? 'Resume updates' : 'Pause updates';
  if (state.paused) {
    clearTimeout(state.timer);
    $('updated').textContent = 'Updates paused';
  } else {
    refreshNow();
  }
});
window.addEventListener('hashchange', () => applyHash(true));
let resizeFrame = 0;
new ResizeObserver(() => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => { if (!$('fabric').hidden) renderCharts(); });
}).observe($('charts'));
renderConferences();
applyHash(false);
if (state.conferenceID === null) refreshNow();
`;
