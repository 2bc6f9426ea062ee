/** How the dashboard writes times, durations and numbers. */
import { h } from './dom.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD hh:mm:ss`, local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A `<time>` for an epoch-ms timestamp, or `—` without one. */
export function timeElement(ms: number | null): HTMLTimeElement | string {
  return typeof ms === 'number' ? h('time', { datetime: new Date(ms).toISOString() }, formatDateTime(ms)) : '—';
}

/** Three significant digits, without trailing zeros. */
export function trim(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** Milliseconds, or `—` for what is not a number (absent, null, or not reported). */
export function formatMs(value: unknown): string {
  return typeof value === 'number' ? trim(value) + ' ms' : '—';
}

/** `+1.234 s`: an offset in seconds from an origin. */
export function formatOffset(ms: number): string {
  return (ms < 0 ? '−' : '+') + (Math.abs(ms) / 1000).toFixed(3) + ' s';
}

export function formatBitrate(bps: number): string {
  if (bps >= 1e6) return trim(bps / 1e6) + ' Mbit/s';
  if (bps >= 1e3) return trim(bps / 1e3) + ' kbit/s';
  return trim(bps) + ' bit/s';
}

/** An axis label: 1.5k, 2M, 3G. */
export function shortNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return trim(value / 1e9) + 'G';
  if (abs >= 1e6) return trim(value / 1e6) + 'M';
  if (abs >= 1e3) return trim(value / 1e3) + 'k';
  return trim(value);
}
