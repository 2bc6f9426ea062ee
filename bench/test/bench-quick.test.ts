// `pnpm bench --quick` as a test, so CI runs every benchmark on each change and the bench cannot
// rot: the budgets and the zero-retained counts are asserted here; timings only have to exist.
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench, type BenchResults } from '../src/bench.ts';
import type { CollectorStorage } from '../src/collector-deployment.ts';
import { QUICK } from '../src/counts.ts';
import { discoverShimPackages } from '../src/discover.ts';
import { OVER_BUDGET } from '../src/over-budget.ts';
import { CORE_PLUS_VENDOR_BUDGET } from '../src/sizes.ts';

const vendors = discoverShimPackages().filter((p) => p.vendor);
let results: BenchResults;

beforeAll(async () => {
  results = await runBench('quick', QUICK, 'vitest (bench --quick)');
});

it('every benchmark ran', () => {
  expect(results.errors.map((e) => `${e.benchmark}: ${e.message}`)).toEqual([]);
});

describe('bundle size: @shims/core + one vendor shim, min+gzip', () => {
  const sizeRow = (name: string) => {
    const row = results.sizes?.find((r) => r.package === `@shims/core + ${name}`);
    expect(row, `no size row for ${name}`).toBeDefined();
    expect(row!.exports, `${name}'s entry exports nothing`).toBeGreaterThan(0);
    return row!;
  };
  const withinBudget = vendors.map((v) => v.name).filter((name) => !OVER_BUDGET[name]);
  const overBudget = vendors.map((v) => v.name).filter((name) => OVER_BUDGET[name]);

  it.each(withinBudget)('%s fits 3 KB', (name) => {
    expect(sizeRow(name).gzip).toBeLessThanOrEqual(CORE_PLUS_VENDOR_BUDGET);
  });

  // The ratchet of over-budget.ts: visible by name, failing on growth and on a stale entry.
  it.each(overBudget.map((name) => [name, OVER_BUDGET[name]!.ceiling]))(
    '%s is over 3 KB (known: bench/src/over-budget.ts) and may not grow past %i B',
    (name, ceiling) => {
      const { gzip } = sizeRow(name);
      expect(gzip).toBeLessThanOrEqual(ceiling);
      expect(gzip, 'fits the budget again: remove its entry from over-budget.ts').toBeGreaterThan(CORE_PLUS_VENDOR_BUDGET);
    },
  );

  it('lists no over-budget entry for a package the bench does not measure', () => {
    expect(Object.keys(OVER_BUDGET).filter((name) => !vendors.some((v) => v.name === name))).toEqual([]);
  });

  it('measures every anchor from the registry beside ours', () => {
    const anchors = results.sizes?.filter((r) => r.kind === 'anchor') ?? [];
    expect(anchors.map((a) => `${a.package}@${a.version}`)).toEqual([
      'rtcstats@5.2.0',
      '@jitsi/rtcstats@9.7.1',
      '@peermetrics/webrtc-stats@5.9.0',
      '@observertc/client-monitor-js@4.0.3',
      '@testrtc/watchrtc-sdk@1.43.1',
      'callstats-js@3.73.16',
    ]);
    for (const anchor of anchors) expect(anchor.gzip, anchor.package).toBeGreaterThan(1_000);
  });
});

it('per-call overhead: every method measured both ways; no event before registration', () => {
  const overhead = results.overhead!;
  for (const m of overhead.methods) {
    expect(m.addedNs.n, m.method).toBe(QUICK.overhead.instantBatches);
    expect(Number.isFinite(m.addedNs.median), m.method).toBe(true);
    expect(m.realRatio.n, m.method).toBe(QUICK.overhead.realBatches);
    expect(m.realRatio.median, m.method).toBeGreaterThan(0);
  }
  expect(overhead.registration.addedUs.n).toBe(QUICK.overhead.registerBatches);
  expect(overhead.registration.addedNsPcShaped.n).toBe(QUICK.overhead.registerBatches);
  expect(overhead.registration.eventsBeforeRegistration).toBe(0);
  expect(overhead.registration.eventsAfterRegistration).toBeGreaterThan(0);
  expect(overhead.violations).toEqual([]);
});

describe('memory: nothing retained after the loops', () => {
  it.each(['@shims/core', '@shims/peerjs', '@shims/webrtc'])('%s', (shim) => {
    const leak = results.leaks?.find((l) => l.scenario.includes(shim));
    expect(leak, `no leak loop for ${shim}`).toBeDefined();
    expect(leak!.retained).toEqual({ peerConnections: 0, listeners: 0, timers: 0 });
    expect(leak!.shim.tally.violations).toEqual([]);
    expect(leak!.shim.tally.fabricsAdded).toBeGreaterThan(0);
    expect(leak!.shim.tally.fabricsTerminated).toBe(leak!.shim.tally.fabricsAdded);
    expect(leak!.shim.errors).toEqual([]);
  });
});

it("a global tap per pc: @shims/webrtc's adds each negotiated pc once and gives the constructor back; rtcstats measured on its own wrapper", () => {
  const tap = results.tapCost!;
  expect(tap.pcs).toBe(QUICK.tapCost.batches * QUICK.tapCost.pcs);
  expect(tap.shims.fabricsAdded).toBe(tap.pcs);
  expect(tap.shims.restoredEveryTime).toBe(true);
  expect(tap.shims.addedUs.n).toBe(QUICK.tapCost.batches);
  expect(tap.rtcstats.addedUs.n).toBe(QUICK.tapCost.batches);
  expect(tap.rtcstats.traced).toBeGreaterThan(0);
});

it('fake pc under callstats.js: one source call per poll, none unasked or after termination', () => {
  const polling = results.fakePcPolling!;
  expect(polling.clientPolls).toBeGreaterThan(0);
  expect(polling.sourceCalls).toBe(polling.clientPolls);
  expect(polling.idleSourceCalls).toBe(0);
  expect(polling.sourceCallsAfterTerminate).toBe(0);
  expect(polling.violations).toEqual([]);
});

describe('collector under load: every acknowledged batch is in the database after kill -9, every send answered', () => {
  const run = (storage: CollectorStorage) => {
    const load = results.collector?.find((r) => r.storage === storage);
    expect(load, `no collector run on ${storage}`).toBeDefined();
    return load!;
  };

  it.each(QUICK.collectorStorages)('%s', (storage) => {
    const load = run(storage);
    const seconds = storage === 'sqlite' ? QUICK.collector.seconds : QUICK.postgresSeconds;
    expect(load.sent).toBe(QUICK.collector.fabrics * Math.ceil((seconds * 1000) / QUICK.collector.intervalMs));
    expect(load.acknowledged).toBeGreaterThan(0);
    expect(load.lostAcknowledged).toBe(0);
    expect(load.stored).toBeGreaterThanOrEqual(load.acknowledged);
    expect(load.failed).toBe(0);
    expect(load.unsent).toBe(0);
    expect(load.otherStatus).toEqual({});
  });

  it('SQLite: a stored batch takes under half of its text', () => {
    // Compact storage, as a ratio (never a time).
    const load = run('sqlite');
    expect(load.storageBytesPerBatch).toBeLessThan(load.statsBytes / 2);
  });

  it('two collectors on PostgreSQL: the balancer gave each half of the requests', () => {
    const served = run('postgres-x2').servedPerCollector!;
    expect(served).toHaveLength(2);
    expect(Math.abs(served[0]! - served[1]!)).toBeLessThanOrEqual(1);
  });
});
