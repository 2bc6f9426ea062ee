/**
 * What the query API answers, as JSON. The server builds its answers with these types and the
 * dashboard reads them with the same ones; types only (no Node import), so the dashboard's
 * browser code can share them.
 */
import type { ConferenceFabricSummary } from './fabric-summary.js';
import type { ConferenceSummary, EventRecord, FabricRecord, LogRecord, SeriesPoint, StatsBatchRecord } from './storage/storage.js';

/** `GET /api/conferences`: most recently created last; `more: true` when older ones are left. */
export interface ConferenceList {
  conferences: ConferenceSummary[];
  more?: true;
}

/** `GET /api/conferences/{conferenceID}/fabrics`. */
export interface FabricList {
  fabrics: FabricRecord[];
}

/** `GET /api/conferences/{conferenceID}/summary`: each user's fabrics, summarized (fabric-summary.ts). */
export interface ConferenceSummaryAnswer {
  summary: ConferenceFabricSummary;
}

/** The list routes (`?after=&limit=`), by the key their rows come under, and each one's row. */
export interface ListRows {
  /** `.../events` of a conference or of a fabric. */
  events: EventRecord;
  /** `.../fabrics/{connectionID}/stats`: one point per stats batch. */
  series: SeriesPoint;
  /** `.../fabrics/{connectionID}/batches`: the raw batches. */
  batches: StatsBatchRecord;
  /** `/api/logs`: what the library logged. */
  logs: LogRecord;
}

/**
 * A list answer (`K`: one of the keys): its rows in arrival order, bounded by rows and bytes;
 * `more: true` (present only then) says rows are left after the last one (ask again with
 * `?after=<its id>`).
 */
export type ListPage<K extends keyof ListRows> = { [P in K]: ListRows[K][] } & { more?: true };
