/**
 * What the dashboard tests read from the page. The in-page code is plain JavaScript in strings:
 * functions handed to page.evaluate would carry the test transform's helpers with them.
 */
import type { Harness } from '@shims/testkit';
import { expect } from 'vitest';
import type { SeriesPoint } from '../../src/index.js';

/** playwright-core's Page (this package reaches playwright only through @shims/testkit). */
export type Page = Harness['page'];

export interface ChartView {
  id: string;
  empty: boolean;
  emptyText: string | null;
  width: number;
  height: number;
  paths: { series: string; vertices: number; dots: number; coordinates: [number, number][] }[];
  yTicks: string[];
  xTicks: string[];
  xTitle: string | null;
  legend: string[];
}

const CHARTS_SCRIPT = String.raw`[...document.querySelectorAll('#charts figure')].map((figure) => {
  const svg = figure.querySelector('svg');
  const box = svg.viewBox.baseVal;
  const texts = (selector) => [...svg.querySelectorAll(selector)].map((t) => t.textContent);
  return {
    id: figure.getAttribute('data-chart'),
    empty: figure.getAttribute('data-empty') === 'true',
    emptyText: svg.querySelector('.empty-text') ? svg.querySelector('.empty-text').textContent : null,
    width: box.width,
    height: box.height,
    paths: [...svg.querySelectorAll('path.line')].map((path) => {
      const series = path.getAttribute('data-series');
      const coordinates = [...path.getAttribute('d').matchAll(/[ML]\s*(-?[\d.]+)\s+(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      return { series, vertices: coordinates.length, coordinates, dots: svg.querySelectorAll('g[data-series="' + series + '"] .dot').length };
    }),
    yTicks: texts('.y-tick'),
    xTicks: texts('.x-tick'),
    xTitle: svg.querySelector('.x-title') ? svg.querySelector('.x-title').textContent : null,
    legend: [...figure.querySelectorAll('.legend li')].map((li) => li.textContent),
  };
})`;

export function chartsOf(page: Page): Promise<ChartView[]> {
  return page.evaluate<ChartView[]>(CHARTS_SCRIPT);
}

export interface LayoutReport {
  problems: string[];
  scrollWidth: number;
  charts: { left: number; top: number; right: number; bottom: number; width: number; height: number }[];
}

/**
 * No sideways scrolling; every visible text inside the viewport and inside any box that clips
 * it, not on top of other text, with WCAG AA contrast against its background; SVG labels inside
 * their SVG; chart SVGs of a real size and apart.
 */
