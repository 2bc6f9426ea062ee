/**
 * How each user's call went, fabric by fabric: setup time, failures, bitrate, loss, jitter, RTT and
 * how long the fabric was impaired, computed from what the storage already returns (the fabric
 * record and its series points). Pure and without Node imports: the query API serves it
 * (`GET /api/conferences/{id}/summary`) and the dashboard reads the same types.
 */
import type { ConferenceSummary, FabricRecord, FabricState, SeriesPoint } from './storage/storage.js';

/**
 * An interval between two stats points is impaired when packets were lost at this rate or more,
 * or its point shows jitter or RTT at these levels or above. 1 packet/s is 2% of a 50 packet/s
 * audio stream; 30 ms of jitter and 300 ms of RTT are where voice quality is commonly rated poor.
 */
export const IMPAIRMENT_THRESHOLDS = { lostPerSecond: 1, jitterMs: 30, rttMs: 300 } as const;

/** The middle value and the worst one (lowest bitrate, highest jitter or RTT); null without values. */
export interface Spread {
  median: number | null;
  worst: number | null;
}

export type ImpairmentCause = 'loss' | 'jitter' | 'rtt';

/** A stretch of consecutive impaired intervals, in ms since the fabric's setup. */
export interface ImpairedSpan {
  fromMs: number;
  toMs: number;
  causes: ImpairmentCause[];
}

export interface FabricSummary {
  connectionID: string;
  ucID: string;
  localID: string;
  remoteID: string | null;
  state: FabricState;
  /**
   * Whether the pc carried audio or video: callstats.js sent an SSRC map for it. A data-only pc
   * has none, and callstats.js takes no stats of it, so its figures stay empty.
   */
  media: boolean;
  setupDelayMs: number | null;
  failures: number;
  /** Stats points (one per stats batch with new counters). */
  points: number;
  bitrateInBps: Spread;
  bitrateOutBps: Spread;
  /** Packets lost over the call (the last cumulative count), null without a count. */
  packetsLost: number | null;
  jitterMs: Spread;
  rttMs: Spread;
  /** Total time of the impaired spans. */
  impairedMs: number;
  impaired: ImpairedSpan[];
}

export interface UserFabricSummaries {
  ucID: string;
  userID: string;
  fabrics: FabricSummary[];
}

/** `GET /api/conferences/{conferenceID}/summary`. */
export interface ConferenceFabricSummary {
  conferenceID: string;
  appID: string;
  thresholds: typeof IMPAIRMENT_THRESHOLDS;
  /** In the conference's user order; a fabric whose user is not listed gets one of its own. */
  users: UserFabricSummaries[];
}

/** What the summary of one fabric is made of, as the storage returns it. */
export interface FabricData {
  fabric: FabricRecord;
  series: readonly SeriesPoint[];
  /** The fabric has an `ssrcMap` event. */
  media: boolean;
}

function spread(values: readonly (number | null)[], worst: 'lowest' | 'highest'): Spread {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: null, worst: null };
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, worst: worst === 'lowest' ? sorted[0]! : sorted.at(-1)! };
}

/** Why the interval that ends at `point` is impaired (empty when it is not). */
function causesOf(point: SeriesPoint, lostBefore: number | null, seconds: number): ImpairmentCause[] {
  const causes: ImpairmentCause[] = [];
  // Cumulative counts start at 0 with the pc; a count that went down restarted.
  const lost = point.packetsLost === null ? 0 : Math.max(0, point.packetsLost - (lostBefore ?? 0));
  if (seconds > 0 && lost / seconds >= IMPAIRMENT_THRESHOLDS.lostPerSecond) causes.push('loss');
  if (point.jitterMs !== null && point.jitterMs >= IMPAIRMENT_THRESHOLDS.jitterMs) causes.push('jitter');
  if (point.rttMs !== null && point.rttMs >= IMPAIRMENT_THRESHOLDS.rttMs) causes.push('rtt');
  return causes;
}

/** The impaired spans: each point's interval reaches back to the point before it (the first one's, to setup). */
function impairedSpans(origin: number, series: readonly SeriesPoint[]): ImpairedSpan[] {
  const spans: ImpairedSpan[] = [];
  let from = origin;
  let lostBefore: number | null = null;
  for (const point of [...series].sort((a, b) => a.timestamp - b.timestamp)) {
    const causes = causesOf(point, lostBefore, (point.timestamp - from) / 1000);
    if (causes.length > 0) {
      const last = spans.at(-1);
      const fromMs = from - origin;
      if (last && last.toMs === fromMs) {
        last.toMs = point.timestamp - origin;
        last.causes = [...new Set([...last.causes, ...causes])];
      } else spans.push({ fromMs, toMs: point.timestamp - origin, causes });
    }
    from = point.timestamp;
    if (point.packetsLost !== null) lostBefore = point.packetsLost;
  }
  return spans;
}

export function summarizeFabric({ fabric, series, media }: FabricData): FabricSummary {
  const origin = fabric.setupAt ?? fabric.firstSeen;
  const impaired = impairedSpans(origin, series);
  const lastCount = series.filter((p) => p.packetsLost !== null).at(-1);
  return {
    connectionID: fabric.connectionID,
    ucID: fabric.ucID,
    localID: fabric.localID,
    remoteID: fabric.remoteID,
    state: fabric.state,
    media,
    setupDelayMs: fabric.setupDelayMs,
    failures: fabric.failures.length,
    points: series.length,
    bitrateInBps: spread(
      series.map((p) => p.bitrateInBps),
      'lowest',
    ),
    bitrateOutBps: spread(
      series.map((p) => p.bitrateOutBps),
      'lowest',
    ),
    packetsLost: lastCount?.packetsLost ?? null,
    jitterMs: spread(
      series.map((p) => p.jitterMs),
      'highest',
    ),
    rttMs: spread(
      series.map((p) => p.rttMs),
      'highest',
    ),
    impairedMs: impaired.reduce((total, span) => total + span.toMs - span.fromMs, 0),
    impaired,
  };
}

/** Every fabric's summary under its user, users in the conference's order. */
export function summarizeConference(conference: ConferenceSummary, fabrics: readonly FabricData[]): ConferenceFabricSummary {
  const users = new Map<string, UserFabricSummaries>(conference.users.map((u) => [u.ucID, { ucID: u.ucID, userID: u.userID, fabrics: [] }]));
  for (const data of fabrics) {
    const { ucID, localID } = data.fabric;
    if (!users.has(ucID)) users.set(ucID, { ucID, userID: localID, fabrics: [] });
    users.get(ucID)!.fabrics.push(summarizeFabric(data));
  }
  return { conferenceID: conference.conferenceID, appID: conference.appID, thresholds: IMPAIRMENT_THRESHOLDS, users: [...users.values()] };
}
