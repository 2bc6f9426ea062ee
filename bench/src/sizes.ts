import { existsSync } from 'node:fs';
import { anchors } from './anchors.ts';
import { bundleSize, type BundleSize } from './bundle-size.ts';
import { CORE, type ShimPackage } from './discover.ts';
import { OVER_BUDGET } from './over-budget.ts';

/** `@shims/core` plus any one vendor shim, min+gzip: 3 KB = 3,072 bytes. */
export const CORE_PLUS_VENDOR_BUDGET = 3 * 1024;

export interface SizeRow extends BundleSize {
  package: string;
  kind: 'ours' | 'ours: core + vendor' | 'anchor';
  version?: string;
  /** What is left out of the bundle (peers, or core when a shim is measured alone). */
  external: string[];
  /** min+gzip budget in bytes, where one applies. */
  budget?: number;
  /** For a shim known to be over the budget (over-budget.ts): the ceiling it may not pass. */
  ceiling?: number;
  pass?: boolean;
  /** Why a row fails besides its size. */
  note?: string;
}

/**
 * One row per published browser package alone (its dependencies on other `@shims/*` packages
 * and its SDK external), one per `@shims/core` + vendor shim (only the SDK external: what an app
 * adds to its bundle), then the anchors from the registry bundled the same way.
 */
export async function measureSizes(packages: readonly ShimPackage[]): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (const pkg of packages) {
    if (!existsSync(pkg.entry)) throw new Error(`${pkg.name}: ${pkg.entry} is missing; build first (pnpm bench builds unless --no-build)`);
    const alone = pkg.vendor ? [...pkg.peers, CORE] : pkg.peers;
    rows.push({ package: pkg.name, kind: 'ours', external: alone, ...(await bundleSize({ file: pkg.entry }, alone)) });
  }
  for (const pkg of packages.filter((p) => p.vendor)) {
    const size = await bundleSize({ file: pkg.entry }, pkg.peers);
    const known = OVER_BUDGET[pkg.name];
    rows.push({
      package: `${CORE} + ${pkg.name}`,
      kind: 'ours: core + vendor',
      external: pkg.peers,
      ...size,
      budget: CORE_PLUS_VENDOR_BUDGET,
      ...(known ? { ceiling: known.ceiling } : {}),
      pass: size.gzip <= CORE_PLUS_VENDOR_BUDGET && size.exports > 0,
      ...sizeNote(size, known?.ceiling),
    });
  }
  for (const anchor of anchors()) {
    rows.push({
      package: anchor.name,
      kind: 'anchor',
      version: anchor.version,
      external: [],
      ...(await bundleSize({ specifier: anchor.name }, [], anchor.plugins)),
    });
  }
  return rows;
}

/** Why a core + vendor row fails the bench, if it does: see over-budget.ts for the ceilings. */
function sizeNote(size: BundleSize, ceiling: number | undefined): { note?: string } {
  if (size.exports === 0) return { note: 'entry exports nothing (unbuilt or empty dist)' };
  if (ceiling === undefined) return {};
  if (size.gzip > ceiling) return { note: `grew past its recorded ceiling of ${ceiling} B` };
  if (size.gzip <= CORE_PLUS_VENDOR_BUDGET) return { note: 'fits the budget again: remove its entry from bench/src/over-budget.ts' };
  return {};
}

/** Whether a core + vendor row fails the bench: over budget with no ceiling, past its ceiling, or a stale ceiling. */
export function sizeRowFails(row: SizeRow): boolean {
  if (row.pass === undefined) return false;
  if (row.note !== undefined) return true;
  return row.ceiling === undefined ? !row.pass : false;
}
