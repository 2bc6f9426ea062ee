/** The stats charts: one inline SVG per metric, a point per stats batch. */
import type { SeriesPoint } from '../../storage/storage.js';
import { find, h, svg } from './dom.js';
import { formatBitrate, shortNumber, trim } from './format.js';

/** The metrics of a series point that a chart can draw. */
type Metric = Exclude<keyof SeriesPoint, 'batchID' | 'timestamp'>;

interface Chart {
  id: string;
  title: string;
  /** An axis label. */
  tick: (value: number) => string;
  /** A value in a tooltip and in the description. */
  value: (value: number) => string;
  /** Whole-number ticks on the y axis. */
  integer?: boolean;
  /** A dot for `series-a`, a square for `series-b`. */
  series: { key: Metric; label: string; cls: 'series-a' | 'series-b' }[];
}

export const CHARTS: readonly Chart[] = [
  {
    id: 'bitrate',
    title: 'Bitrate (bit/s)',
    tick: shortNumber,
    value: formatBitrate,
    series: [
      { key: 'bitrateInBps', label: 'in', cls: 'series-a' },
      { key: 'bitrateOutBps', label: 'out', cls: 'series-b' },
    ],
  },
  {
    id: 'packets-lost',
    title: 'Packets lost (cumulative)',
    tick: shortNumber,
    value: (v) => String(v),
    integer: true,
    series: [{ key: 'packetsLost', label: 'packets lost', cls: 'series-a' }],
  },
  {
    id: 'jitter',
    title: 'Jitter (ms)',
    tick: shortNumber,
    value: (v) => trim(v) + ' ms',
    series: [{ key: 'jitterMs', label: 'jitter', cls: 'series-a' }],
  },
  {
    id: 'rtt',
    title: 'Round-trip time (ms)',
    tick: shortNumber,
    value: (v) => trim(v) + ' ms',
    series: [{ key: 'rttMs', label: 'RTT', cls: 'series-a' }],
  },
];

