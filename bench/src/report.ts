import type { BenchResults } from './bench.ts';
import { collectorSection } from './collector-report.ts';
import { bytes, markdownTable, round, withSpread } from './format.ts';
import type { LeakLoop } from './leaks.ts';
import { sizeRowFails, type SizeRow } from './sizes.ts';

function sizeResult(r: SizeRow): string {
  if (r.pass === undefined) return '—';
  if (sizeRowFails(r)) return `**FAIL**${r.note ? ` (${r.note})` : r.pass ? '' : ' (over budget)'}`;
  if (r.pass) return 'pass';
  return `**over budget** by ${bytes(r.gzip - r.budget!)}; known, held under its ceiling of ${bytes(r.ceiling!)}`;
}

function sizesSection(results: BenchResults): string {
  const rows = results.sizes;
  if (!rows) return '_Bundle sizes did not run: see the errors below._';
  return markdownTable(
    ['package', 'what', 'min', 'min+gzip', 'min+brotli', 'budget (min+gzip)', 'result'],
    rows.map((r) => [
      r.kind === 'anchor' ? `${r.package} ${r.version}` : r.package,
      r.kind === 'anchor'
        ? 'registry anchor'
        : r.kind === 'ours'
          ? `ours alone${r.external.length ? `, external: ${r.external.join(', ')}` : ''}`
          : `what an app adds${r.external.length ? ` (external: ${r.external.join(', ')})` : ' (no SDK)'}`,
      bytes(r.min),
      bytes(r.gzip),
      bytes(r.brotli),
      r.budget === undefined ? '—' : bytes(r.budget),
      sizeResult(r),
    ]),
  );
}

function overheadSection(results: BenchResults): string {
  const o = results.overhead;
  if (!o) return '_Per-call overhead did not run: see the errors below._';
  const table = markdownTable(
    ['method', 'added per call, pc-shaped object (ns)', 'bare call there (ns)', 'real pc: wrapped ÷ bare', 'real pc: bare call (µs)'],
    o.methods.map((m) => [m.method, withSpread(m.addedNs), withSpread(m.bareNs), withSpread(m.realRatio, 2), withSpread(m.realBareUs)]),
  );
  const r = o.registration;
  return `${table}

Median (25th … 75th percentile) over ${o.methods[0]?.addedNs.n ?? 0} batches for the pc-shaped object and ${o.methods[0]?.realRatio.n ?? 0} batches for real pcs; bare and wrapped alternate within each batch. Goal: ≤ 1,000 ns added per call; ratio within noise (its spread straddles 1).

Registering a pc (the constructor captured and \`addFabric\` as the pc is built, as @shims/peerjs and @shims/janus do), against a bare \`new RTCPeerConnection()\`: ${withSpread(r.addedUs, 1, ' µs')} added per pc (building one takes ${withSpread(r.bareUs, 0, ' µs')}); around a pc-shaped constructor that costs nothing, the shim's part alone: **${withSpread(r.addedNsPcShaped, 0, ' ns')}** per pc. Events before registration: **${r.eventsBeforeRegistration}** on ${r.pcsChecked} pcs that then negotiated and connected (${r.eventsAfterRegistration} events seen after it).`;
}

const kib = (n: number): string => `${round(n / 1024, 1)} KB`;

function loopRow(scenario: string, loop: LeakLoop): string[] {
  const listeners = (p: LeakLoop['after']): string =>
    `${p.listeners.onWindow + p.listeners.onDocument + p.listeners.onMediaDevices}${p.listeners.onPeerConnections ? ` + ${p.listeners.onPeerConnections} on pcs` : ''}`;
  return [
    scenario,
    loop.withShim ? 'with shim' : 'without',
    String(loop.cycles),
    kib(loop.before.usedHeap),
    kib(loop.after.usedHeap),
    `${round(loop.slopeBytesPerCycle, 1)} ± ${round(loop.slopeStandardError, 1)}`,
    `${loop.before.peerConnectionsHeldByPage} → ${loop.after.peerConnectionsHeldByPage} (${loop.after.livePeerConnections} in heap)`,
    `${listeners(loop.before)} → ${listeners(loop.after)}`,
    `${loop.before.liveTimers} → ${loop.after.liveTimers}`,
    loop.withShim ? `${loop.tally.fabricsAdded} / ${loop.tally.fabricsTerminated}` : '—',
  ];
}

