// The collector section of the report: this run beside the previous full run (results/latest.json,
// read before this run overwrites it), so a change in throughput, latency or bytes shows at once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './bench.ts';
import { STORAGE_LABELS } from './collector-deployment.ts';
import type { CollectorLoadResult } from './collector-load.ts';
import { bytes, markdownTable, round } from './format.ts';
import { RESULTS_DIR } from './paths.ts';

/** The last full run's results, if there is one. */
export function previousResults(): BenchResults | undefined {
  const file = join(RESULTS_DIR, 'latest.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  } catch {
    return undefined;
  }
}

/**
 * The collector runs of a results file: one per set-up; a file from before there were several
 * holds one SQLite run as an object.
 */
function collectorRuns(results: BenchResults | undefined): CollectorLoadResult[] {
  const runs = results?.collector as CollectorLoadResult[] | CollectorLoadResult | undefined;
  if (runs === undefined) return [];
  return (Array.isArray(runs) ? runs : [runs]).map((r) => ({ ...r, storage: r.storage ?? 'sqlite' }));
}

const label = (r: CollectorLoadResult): string => STORAGE_LABELS[r.storage ?? 'sqlite'];

/** Two collectors' acknowledged rate ÷ one's, both on PostgreSQL, when the run has both. */
function twoOverOne(runs: CollectorLoadResult[]): number | undefined {
  const one = runs.find((r) => r.storage === 'postgres');
  const two = runs.find((r) => r.storage === 'postgres-x2');
  return one && two ? two.acknowledgedPerSecond / one.acknowledgedPerSecond : undefined;
}

/** One row per set-up: the figures to put side by side. */
function summaryRow(r: CollectorLoadResult, runs: CollectorLoadResult[], when: string): string[] {
  const ratio = r.storage === 'postgres-x2' ? twoOverOne(runs) : undefined;
  return [
    `${label(r)}, ${when}`,
    `${round(r.acknowledgedPerSecond)} of ${round(r.targetPerSecond)}${ratio === undefined ? '' : `; ×${round(ratio, 2)} one`}`,
    `${round(r.latencyMs.p50, 1)} / ${round(r.latencyMs.p99, 1)}`,
    `${r.shed} / ${r.failed} / ${r.unsent ?? 0}`,
    `**${r.lostAcknowledged}** of ${round(r.acknowledged)}`,
    `${round(r.cpuMsPerBatch, 2)} ms`,
  ];
}

const rows: [string, (r: CollectorLoadResult) => string][] = [
  [
    'fabrics, every',
    (r) =>
      `${round(r.counts.fabrics)}, ${round(r.counts.intervalMs / 1000)} s (${round(r.targetPerSecond)} batches/s) for ${round(r.counts.seconds)} s`,
  ],
  ['batch sent', (r) => `${r.statsEntries} RTCStats entries, ${bytes(r.statsBytes)}`],
  ['acknowledged / sent', (r) => `${round(r.acknowledged)} / ${round(r.sent)}`],
  ['acknowledged per second', (r) => round(r.acknowledgedPerSecond)],
  [
    'latency p50 / p99 / max (ms, from the scheduled send)',
    (r) => `${round(r.latencyMs.p50, 1)} / ${round(r.latencyMs.p99, 1)} / ${round(r.latencyMs.max)}`,
  ],
  [
    'latency p50 / p99 from the send (ms); generator late, p99 (ms)',
    (r) => (r.sentLatencyMs ? `${round(r.sentLatencyMs.p50, 1)} / ${round(r.sentLatencyMs.p99, 1)}; ${round(r.lateMsP99, 1)}` : '—'),
  ],
  [
    'shed (503, by reason) / other statuses / failed sends / not sent (backlog)',
    (r) => `${r.shed} ${JSON.stringify(r.shedReasons ?? {})} / ${JSON.stringify(r.otherStatus)} / ${r.failed} / ${r.unsent ?? 0}`,
  ],
  ['acknowledged, missing after kill -9', (r) => `**${r.lostAcknowledged}** (${round(r.stored)} stored)`],
  ['collector CPU per batch', (r) => `${round(r.cpuMsPerBatch, 2)} ms`],
  ['storage per batch / per fabric-hour', (r) => `${bytes(Math.round(r.storageBytesPerBatch))} / ${round(r.bytesPerFabricHour / 1e6, 2)} MB`],
  ['RSS over the run (MiB)', (r) => rssLine(r.rss)],
];

/** At most a dozen samples, evenly picked, first and last kept. */
function rssLine(rss: CollectorLoadResult['rss']): string {
  const step = Math.max(1, Math.ceil(rss.length / 12));
  const picked = rss.filter((_, i) => i % step === 0 || i === rss.length - 1);
  return picked.map((s) => `${s.second} s: ${round(s.mib)}`).join(', ');
}

export function collectorSection(results: BenchResults, previous: BenchResults | undefined): string {
  const runs = collectorRuns(results);
  if (runs.length === 0) return '_The collector load did not run: see the errors below._';
  const before = collectorRuns(previous);
  const columns = [...runs.map((r) => `${label(r)}, this run (${results.mode})`), ...before.map((r) => `${label(r)}, previous full run`)];
  const summary = markdownTable(
    [
      'set-up',
      'acknowledged/s of offered',
      'latency p50 / p99 (ms)',
      'shed / failed / not sent',
      'acknowledged, missing after kill -9',
      'CPU per batch',
    ],
    [...runs.map((r) => summaryRow(r, runs, 'this run')), ...before.map((r) => summaryRow(r, before, `previous full run, ${previous?.startedAt}`))],
  );
  const ratio = twoOverOne(runs);
  return `${summary}

${markdownTable(
  ['', ...columns],
  rows.map(([name, cell]) => [name, ...[...runs, ...before].map(cell)]),
)}

The built \`shims-collector\` in its own process (default limits) and the load generator in the bench's process, all on 127.0.0.1 on this machine. Set-ups: SQLite in a fresh folder; one collector with \`--database\` on a throw-away PostgreSQL 15 cluster (Debian's binaries, started by the bench on 127.0.0.1 and deleted after); two collectors on one database of such a cluster with one token key, behind a round-robin HTTP balancer in the bench's process (each request to the next collector, keep-alive to both). Each fabric posts the real callstats.js 3.73.16 stats batch recorded in \`packages/collector/test/callstats-requests.sample.json\`, its clock and byte counters moved on, once per interval, the fabrics spread evenly over it; a send leaves at its time whether or not earlier ones were answered, and its latency counts from that time (and, apart, from when it was handed to the connection pool: when the generator itself is starved of CPU, it sends late and the two differ). 503s by reason are those of the shedding episodes that ended before the kill. After the run every collector is killed with SIGKILL and every fabric's acknowledged batches are counted in the database (the SQLite file, or rows in PostgreSQL, which stays up). CPU from /proc, every collector process together (PostgreSQL's own processes not counted); storage is the growth of the database (\`shims_collector_storage_bytes\`: SQLite's pages in use, PostgreSQL's \`pg_database_size\`, refreshed every few seconds) per acknowledged batch, ×360 for a fabric posting every 10 s for an hour.

Two collectors ÷ one (acknowledged per second, both on PostgreSQL)${ratio === undefined ? ': not measured in this run' : `: **×${round(ratio, 2)}**`}. The load is open loop at a fixed offered rate, so the ratio exceeds 1 only when one collector falls short of that rate; and this machine has 2 cores, shared by the collectors, PostgreSQL, the balancer and the load generator, which bound it here, short of ×2: it says whether a second collector helps on this machine, not how the set-up scales on a larger one.`;
}