/** About `count` round ticks (1, 2 or 5 times a power of ten) covering [min, max]. */
export function niceTicks(min: number, max: number, count: number, integer?: boolean): number[] {
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

/** The figures, once: a caption, a plot and a legend per chart. */
export function ensureFigures(holder: HTMLElement): void {
  if (holder.children.length > 0) return;
  holder.append(
    ...CHARTS.map((chart) =>
      h(
        'figure',
        { class: 'chart', dataset: { chart: chart.id }, 'aria-labelledby': 'chart-' + chart.id + '-caption' },
        h('figcaption', { id: 'chart-' + chart.id + '-caption' }, chart.title),
        h('div', { class: 'plot' }),
        h('ul', { class: 'legend' }),
      ),
    ),
  );
}

interface Point {
  /** Seconds since `origin`. */
  x: number;
  y: number | null;
  batchID: number;
}

const drawn = (p: Point): p is Point & { y: number } => p.y !== null;

/** Draws `chart` from `series` in its figure, x in seconds since `origin`, on [xMin, xMax]. */
export function drawChart(figure: HTMLElement, chart: Chart, series: readonly SeriesPoint[], origin: number, xMin: number, xMax: number): void {
  const plot = find(figure, '.plot', HTMLElement);
  const width = Math.max(240, Math.floor(plot.clientWidth || 320));
  const height = 200;
  const lines = chart.series.map((s) => ({
    ...s,
    points: series
      .map((p): Point => ({ x: (p.timestamp - origin) / 1000, y: p[s.key], batchID: p.batchID }))
      .map((p) => (typeof p.y === 'number' && Number.isFinite(p.y) ? p : { x: p.x, y: null, batchID: p.batchID })),
  }));
  const count = lines.reduce((n, l) => n + l.points.filter(drawn).length, 0);
  figure.dataset.points = String(count);
  figure.dataset.empty = String(count === 0);
  find(figure, '.legend', HTMLElement).replaceChildren(
    ...lines.map((l) => {
      const n = l.points.filter(drawn).length;
      return h('li', {}, h('span', { class: 'swatch ' + l.cls, 'aria-hidden': 'true' }), l.label + (n === 0 ? ' (no data)' : ''));
    }),
  );
  const title = svg('title', { id: 'chart-' + chart.id + '-title' }, chart.title);
  if (count === 0) {
    plot.replaceChildren(
      svg(
        'svg',
        { viewBox: '0 0 ' + width + ' ' + height, width, height, role: 'img', 'aria-labelledby': 'chart-' + chart.id + '-title', class: 'empty' },
        title,
        svg('rect', { x: 0.5, y: 0.5, width: width - 1, height: height - 1, fill: 'none', class: 'grid', rx: 4 }),
        svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', 'dominant-baseline': 'middle', class: 'empty-text' }, 'No points yet'),
      ),
    );
    return;
  }
  const values = lines.flatMap((l) => l.points.filter(drawn).map((p) => p.y));
  const yTicks = niceTicks(Math.min(0, ...values), Math.max(...values), 4, chart.integer);
  const yMin = yTicks[0]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const yLabels = yTicks.map(chart.tick);
  const left = 14 + 7.5 * Math.max(...yLabels.map((l) => l.length));
  const margin = { top: 10, right: 16, bottom: 40, left };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const xTicks = niceTicks(xMin, xMax, Math.max(2, Math.floor(innerW / 70))).filter((t) => t >= xMin - 1e-9 && t <= xMax + 1e-9);
  const sx = (x: number): number => margin.left + ((x - xMin) / (xMax - xMin)) * innerW;
  const sy = (y: number): number => margin.top + innerH - ((y - yMin) / (yMax - yMin)) * innerH;
  const f1 = (n: number): string => n.toFixed(1);
  const axes = svg(
    'g',
    { class: 'axes' },
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
    svg('text', { x: margin.left + innerW / 2, y: height - 4, 'text-anchor': 'middle', class: 'x-title' }, 'seconds since setup'),
  );
  const paths = lines.map((l) => {
    let d = '';
    let pen = false;
    const dots = [];
    for (const p of l.points) {
      if (!drawn(p)) {
        pen = false;
        continue;
      }
      d += (pen ? ' L' : d ? ' M' : 'M') + f1(sx(p.x)) + ' ' + f1(sy(p.y));
      pen = true;
      const tip = svg('title', {}, l.label + ' at ' + trim(p.x) + ' s: ' + chart.value(p.y));
      // A dot for the first series, a square for the second: both stay visible when they meet.
      dots.push(
        l.cls === 'series-b'
          ? svg('rect', { class: 'dot', x: f1(sx(p.x) - 4), y: f1(sy(p.y) - 4), width: 8, height: 8 }, tip)
          : svg('circle', { class: 'dot', cx: f1(sx(p.x)), cy: f1(sy(p.y)), r: 4 }, tip),
      );
    }
    return svg(
      'g',
      { class: l.cls, dataset: { series: l.key, points: String(dots.length) } },
      d ? svg('path', { class: 'line', d, dataset: { series: l.key, points: String(dots.length) } }) : null,
      dots,
    );
  });
  const last = lines
    .map((l) => {
      const p = l.points.filter(drawn).pop();
      return p ? l.label + ' ' + chart.value(p.y) : l.label + ' no data';
    })
    .join(', ');
  plot.replaceChildren(
    svg(
      'svg',
      {
        viewBox: '0 0 ' + width + ' ' + height,
        width,
        height,
        role: 'img',
        'aria-labelledby': 'chart-' + chart.id + '-title chart-' + chart.id + '-desc',
      },
      title,
      svg('desc', { id: 'chart-' + chart.id + '-desc' }, count + ' points; latest: ' + last + '.'),
      axes,
      paths,
    ),
  );
}
