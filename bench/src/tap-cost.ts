import { openBenchPage } from './browser.ts';
import { forceGc } from './cdp-probes.ts';
import { spread, type Spread } from './stats.ts';

export interface TapCostCounts {
  /** Batches per tap (each a bare batch beside a tapped one), and pcs per batch. */
  batches: number;
  pcs: number;
}

/** µs per pc built, offered and closed through the global constructor, beside the bare constructor. */
export interface TapCostResult {
  pcs: number;
  shims: { addedUs: Spread; bareUs: Spread; fabricsAdded: number; restoredEveryTime: boolean };
  rtcstats: { addedUs: Spread; bareUs: Spread; traced: number };
}

interface ShimsBatch {
  bareUs: number;
  tapUs: number;
  fabricsAdded: number;
  restored: boolean;
}
interface RtcstatsBatch {
  bareUs: number;
  rtcstatsUs: number;
  traced: number;
}

/**
 * The per-pc cost of a global tap: @shims/webrtc's monitorPeerConnections and rtcstats 5.2.0, each
 * timed in batches beside the page's own constructor (added = tapped − bare, per batch, the two in
 * alternating order). Chromium
 * refuses a 500th live pc: a forced GC between batches lets the closed ones go.
 */
export async function measureTapCost(counts: TapCostCounts): Promise<TapCostResult> {
  const page = await openBenchPage('tap-cost');
  try {
    const shims = { added: [] as number[], bare: [] as number[], fabricsAdded: 0, restored: true };
    const other = { added: [] as number[], bare: [] as number[], traced: 0 };
    // Batch -1 warms up each path unmeasured.
    for (let batch = -1; batch < counts.batches; batch++) {
      await forceGc(page.cdp);
      const result = await page.call<ShimsBatch>('shimsBatch', { pcs: counts.pcs, tapFirst: batch % 2 === 0 });
      shims.restored &&= result.restored;
      if (batch < 0) continue;
      shims.added.push(result.tapUs - result.bareUs);
      shims.bare.push(result.bareUs);
      shims.fabricsAdded += result.fabricsAdded;
    }
    for (let batch = -1; batch < counts.batches; batch++) {
      await forceGc(page.cdp);
      const result = await page.call<RtcstatsBatch>('rtcstatsBatch', { pcs: counts.pcs, tapFirst: batch % 2 === 0 });
      if (batch < 0) continue;
      other.added.push(result.rtcstatsUs - result.bareUs);
      other.bare.push(result.bareUs);
      other.traced += result.traced;
    }
    return {
      pcs: counts.batches * counts.pcs,
      shims: { addedUs: spread(shims.added), bareUs: spread(shims.bare), fabricsAdded: shims.fabricsAdded, restoredEveryTime: shims.restored },
      rtcstats: { addedUs: spread(other.added), bareUs: spread(other.bare), traced: other.traced },
    };
  } finally {
    await page.close();
  }
}
