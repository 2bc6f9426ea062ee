// What every reference app prints at the end: the fabrics the collector received for its
// conference, each with its setup delay, event timeline, stats batches and median bitrate, RTT,
// jitter and loss, read from @shims/collector's query API. The shapes below are the subset of the
// collector's records this report reads (the testkit cannot depend on the collector: a cycle).

/** A fabric as the collector's `/api/conferences/:id/fabrics` returns it (the fields read here). */
export interface ReportedFabric {
  connectionID: string;
  localID: string;
  remoteID: string | null;
  state: string;
  setupAt: number | null;
  setupDelayMs: number | null;
}

interface ReportedEvent {
  eventType: string;
  timestamp: number;
}

interface ReportedPoint {
  bitrateInBps: number | null;
  bitrateOutBps: number | null;
  packetsLost: number | null;
  jitterMs: number | null;
  rttMs: number | null;
}

export interface CollectorReport {
  fabrics: ReportedFabric[];
  /** Stats batches over every fabric. */
  batchesTotal: number;
  /** Every event type that arrived, over every fabric. */
  eventTypes: ReadonlySet<string>;
  /** The highest outgoing bitrate of any stats point, over every fabric (0 when none sent). */
  maxBitrateOutBps: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function queryApi(collectorUrl: string) {
  return async <T>(path: string): Promise<T> => (await fetch(`${collectorUrl}/api/${path}`)).json() as Promise<T>;
}

/**
 * Waits (up to 30 s) until the conference has at least `count` fabrics, all terminated:
 * callstats.js sends its queue one event every 200 ms, so the last ones arrive after hang-up.
 */
export async function waitForTerminatedFabrics(collectorUrl: string, conferenceID: string, count: number): Promise<ReportedFabric[]> {
  const api = queryApi(collectorUrl);
  let fabrics: ReportedFabric[] = [];
  for (let i = 0; i < 60; i++) {
    fabrics = (await api<{ fabrics?: ReportedFabric[] }>(`conferences/${encodeURIComponent(conferenceID)}/fabrics`)).fabrics ?? [];
    if (fabrics.length >= count && fabrics.every((f) => f.state === 'terminated')) break;
    await sleep(500);
  }
  return fabrics;
}

const median = (list: number[]): string => (list.length ? [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!.toFixed(1) : '–');

/** Prints each fabric's timeline and stats, and returns what a `--check` asserts on. */
export async function printCollectorReport(collectorUrl: string, conferenceID: string, fabrics: readonly ReportedFabric[]): Promise<CollectorReport> {
  const api = queryApi(collectorUrl);
  const conference = encodeURIComponent(conferenceID);
  const eventTypes = new Set<string>();
  let batchesTotal = 0;
  let maxBitrateOutBps = 0;
  console.log(`\nWhat the collector received for conference "${conferenceID}": ${fabrics.length} fabric(s)`);
  for (const fabric of fabrics) {
    const path = `conferences/${conference}/fabrics/${encodeURIComponent(fabric.connectionID)}`;
    const { events = [] } = await api<{ events?: ReportedEvent[] }>(`${path}/events`);
    const { series: points = [] } = await api<{ series?: ReportedPoint[] }>(`${path}/stats`);
    const { batches = [] } = await api<{ batches?: unknown[] }>(`${path}/batches`);
    batchesTotal += batches.length;
    for (const e of events) eventTypes.add(e.eventType);

    console.log(
      `\n  fabric ${fabric.connectionID}: ${fabric.localID} → ${fabric.remoteID}, ${fabric.state}, set up in ${fabric.setupDelayMs?.toFixed(0) ?? '?'} ms`,
    );
    const start = events[0]?.timestamp ?? 0;
    const stateChanges = events.filter((e) => e.eventType.includes('StateChange')).length;
    const timeline = events
      .filter((e) => !e.eventType.includes('StateChange'))
      .map((e) => `+${((e.timestamp - start) / 1000).toFixed(1)}s ${e.eventType}`);
    console.log(`    timeline: ${timeline.join(', ')} (+${stateChanges} state changes)`);
    const values = (pick: (p: ReportedPoint) => number | null) => points.map(pick).filter((v): v is number => v !== null);
    maxBitrateOutBps = Math.max(maxBitrateOutBps, ...values((p) => p.bitrateOutBps));
    console.log(
      `    stats: ${batches.length} batches; median in ${median(values((p) => p.bitrateInBps && p.bitrateInBps / 1000))} kbit/s, ` +
        `out ${median(values((p) => p.bitrateOutBps && p.bitrateOutBps / 1000))} kbit/s, RTT ${median(values((p) => p.rttMs))} ms, ` +
        `jitter ${median(values((p) => p.jitterMs))} ms, packets lost ${Math.max(0, ...values((p) => p.packetsLost))}`,
    );
  }
  return { fabrics: [...fabrics], batchesTotal, eventTypes, maxBitrateOutBps };
}
