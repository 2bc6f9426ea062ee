import type { Spread } from './stats.ts';

export const bytes = (n: number): string => (n >= 10_240 ? `${(n / 1024).toFixed(1)} KB` : `${n.toLocaleString('en-US')} B`);

export const round = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

/** "median (p25 … p75)" */
export const withSpread = (s: Spread, digits = 0, unit = ''): string =>
  s.n === 0 ? 'n/a' : `${round(s.median, digits)}${unit} (${round(s.p25, digits)} … ${round(s.p75, digits)})`;

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
