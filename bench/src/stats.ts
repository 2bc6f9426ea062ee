/** Median and spread of repeated batches: what the bench reports for every timing. */
export interface Spread {
  median: number;
  /** 25th and 75th percentiles. */
  p25: number;
  p75: number;
  min: number;
  max: number;
  n: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    n: sorted.length,
  };
}

/** Least-squares slope of y over x (bytes per cycle, for heap samples taken along a loop). */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/** The slope's standard error: how far apart two slopes must be before they are told apart. */
export function slopeStandardError(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 3) return Number.NaN;
  const b = slope(points);
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const a = my - b * mx;
  const residual = points.reduce((s, p) => s + (p.y - (a + b * p.x)) ** 2, 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return Math.sqrt(residual / (n - 2) / sxx);
}
