// The end of the demo's report: each user's fabrics as the dashboard's conference page summarizes
// them, read from the collector's summary route (the same numbers, computed once, by the collector).
import type { ConferenceFabricSummary, FabricSummary, Spread } from '@shims/collector';

async function readSummary(collectorUrl: string, conferenceID: string): Promise<ConferenceFabricSummary> {
  const res = await fetch(`${collectorUrl}/api/conferences/${encodeURIComponent(conferenceID)}/summary`);
  if (!res.ok) throw new Error(`summary: HTTP ${res.status}`);
  return ((await res.json()) as { summary: ConferenceFabricSummary }).summary;
}

const kbit = (bps: number): string => (bps / 1000).toFixed(1);
const ms = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)}`;
const spread = (value: Spread, write: (n: number) => string): string =>
  value.median === null || value.worst === null ? '–' : `${write(value.median)} / ${write(value.worst)}`;

function columns(f: FabricSummary): string[] {
  const impaired = f.impaired.map((s) => `${(s.fromMs / 1000).toFixed(0)}–${(s.toMs / 1000).toFixed(0)} s ${s.causes.join('+')}`).join(', ');
  return [
    `→ ${f.remoteID ?? '?'}`,
    f.connectionID,
    f.setupDelayMs === null ? '–' : `${f.setupDelayMs.toFixed(0)} ms`,
    String(f.failures),
    f.points === 0 && !f.media ? 'data channel: no stats' : spread(f.bitrateInBps, kbit),
    spread(f.bitrateOutBps, kbit),
    f.packetsLost === null ? '–' : String(f.packetsLost),
    spread(f.jitterMs, ms),
    spread(f.rttMs, ms),
    f.points === 0 ? '–' : `${(f.impairedMs / 1000).toFixed(0)} s${impaired ? ` (${impaired})` : ''}`,
  ];
}

/** How long after its setup each audio fabric's first stats point came: what the call's length is set from (run.ts). */
async function firstPointDelays(collectorUrl: string, summary: ConferenceFabricSummary): Promise<string[]> {
  const base = `${collectorUrl}/api/conferences/${encodeURIComponent(summary.conferenceID)}/fabrics`;
  const get = async <T>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;
  const { fabrics } = await get<{ fabrics: { connectionID: string; ucID: string; setupAt: number | null }[] }>(base);
  const delays: string[] = [];
  for (const user of summary.users)
    for (const f of user.fabrics.filter((x) => x.media)) {
      const setupAt = fabrics.find((r) => r.connectionID === f.connectionID && r.ucID === f.ucID)?.setupAt;
      const { series } = await get<{ series: { timestamp: number }[] }>(
        `${base}/${encodeURIComponent(f.connectionID)}/stats?ucID=${encodeURIComponent(f.ucID)}`,
      );
      const first = series[0]?.timestamp;
      delays.push(`${user.userID}'s audio ${first === undefined || !setupAt ? 'none' : `${((first - setupAt) / 1000).toFixed(1)} s`}`);
    }
  return delays;
}

/** Prints the summary as one table per user; returns it for the checks. */
export async function printSummary(collectorUrl: string, conferenceID: string): Promise<ConferenceFabricSummary> {
  const summary = await readSummary(collectorUrl, conferenceID);
  const head = ['to', 'fabric', 'setup', 'failures', 'bitrate in kbit/s (median / worst)', 'out', 'lost', 'jitter ms', 'RTT ms', 'impaired'];
  console.log(`\nHow each user's call went (conference "${conferenceID}"; median / worst over the stats points, as on the dashboard):`);
  for (const user of summary.users) {
    const rows = [head, ...user.fabrics.map(columns)];
    const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log(`\n  ${user.userID}`);
    for (const r of rows)
      console.log(
        `    ${r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}`,
      );
  }
  console.log(`\n  callstats.js's first stats point, after setup: ${(await firstPointDelays(collectorUrl, summary)).join(', ')}`);
  return summary;
}
