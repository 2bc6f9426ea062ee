import { openBenchPage, type BenchPage } from './browser.ts';
import { probe, type HeapProbe } from './cdp-probes.ts';
import { startPeerServer } from './peer-server.ts';
import { slope, slopeStandardError } from './stats.ts';

export interface LeakLoop {
  withShim: boolean;
  cycles: number;
  /** After warm-up cycles, before the measured ones. */
  before: HeapProbe;
  /** After the last cycle, the monitor (if any) still alive: what a long-lived app keeps. */
  after: HeapProbe;
  /** After the monitor's disposal (and, for PeerJS, the Peers' destruction). */
  afterDispose: HeapProbe;
  heapSamples: { cycle: number; usedHeap: number }[];
  slopeBytesPerCycle: number;
  slopeStandardError: number;
  tally: { fabricsAdded: number; fabricsTerminated: number; errorsReported: number; violations: string[] };
  errors: string[];
}

export interface LeakResult {
  scenario: string;
  bare: LeakLoop;
  shim: LeakLoop;
  /** With the shim: pcs held by the page, listeners and timers alive after the loop beyond those before it. */
  retained: { peerConnections: number; listeners: number; timers: number };
  /** Shim slope − bare slope, and whether it is within two combined standard errors. */
  slopeDifference: number;
  slopeIndistinguishable: boolean;
}

interface LoopDriver {
  start(page: BenchPage, withShim: boolean): Promise<void>;
  run(page: BenchPage, count: number): Promise<void>;
  end(page: BenchPage): Promise<{ tally: LeakLoop['tally']; errors?: string[] }>;
}

/**
 * Listeners the page can still reach: on window, document and mediaDevices, plus those on pcs the
 * page still holds. A closed pc pinned only by Chromium (see HeapProbe) keeps the listeners the SDK
 * put on it until Chromium lets it go, with or without a shim; they are shown, not counted.
 */
const reachableListeners = (p: HeapProbe): number =>
  (p.peerConnectionsHeldByPage > 0 ? p.listeners.onPeerConnections : 0) + p.listeners.onWindow + p.listeners.onDocument + p.listeners.onMediaDevices;

async function runLoop(page: BenchPage, driver: LoopDriver, withShim: boolean, cycles: number, samples: number, warmup: number): Promise<LeakLoop> {
  await driver.start(page, withShim);
  if (warmup > 0) await driver.run(page, warmup);
  const before = await probe(page.cdp);
  const heapSamples = [{ cycle: 0, usedHeap: before.usedHeap }];
  let done = 0;
  let after = before;
  for (let sample = 1; sample <= samples; sample++) {
    const target = Math.round((cycles * sample) / samples);
    await driver.run(page, target - done);
    done = target;
    after = await probe(page.cdp);
    heapSamples.push({ cycle: done, usedHeap: after.usedHeap });
  }
  const { tally, errors = [] } = await driver.end(page);
  const afterDispose = await probe(page.cdp);
  const points = heapSamples.map((s) => ({ x: s.cycle, y: s.usedHeap }));
  return {
    withShim,
    cycles: done,
    before,
    after,
    afterDispose,
    heapSamples,
    slopeBytesPerCycle: slope(points),
    slopeStandardError: slopeStandardError(points),
    tally,
    errors,
  };
}

/** The same loop without the shim, then with it, in one page. */
async function sideBySide(
  scenario: string,
  page: BenchPage,
  driver: LoopDriver,
  cycles: number,
  samples: number,
  warmup: number,
): Promise<LeakResult> {
  // A tenth of the loop each way, unmeasured, first: the page's own first-run growth (compiled
  // code, caches) would otherwise land on whichever loop runs first.
  for (const withShim of [false, true]) {
    await driver.start(page, withShim);
    await driver.run(page, Math.max(warmup, Math.round(cycles / 10)));
    await driver.end(page);
  }
  const bare = await runLoop(page, driver, false, cycles, samples, warmup);
  const shim = await runLoop(page, driver, true, cycles, samples, warmup);
  const difference = shim.slopeBytesPerCycle - bare.slopeBytesPerCycle;
  const noise = 2 * Math.hypot(shim.slopeStandardError, bare.slopeStandardError);
  return {
    scenario,
    bare,
    shim,
    retained: {
      peerConnections: Math.max(0, shim.after.peerConnectionsHeldByPage - shim.before.peerConnectionsHeldByPage),
      listeners: Math.max(0, reachableListeners(shim.after) - reachableListeners(shim.before)),
      timers: Math.max(0, shim.after.liveTimers - shim.before.liveTimers),
    },
    slopeDifference: difference,
    slopeIndistinguishable: Math.abs(difference) <= noise,
  };
}

interface PairLoopCounts {
  cycles: number;
  samples: number;
  parallel: number;
}

/** A page of local pc pairs (`startLoop`, `runCycles`, `endLoop`), `parallel` calls at a time. */
async function measurePairLeaks(pageName: string, scenario: string, options: PairLoopCounts): Promise<LeakResult> {
  const page = await openBenchPage(pageName);
  try {
    const driver: LoopDriver = {
      start: (p, withShim) => p.call('startLoop', { withShim }),
      run: async (p, count) => void (await p.call('runCycles', { count, parallel: options.parallel })),
      end: (p) => p.call('endLoop'),
    };
    return await sideBySide(scenario, page, driver, options.cycles, options.samples, options.parallel * 2);
  } finally {
    await page.close();
  }
}

export function measureCoreLeaks(options: PairLoopCounts): Promise<LeakResult> {
  return measurePairLeaks('leaks-core', `${options.cycles} set-up/hang-up cycles, local pc pair, @shims/core`, options);
}

export async function measurePeerJsLeaks(options: { calls: number; samples: number }): Promise<LeakResult> {
  const { port, server } = await startPeerServer();
  try {
    const page = await openBenchPage('leaks-peerjs', { config: { peerServerPort: port } });
    try {
      const driver: LoopDriver = {
        start: (p, withShim) => p.call('startLoop', { withShim }),
        run: async (p, count) => void (await p.call('runCalls', { count })),
        end: (p) => p.call('endLoop'),
      };
      return await sideBySide(`${options.calls} PeerJS calls against PeerServer, @shims/peerjs`, page, driver, options.calls, options.samples, 2);
    } finally {
      await page.close();
    }
  } finally {
    await server.stop();
  }
}

/** 2 × `cycles` pcs built through the global constructor, under @shims/webrtc's tap or without it. */
export function measureWebrtcTapLeaks(options: PairLoopCounts): Promise<LeakResult> {
  return measurePairLeaks(
    'leaks-webrtc',
    `${options.cycles * 2} pcs through the global constructor (local pairs), @shims/webrtc's monitorPeerConnections`,
    options,
  );
}