const LAYOUT_SCRIPT = String.raw`(() => {
  const problems = [];
  const vw = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > vw) problems.push('the page scrolls sideways: ' + scrollWidth + ' > ' + vw);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\s+/).join('.') : '');
  const hiddenOnPurpose = (el) => {
    if (el.closest('.skip-link')) return true;
    for (let a = el; a; a = a.parentElement) if (getComputedStyle(a).clipPath !== 'none') return true;
    return false;
  };
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const background = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const c = parse(getComputedStyle(a).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const clippers = (el) => {
    const list = [];
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (!(a instanceof SVGElement) && (cs.overflowX !== 'visible' || cs.overflowY !== 'visible')) list.push(a);
    }
    return list;
  };
  const textRects = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility({ visibilityProperty: true }) || hiddenOnPurpose(el)) continue;
    const cs = getComputedStyle(el);
    if (!(el instanceof SVGElement) && (cs.overflowX === 'hidden' || cs.overflowX === 'clip') && el.scrollWidth > el.clientWidth + 1) {
      problems.push(name(el) + ' clips its content: ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
    const texts = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (texts.length === 0 || el.closest('title, desc, style, script')) continue;
    const isSvg = el instanceof SVGElement;
    const fg = parse(isSvg ? cs.fill : cs.color);
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    if (fg) {
      const ratio = contrast(fg, background(el));
      if (ratio < (large ? 3 : 4.5)) problems.push(name(el) + ' "' + el.textContent.trim().slice(0, 40) + '" has contrast ' + ratio.toFixed(2));
    }
    const boxes = clippers(el).map((c) => c.getBoundingClientRect());
    for (const node of texts) {
      const range = document.createRange();
      range.selectNodeContents(node);
      // A Range gives no boxes inside SVG: there the text element's own box is the text's.
      for (const r of isSvg ? [el.getBoundingClientRect()] : range.getClientRects()) {
        if (r.width < 0.5 || r.height < 0.5) continue;
        const label = name(el) + ' "' + node.textContent.trim().slice(0, 40) + '"';
        if (r.left < -0.5 || r.right > vw + 0.5) problems.push(label + ' is outside the viewport: ' + Math.round(r.left) + '..' + Math.round(r.right));
        for (const b of boxes) {
          if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1) problems.push(label + ' is clipped by its container');
        }
        textRects.push({ label, el, r });
      }
    }
    if (isSvg && el.tagName === 'text') {
      const svg = el.ownerSVGElement;
      const vb = svg.viewBox.baseVal;
      const b = el.getBBox();
      if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
        problems.push('SVG label "' + el.textContent + '" is outside its chart');
      }
    }
  }
  for (let i = 0; i < textRects.length; i++) {
    for (let j = i + 1; j < textRects.length; j++) {
      const a = textRects[i], b = textRects[j];
      if (a.el === b.el) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 1 && h > 1) problems.push(a.label + ' overlaps ' + b.label);
    }
  }
  const charts = [...document.querySelectorAll('.chart svg')].map((s) => {
    const r = s.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  });
  for (let i = 0; i < charts.length; i++) {
    if (charts[i].width === 0 || charts[i].height === 0) problems.push('chart ' + i + ' has no size');
    for (let j = i + 1; j < charts.length; j++) {
      const a = charts[i], b = charts[j];
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0) problems.push('charts ' + i + ' and ' + j + ' overlap');
    }
  }
  return { problems, scrollWidth, charts };
})()`;

export function checkLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate<LayoutReport>(LAYOUT_SCRIPT);
}

/** Each chart: a path and a dot per non-null value of each series, or the empty state when none. */
export function expectChartsMatch(charts: ChartView[], series: SeriesPoint[]): void {
  const keys: Record<string, (keyof SeriesPoint)[]> = {
    bitrate: ['bitrateInBps', 'bitrateOutBps'],
    'packets-lost': ['packetsLost'],
    jitter: ['jitterMs'],
    rtt: ['rttMs'],
  };
  expect(charts.map((c) => c.id)).toEqual(Object.keys(keys));
  for (const chart of charts) {
    const expected = keys[chart.id]!.map((key) => ({ key, points: series.filter((p) => typeof p[key] === 'number').length }));
    const total = expected.reduce((n, e) => n + e.points, 0);
    expect(chart.empty, chart.id).toBe(total === 0);
    if (total === 0) {
      expect(chart.emptyText, chart.id).toBe('No points yet');
      expect(chart.paths, chart.id).toEqual([]);
      continue;
    }
    expect(chart.emptyText, chart.id).toBeNull();
    expect(chart.paths.map((p) => p.series).sort(), chart.id).toEqual(
      expected
        .filter((e) => e.points > 0)
        .map((e) => e.key)
        .sort(),
    );
    for (const { key, points } of expected.filter((e) => e.points > 0)) {
      const path = chart.paths.find((p) => p.series === key)!;
      expect(path.vertices, `${chart.id} ${key}`).toBe(points);
      expect(path.dots, `${chart.id} ${key}`).toBe(points);
      for (const [x, y] of path.coordinates) {
        expect(x, `${chart.id} ${key} x`).toBeGreaterThan(0);
        expect(x, `${chart.id} ${key} x`).toBeLessThan(chart.width);
        expect(y, `${chart.id} ${key} y`).toBeGreaterThan(0);
        expect(y, `${chart.id} ${key} y`).toBeLessThan(chart.height);
      }
    }
  }
}