function leaksSection(results: BenchResults): string {
  const leaks = results.leaks ?? [];
  if (leaks.length === 0) return '_Leak loops did not run: see the errors below._';
  const table = markdownTable(
    [
      'loop',
      'shim',
      'cycles',
      'heap before',
      'heap after',
      'slope (B/cycle ± SE)',
      'pcs held by the page',
      'listeners',
      'live timers',
      'fabrics added / terminated',
    ],
    leaks.flatMap((l) => [loopRow(l.scenario, l.bare), loopRow(l.scenario, l.shim)]),
  );
  const summary = leaks
    .map(
      (l) =>
        `- ${l.scenario}: retained with the shim: **${l.retained.peerConnections} pcs, ${l.retained.listeners} listeners, ${l.retained.timers} timers**; slope difference ${round(l.slopeDifference, 1)} B/cycle, ${l.slopeIndistinguishable ? 'within' : '**outside**'} two standard errors of the loop without the shim.`,
    )
    .join('\n');
  return `${table}

${summary}

Heap: JS heap in use after a forced GC (CDP \`HeapProfiler.collectGarbage\`, \`Runtime.getHeapUsage\`), sampled along the loop; slope by least squares. "pcs held by the page": \`RTCPeerConnection\`s a heap snapshot reaches from the page's JS; "in heap" counts also those only Chromium's own C++ handles still pin (a few closed pcs, with or without a shim). Listeners on \`window\`, \`document\` and \`navigator.mediaDevices\`, and "+ N on pcs" on the pcs still in the heap (CDP \`DOMDebugger.getEventListeners\`; those on a pc only Chromium pins are the SDK's, shown and counted as retained only if the page holds the pc); timers counted by instrumenting \`setTimeout\`/\`setInterval\` before any SDK or shim code runs.`;
}

function tapCostSection(results: BenchResults): string {
  const t = results.tapCost;
  if (!t) return '_The global tap per pc did not run: see the errors below._';
  return `${markdownTable(
    ['global tap', 'added per pc (µs)', 'bare pc (µs)', 'what it did'],
    [
      [
        '@shims/webrtc `monitorPeerConnections`',
        withSpread(t.shims.addedUs, 0),
        withSpread(t.shims.bareUs, 0),
        `${t.shims.fabricsAdded} fabrics for ${t.pcs} pcs`,
      ],
      [
        'rtcstats 5.2.0 (no getStats polling)',
        withSpread(t.rtcstats.addedUs, 0),
        withSpread(t.rtcstats.bareUs, 0),
        `${t.rtcstats.traced} trace calls`,
      ],
    ],
  )}

Each pc is built through the global constructor, gets a data channel, an offer set as its local description, and is closed; ${t.pcs} pcs per tap, in batches beside the page's own constructor (added = tapped − bare per batch, the two in alternating order), median (25th … 75th percentile). The tap registers a pc at that first \`setLocalDescription\` with a client that keeps nothing; rtcstats wraps the constructor and traces every call (it cannot be taken off, so it runs after).`;
}

function pollingSection(results: BenchResults): string {
  const p = results.fakePcPolling;
  if (!p) return '_Fake-pc polling did not run: see the errors below._';
  return markdownTable(
    [
      'callstats.js polls of the fake pc',
      'calls on the SDK stats source',
      'source calls per poll',
      'source calls with nobody asking',
      'source calls after fabricTerminated',
    ],
    [[String(p.clientPolls), String(p.sourceCalls), round(p.sourceCallsPerPoll, 2), String(p.idleSourceCalls), String(p.sourceCallsAfterTerminate)]],
  );
}

export function renderReport(results: BenchResults, failures: string[], previous?: BenchResults): string {
  const m = results.machine;
  return `## Bundle size

${sizesSection(results)}

## Per-call overhead (headless Chromium)

${overheadSection(results)}

## Memory and leaks

${leaksSection(results)}

## A global tap, per pc (headless Chromium)

${tapCostSection(results)}

## Fake peerconnection under callstats.js polling

${pollingSection(results)}

## Collector under load (callstats.js stats batches)

${collectorSection(results, previous)}

## Machine

${m.os}, ${m.cpu} × ${m.cores}, ${m.memoryGiB} GiB, load ${m.load} at start; Node ${m.node}; ${m.chromium}; esbuild ${m.esbuild}. Run ${results.startedAt}, ${results.mode} mode, ${results.durationSeconds} s.

## Checks

${failures.length === 0 ? 'All checks passed (size budgets, nothing retained, callstats contract, one source call per poll, no acknowledged batch lost).' : failures.map((f) => `- **FAIL** ${f}`).join('\n')}
${results.errors.length ? `\n### Errors\n\n${results.errors.map((e) => `- ${e.benchmark}:\n\n\`\`\`\n${e.message}\n\`\`\``).join('\n')}\n` : ''}`;
}
