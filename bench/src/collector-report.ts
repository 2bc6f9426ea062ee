// The collector section of the report: this run beside the previous full run (results/latest.json,
// read before this run overwrites it), so a change in throughput, latency or bytes shows at once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './bench.ts';
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
  const r = results.collector;
  if (!r) return '_The collector load did not run: see the errors below._';
  const before = previous?.collector;
  const header = ['', `this run (${results.mode})`, before ? `previous full run (${previous?.startedAt})` : 'previous full run'];
  return `${markdownTable(
    header,
    rows.map(([name, cell]) => [name, cell(r), before ? cell(before) : '—']),
  )}

The built \`shims-collector\` in its own process (SQLite in a fresh folder, default limits) and the load generator in the bench's process, both on 127.0.0.1 on this machine. Each fabric posts the real callstats.js 3.73.16 stats batch recorded in \`packages/collector/test/callstats-requests.sample.json\`, its clock and byte counters moved on, once per interval, the fabrics spread evenly over it; a send leaves at its time whether or not earlier ones were answered, and its latency counts from that time (and, apart, from when it was handed to the connection pool: when the generator itself is starved of CPU, it sends late and the two differ). 503s by reason are those of the shedding episodes that ended before the kill. After the run the collector is killed with SIGKILL and every fabric's acknowledged batches are looked up in the database. CPU from /proc; storage is the growth of the database's pages in use (\`shims_collector_storage_bytes\`) per acknowledged batch, ×360 for a fabric posting every 10 s for an hour.`;
}
