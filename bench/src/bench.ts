import { measureCollectorLoad, type CollectorLoadResult } from './collector-load.ts';
import { type BenchCounts } from './counts.ts';
import { discoverShimPackages } from './discover.ts';
import { measureFakePcPolling, type FakePcPolling } from './fake-pc.ts';
import { measureCoreLeaks, measurePeerJsLeaks, measureWebrtcTapLeaks, type LeakResult } from './leaks.ts';
import { describeMachine, type Machine } from './machine.ts';
import { measureOverhead, type OverheadResult } from './overhead.ts';
import { measureSizes, type SizeRow } from './sizes.ts';
import { measureTapCost, type TapCostResult } from './tap-cost.ts';

export interface BenchResults {
  mode: 'full' | 'quick';
  command: string;
  startedAt: string;
  durationSeconds: number;
  machine: Machine;
  counts: BenchCounts;
  sizes?: SizeRow[];
  overhead?: OverheadResult;
  leaks?: LeakResult[];
  fakePcPolling?: FakePcPolling;
  tapCost?: TapCostResult;
  /** One run per collector set-up measured (`counts.collectorStorages`), in that order. */
  collector?: CollectorLoadResult[];
  /** A benchmark that could not run: its error, so the table shows a failure instead of a gap. */
  errors: { benchmark: string; message: string }[];
}

const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

/** Runs every benchmark in turn: sizes in Node, then one Chromium page per browser benchmark. */
export async function runBench(mode: 'full' | 'quick', counts: BenchCounts, command: string, only?: 'collector'): Promise<BenchResults> {
  const started = Date.now();
  const results: BenchResults = {
    mode,
    command,
    startedAt: new Date(started).toISOString(),
    durationSeconds: 0,
    machine: describeMachine(),
    counts,
    errors: [],
  };
  const step = async (benchmark: string, run: () => Promise<void>): Promise<void> => {
    const t = Date.now();
    log(`${benchmark}…`);
    try {
      await run();
      log(`${benchmark}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.errors.push({ benchmark, message });
      log(`${benchmark} failed: ${message}`);
    }
  };
  // Each collector set-up in turn, on a machine the others left alone (never two at once).
  const collectorLoad = async (): Promise<void> => {
    results.collector = [];
    for (const storage of counts.collectorStorages) {
      const seconds = storage === 'sqlite' ? counts.collector.seconds : counts.postgresSeconds;
      await step(
        `collector load (${storage})`,
        async () => void results.collector!.push(await measureCollectorLoad({ ...counts.collector, seconds }, storage)),
      );
    }
  };
  if (only === 'collector') {
    await collectorLoad();
    results.durationSeconds = Math.round((Date.now() - started) / 100) / 10;
    return results;
  }
  await step('bundle sizes', async () => void (results.sizes = await measureSizes(discoverShimPackages())));
  await step('per-call overhead', async () => void (results.overhead = await measureOverhead(counts.overhead)));
  results.leaks = [];
  await step('leaks: @shims/core', async () => void results.leaks!.push(await measureCoreLeaks(counts.coreLeaks)));
  await step('leaks: @shims/peerjs', async () => void results.leaks!.push(await measurePeerJsLeaks(counts.peerJsLeaks)));
  await step('leaks: @shims/webrtc', async () => void results.leaks!.push(await measureWebrtcTapLeaks(counts.webrtcLeaks)));
  await step('global tap per pc', async () => void (results.tapCost = await measureTapCost(counts.tapCost)));
  await step('fake-pc polling', async () => void (results.fakePcPolling = await measureFakePcPolling(counts.polling)));
  await collectorLoad();
  results.durationSeconds = Math.round((Date.now() - started) / 100) / 10;
  return results;
}
