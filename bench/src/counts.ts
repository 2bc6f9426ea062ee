import type { CollectorStorage } from './collector-deployment.ts';
import type { CollectorLoadCounts } from './collector-load.ts';
import type { OverheadCounts } from './overhead.ts';
import type { TapCostCounts } from './tap-cost.ts';

/** How much each benchmark does: `pnpm bench` (full) or `pnpm bench --quick` (tiny, for CI). */
export interface BenchCounts {
  overhead: OverheadCounts;
  coreLeaks: { cycles: number; samples: number; parallel: number };
  peerJsLeaks: { calls: number; samples: number };
  /** @shims/webrtc's global tap: local pairs (2 pcs a cycle), and its per-pc cost beside rtcstats's. */
  webrtcLeaks: { cycles: number; samples: number; parallel: number };
  tapCost: TapCostCounts;
  polling: { idleMs: number; monitoredMs: number; afterMs: number };
  collector: CollectorLoadCounts;
  /** The collector set-ups measured, in order, each with `collector`'s counts. */
  collectorStorages: CollectorStorage[];
  /** How long the PostgreSQL set-ups run (s): shorter than SQLite's soak in full mode. */
  postgresSeconds: number;
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
  webrtcLeaks: { cycles: 500, samples: 10, parallel: 4 },
  tapCost: { batches: 20, pcs: 40 },
  // callstats.js polls getStats every 5 s once ICE is connected: 16 s sees three polls.
  polling: { idleMs: 3_000, monitoredMs: 16_000, afterMs: 6_000 },
  // The goal of issue #22: 10,000 fabrics posting every 10 s (1,000 batches/s), held for a
  // 10-minute soak whose RSS is sampled every 10 s.
  collector: { fabrics: 10_000, intervalMs: 10_000, seconds: 600, fabricsPerUser: 2, sockets: 512, sampleMs: 10_000 },
  // The same load on one, then two, collectors on PostgreSQL: 2 minutes each (no second soak).
  collectorStorages: ['sqlite', 'postgres', 'postgres-x2'],
  postgresSeconds: 120,
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
  webrtcLeaks: { cycles: 20, samples: 2, parallel: 4 },
  tapCost: { batches: 2, pcs: 10 },
  polling: { idleMs: 500, monitoredMs: 6_500, afterMs: 1_000 },
  // 100 batches/s for 4 s: enough to count acknowledged against stored, never timed.
  collector: { fabrics: 200, intervalMs: 2_000, seconds: 4, fabricsPerUser: 2, sockets: 64, sampleMs: 1_000 },
  // SQLite, and of PostgreSQL only the two collectors behind the balancer for one interval
  // (cluster, shared database, token key, balancer and kill -9 all exercised; about 4 s more).
  // The one-collector PostgreSQL row and the two ÷ one ratio are in full mode and `--collector-only`.
  collectorStorages: ['sqlite', 'postgres-x2'],
  postgresSeconds: 2,
};
