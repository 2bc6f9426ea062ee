import type { SizeRow } from './sizes.ts';

const escape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * Horizontal bars of min+gzip bytes on a log scale (the anchors are 1 to 100 KB and more), ours
 * (core + each vendor shim) first, then the anchors, with the 3 KB budget as a line.
 */
export function sizeChart(rows: readonly SizeRow[], budget: number): string {
  const shown = rows.filter((r) => r.kind !== 'ours' && r.gzip > 0);
  const labelWidth = 300;
  const plotWidth = 460;
  const barHeight = 18;
  const gap = 6;
  const top = 52;
  const height = top + shown.length * (barHeight + gap) + 30;
  const width = labelWidth + plotWidth + 90;
  const min = 512;
  const max = Math.max(...shown.map((r) => r.gzip), budget) * 1.2;
  const x = (value: number): number => labelWidth + (Math.log(Math.max(value, min) / min) / Math.log(max / min)) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="600">min+gzip bytes (log scale): @shims/core + one vendor shim, beside the alternatives</text>`,
  ];
  for (const tick of [1024, 3 * 1024, 10 * 1024, 30 * 1024, 100 * 1024, 300 * 1024].filter((t) => t < max)) {
    const tx = x(tick);
    parts.push(`<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${height - 24}" stroke="#ddd"/>`);
    parts.push(`<text x="${tx}" y="${height - 10}" text-anchor="middle" fill="#666">${tick / 1024} KB</text>`);
  }
  shown.forEach((row, i) => {
    const y = top + i * (barHeight + gap);
    const ours = row.kind !== 'anchor';
    const colour = !ours ? '#8a8f98' : row.pass === false ? '#d9534f' : '#2e7d32';
    const label = row.kind === 'anchor' ? `${row.package} ${row.version ?? ''}` : row.package.replace('@shims/core + ', 'core + ');
    parts.push(`<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${escape(label)}</text>`);
    parts.push(`<rect x="${labelWidth}" y="${y}" width="${Math.max(1, x(row.gzip) - labelWidth)}" height="${barHeight}" fill="${colour}"/>`);
    parts.push(`<text x="${x(row.gzip) + 4}" y="${y + 13}" fill="#333">${(row.gzip / 1024).toFixed(1)} KB</text>`);
  });
  const bx = x(budget);
  parts.push(`<line x1="${bx}" y1="${top - 6}" x2="${bx}" y2="${height - 24}" stroke="#d9534f" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${bx + 3}" y="${top - 8}" fill="#d9534f">budget ${(budget / 1024).toFixed(0)} KB</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
