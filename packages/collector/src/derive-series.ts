import type { SeriesPoint } from './storage/storage.js';

/** The few fields of an RTCStats entry the series needs; everything else is kept raw. */
interface StatsEntry {
  type?: unknown;
  id?: unknown;
  timestamp?: unknown;
  [key: string]: unknown;
}

/** Per-stream byte counters and the quality figures of one stats batch. */
export interface StatsSummary {
  /** The report's own time (browser clock): two batches with the same time are one snapshot. */
  reportTimestamp: number | null;
  inbound: Map<string, number>;
  outbound: Map<string, number>;
  packetsLost: number | null;
  jitterMs: number | null;
  rttMs: number | null;
  /** RTP packets sent, over every outbound-rtp stream. */
  packetsSent: number;
  /** remote-inbound-rtp entries with a round-trip time or fraction lost: RTCP receiver reports arrived. */
  receiverReports: number;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function asEntries(stats: unknown[]): StatsEntry[] {
  return stats.filter((s): s is StatsEntry => typeof s === 'object' && s !== null);
}

/** RTT of the selected candidate pair, else the mean remote-inbound-rtp roundTripTime (s → ms). */
function rttMs(entries: StatsEntry[]): number | null {
  const pairs = new Map(entries.filter((e) => e.type === 'candidate-pair').map((e) => [e.id, e]));
  const selectedIds = entries
    .filter((e) => e.type === 'transport' && typeof e.selectedCandidatePairId === 'string')
    .map((e) => e.selectedCandidatePairId);
  const selected =
    selectedIds.map((id) => pairs.get(id)).find((p) => p && num(p.currentRoundTripTime) !== undefined) ??
    [...pairs.values()].find((p) => p.nominated === true && p.state === 'succeeded' && num(p.currentRoundTripTime) !== undefined);
  const pairRtt = selected ? num(selected.currentRoundTripTime) : undefined;
  if (pairRtt !== undefined) return pairRtt * 1000;
  const remote = entries
    .filter((e) => e.type === 'remote-inbound-rtp')
    .map((e) => num(e.roundTripTime))
    .filter((v) => v !== undefined);
  return remote.length ? (remote.reduce((a, b) => a + b, 0) / remote.length) * 1000 : null;
}

export function summarizeStats(stats: unknown[]): StatsSummary {
  const entries = asEntries(stats);
  const inbound = new Map<string, number>();
  const outbound = new Map<string, number>();
  let lost: number | null = null;
  let jitter: number | null = null;
  let reportTimestamp: number | null = null;
  let packetsSent = 0;
  let receiverReports = 0;
  for (const entry of entries) {
    if (entry.type === 'remote-inbound-rtp' && (num(entry.roundTripTime) !== undefined || num(entry.fractionLost) !== undefined)) receiverReports++;
    const ts = num(entry.timestamp);
    if (ts !== undefined && (reportTimestamp === null || ts > reportTimestamp)) reportTimestamp = ts;
    if (typeof entry.id !== 'string') continue;
    if (entry.type === 'inbound-rtp') {
      const bytes = num(entry.bytesReceived);
      if (bytes !== undefined) inbound.set(entry.id, bytes);
      const l = num(entry.packetsLost);
      if (l !== undefined) lost = (lost ?? 0) + l;
      const j = num(entry.jitter);
      if (j !== undefined) jitter = Math.max(jitter ?? 0, j * 1000);
    } else if (entry.type === 'outbound-rtp') {
      const bytes = num(entry.bytesSent);
      if (bytes !== undefined) outbound.set(entry.id, bytes);
      packetsSent += num(entry.packetsSent) ?? 0;
    }
  }
  return { reportTimestamp, inbound, outbound, packetsLost: lost, jitterMs: jitter, rttMs: rttMs(entries), packetsSent, receiverReports };
}

/** Bytes added since `previous`; a stream new in this batch (or whose counter restarted) counts from 0. */
function addedBytes(current: Map<string, number>, previous: Map<string, number> | undefined): number {
  let total = 0;
  for (const [id, bytes] of current) {
    const before = previous?.get(id);
    total += before === undefined || bytes < before ? bytes : bytes - before;
  }
  return total;
}

const bitrate = (bytes: number, seconds: number, streams: number): number | null =>
  streams === 0 || seconds <= 0 ? null : Math.round((bytes * 8) / seconds);

export interface DeriveInput {
  batchID: number;
  /** The batch's clock-synced timestamp. */
  timestamp: number;
  current: StatsSummary;
  /** The previous `stats` batch of the same fabric, if any. */
  previous: StatsSummary | undefined;
  /**
   * For the fabric's first batch: when its counters were last zero, on the batch's clock
   * (the fabricSetup time: no media flows before ICE connects). Without it the first
   * batch has no bitrate.
   */
  baselineTimestamp: number | null;
}

/**
 * One series point per batch. Bitrates come from byte deltas between consecutive batches
 * of the same fabric over the reports' own timestamps. callstats.js sometimes sends the
 * same cached report twice: a batch whose report time did not advance adds no point.
 */
export function deriveSeriesPoint(input: DeriveInput): SeriesPoint | undefined {
  const { current, previous } = input;
  let seconds: number;
  if (previous) {
    if (current.reportTimestamp === null || previous.reportTimestamp === null) seconds = 0;
    else if (current.reportTimestamp <= previous.reportTimestamp) return undefined;
    else seconds = (current.reportTimestamp - previous.reportTimestamp) / 1000;
  } else {
    seconds = input.baselineTimestamp === null ? 0 : (input.timestamp - input.baselineTimestamp) / 1000;
  }
  return {
    batchID: input.batchID,
    timestamp: input.timestamp,
    bitrateInBps: bitrate(addedBytes(current.inbound, previous?.inbound), seconds, current.inbound.size),
    bitrateOutBps: bitrate(addedBytes(current.outbound, previous?.outbound), seconds, current.outbound.size),
    packetsLost: current.packetsLost,
    jitterMs: current.jitterMs,
    rttMs: current.rttMs,
  };
}
