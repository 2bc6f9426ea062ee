/**
 * The storage contract of the collector. Small on purpose: the SQLite implementation is the
 * default, and a server database can implement the same methods. Every method is async so a
 * networked database fits; the server awaits each write before it answers success.
 */

/** pending: seen (state changes, user details) but not set up yet. */
export type FabricState = 'pending' | 'setup' | 'failed' | 'terminated';

export interface JoinUserInput {
  appID: string;
  conferenceID: string;
  /** The authenticated user (decoded), not the body's claim. */
  userID: string;
  deviceID: string | null;
  endpointInfo: unknown;
  /** The body's clock-synced timestamp (epoch ms). */
  timestamp: number;
  receivedAt: number;
  body: Record<string, unknown>;
}

export interface UserRecord {
  ucID: string;
  appID: string;
  conferenceID: string;
  userID: string;
  deviceID: string | null;
  endpointInfo: unknown;
  joinedAt: number;
}

export type JoinUserResult =
  | { ok: true; user: UserRecord; created: boolean }
  /** The conference ID is already used by another app. */
  | { ok: false; conflictingAppID: string };

export interface EventInput {
  /** The app the conference belongs to (conferences are per app). */
  appID: string;
  conferenceID: string;
  ucID: string;
  connectionID: string | null;
  remoteID: string | null;
  /** The URL suffix after `/events/` (e.g. `fabric/setup`): it decides the fabric's state. */
  suffix: string;
  eventType: string;
  timestamp: number;
  receivedAt: number;
  body: Record<string, unknown>;
}

export interface StatsInput {
  appID: string;
  conferenceID: string;
  ucID: string;
  connectionID: string | null;
  remoteID: string | null;
  kind: 'stats' | 'customstats';
  timestamp: number;
  receivedAt: number;
  /** The raw, flattened RTCStats report (or the custom stats), kept as sent. */
  stats: unknown[];
  /** The rest of the body (csio fields, battery, ...). */
  body: Record<string, unknown>;
  /**
   * The body's exact text as received. When given, a storage keeps this (compressed) instead of
   * `stats` and `body`, which must be what it parses to: the batch is then recoverable exactly.
   */
  raw?: string;
}

export interface LogInput {
  appID: string | null;
  userID: string | null;
  version: string | null;
  /** log, error, warn, restResponseError */
  eventType: string;
  data: unknown;
  receivedAt: number;
}

export interface UserSummary {
  ucID: string;
  userID: string;
  deviceID: string | null;
  endpointInfo: unknown;
  joinedAt: number;
}

export interface ConferenceSummary {
  conferenceID: string;
  appID: string;
  firstSeen: number;
  lastSeen: number;
  users: UserSummary[];
  fabricCount: number;
}

export interface FabricFailure {
  timestamp: number;
  reason: string | null;
  function: string | null;
  message: string | null;
}

export interface FabricRecord {
  appID?: string;
  conferenceID: string;
  connectionID: string;
  ucID: string;
  /** The local user of the pc. */
  localID: string;
  remoteID: string | null;
  state: FabricState;
  firstSeen: number;
  lastSeen: number;
  /** Timestamp of fabricSetup, and the delays it reported (ms). */
  setupAt: number | null;
  setupDelayMs: number | null;
  iceGatheringDelayMs: number | null;
  iceConnectivityDelayMs: number | null;
  terminatedAt: number | null;
  failures: FabricFailure[];
  /**
   * Whether the remote side sends RTCP receiver reports for what this pc sends: `present` once a
   * stats batch carried one (remote-inbound-rtp), `missing` when two or more batches showed RTP
   * sent and none carried one (the browser cannot measure round-trip time, loss or jitter as the
   * remote side sees them: a server or middlebox does not terminate RTCP), else `unknown`.
   */
  receiverReports: ReceiverReportsState;
}

export type ReceiverReportsState = 'present' | 'missing' | 'unknown';

export interface EventRecord {
  id: number;
  conferenceID: string;
  ucID: string;
  connectionID: string | null;
  eventType: string;
  suffix: string;
  timestamp: number;
  receivedAt: number;
  body: unknown;
}

