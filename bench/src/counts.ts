import type { OverheadCounts } from './overhead.ts';

/** How much each benchmark does: `pnpm bench` (full) or `pnpm bench --quick` (tiny, for CI). */
export interface BenchCounts {
  overhead: OverheadCounts;
  coreLeaks: { cycles: number; samples: number; parallel: number };
  peerJsLeaks: { calls: number; samples: number };
  polling: { idleMs: number; monitoredMs: number; afterMs: number };
}

export const FULL: BenchCounts = {
  overhead: {
    instantBatches: 30,
    instantCalls: 100_000,
    realBatches: 12,
    realRounds: 6,
    registerBatches: 30,
    registerPcs: 40,
    registerInstantPcs: 20_000,
    checkedPairs: 10,
  },
  coreLeaks: { cycles: 1_000, samples: 10, parallel: 4 },
  peerJsLeaks: { calls: 100, samples: 5 },
  // callstats.js polls getStats every 5 s once ICE is connected: 16 s sees three polls.
  polling: { idleMs: 3_000, monitoredMs: 16_000, afterMs: 6_000 },
};

export const QUICK: BenchCounts = {
  overhead: {
    instantBatches: 5,
    instantCalls: 10_000,
    realBatches: 3,
    realRounds: 2,
    registerBatches: 5,
    registerPcs: 10,
    registerInstantPcs: 2_000,
    checkedPairs: 2,
  },
  coreLeaks: { cycles: 20, samples: 2, parallel: 4 },
  peerJsLeaks: { calls: 4, samples: 2 },
  polling: { idleMs: 500, monitoredMs: 6_500, afterMs: 1_000 },
};