/** A page of the conference list: `before` is the oldest conference of the previous page. */
export interface ConferencePage {
  limit?: number;
  before?: { appID: string; conferenceID: string };
}

/** What every list read takes besides its filters. */
export interface PageQuery {
  /** Only rows with a larger id (for polling). */
  afterID?: number;
  limit?: number;
  /** Stop adding rows once their stored bytes pass this (at least one row is returned). */
  maxBytes?: number;
}

export interface EventQuery {
  /** Only this app's conference; default: any app's conference with this ID. */
  appID?: string;
  conferenceID: string;
  connectionID?: string;
  ucID?: string;
  eventType?: string;
  /** Only events with a larger id (for polling). */
  afterID?: number;
  limit?: number;
  maxBytes?: number;
}

/** One derived point per stats batch that brought new counters. */
export interface SeriesPoint {
  batchID: number;
  timestamp: number;
  bitrateInBps: number | null;
  bitrateOutBps: number | null;
  packetsLost: number | null;
  jitterMs: number | null;
  rttMs: number | null;
}

export interface SeriesQuery {
  appID?: string;
  conferenceID: string;
  connectionID: string;
  /** Only this user's fabric (two users may report the same connection ID). */
  ucID?: string;
  afterID?: number;
  limit?: number;
  maxBytes?: number;
}

export interface StatsBatchRecord {
  id: number;
  appID?: string;
  conferenceID: string;
  ucID: string;
  connectionID: string | null;
  kind: 'stats' | 'customstats';
  timestamp: number;
  receivedAt: number;
  stats: unknown[];
  body: unknown;
  /** The exact text callstats.js sent, when the storage kept it (StatsInput.raw). */
  raw?: string;
}

export interface LogRecord extends LogInput {
  id: number;
}

export interface CollectorStorage {
  /** Creates the conference and the user on first sight; returns the same ucID afterwards. */
  joinUser(input: JoinUserInput): Promise<JoinUserResult>;
  findUser(conferenceID: string, ucID: string): Promise<UserRecord | undefined>;
  /** Stores the event and updates the fabric it names (state, delays, failures). */
  addEvent(input: EventInput): Promise<number>;
  /** Stores the batch and, for `stats`, the derived series point of its fabric. */
  addStats(input: StatsInput): Promise<number>;
  addLog(input: LogInput): Promise<number>;
  /**
   * The newest `limit` (default 1000, at most 10000) conferences, most recently created last;
   * with `before`, the newest of those created before that one (the next page of older ones).
   */
  listConferences(options?: ConferencePage): Promise<ConferenceSummary[]>;
  /** Without `appID`: the oldest conference with this ID, of any app. */
  getConference(conferenceID: string, appID?: string): Promise<ConferenceSummary | undefined>;
  listFabrics(conferenceID: string, appID?: string): Promise<FabricRecord[]>;
  listEvents(query: EventQuery): Promise<EventRecord[]>;
  listSeries(query: SeriesQuery): Promise<SeriesPoint[]>;
  /** The raw batches of a fabric, both kinds, in arrival order. */
  listStatsBatches(query: SeriesQuery): Promise<StatsBatchRecord[]>;
  listLogs(options?: PageQuery): Promise<LogRecord[]>;
  /** Deletes what arrived before `receivedBefore` (epoch ms) and reclaims the space. Optional. */
  purge?(receivedBefore: number): Promise<{ deleted: number }>;
  /** A consistent copy to `path`, safe while the collector runs. Optional. */
  backup?(path: string): Promise<void>;
  /** Bytes the storage takes (database pages). Optional: /metrics and /readyz use it. */
  sizeBytes?(): number;
  /** Fabrics that are set up and not terminated. Optional: /metrics uses it. */
  liveFabrics?(): number;
  close(): Promise<void>;
}

/**
 * A write refused because the disk (or the configured size cap) is full: nothing of it was
 * stored. The server answers 507 with this message.
 */
export class StorageFullError extends Error {
  constructor(message = 'disk full: the write was not stored') {
    super(message);
    this.name = 'StorageFullError';
  }
}
