/**
 * A table row as either driver reads it, and the records the storage answers with: one mapping
 * for SQLite and PostgreSQL, so that both answer every read with the same records.
 */
import type { EventRecord, FabricFailure, FabricRecord, FabricState, ReceiverReportsState, SeriesPoint, UserRecord } from './storage.js';

export type Row = Record<string, unknown>;

/** Bytes a row costs beyond its JSON text (ids, timestamps, page overhead), for the budgets. */
export const ROW_OVERHEAD = 128;
const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;

export const text = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
export const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
// node:sqlite answers a large integer as a bigint; pg answers bigint and COUNT(*) as strings (it
// keeps 64-bit integers exact). Every id and time here fits a double.
export const numOrNull = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v !== '' ? Number(v) : null;
export const num = (v: unknown): number => numOrNull(v) ?? 0;
export const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : null);
export const len = (v: unknown): number => (typeof v === 'string' ? v.length : 0);
export const limitOf = (limit: number | undefined): number => Math.min(Math.max(1, Math.floor(limit ?? DEFAULT_LIMIT)), MAX_LIMIT);

export function toUser(row: Row): UserRecord {
  return {
    ucID: text(row.uc_id),
    appID: text(row.app_id),
    conferenceID: text(row.conference_id),
    userID: text(row.user_id),
    deviceID: textOrNull(row.device_id),
    endpointInfo: json(row.endpoint_info),
    joinedAt: num(row.joined_at),
  };
}

/** Two batches with RTP sent and no report: one could have been read before the first report. */
function receiverReportsOf(sendingBatches: number, reportBatches: number): ReceiverReportsState {
  if (reportBatches > 0) return 'present';
  return sendingBatches >= 2 ? 'missing' : 'unknown';
}

export function toFabric(row: Row): FabricRecord {
  return {
    appID: text(row.app_id),
    conferenceID: text(row.conference_id),
    connectionID: text(row.connection_id),
    ucID: text(row.uc_id),
    localID: text(row.user_id),
    remoteID: textOrNull(row.remote_id),
    state: text(row.state) as FabricState,
    firstSeen: num(row.first_seen),
    lastSeen: num(row.last_seen),
    setupAt: numOrNull(row.setup_at),
    setupDelayMs: numOrNull(row.setup_delay_ms),
    iceGatheringDelayMs: numOrNull(row.ice_gathering_delay_ms),
    iceConnectivityDelayMs: numOrNull(row.ice_connectivity_delay_ms),
    terminatedAt: numOrNull(row.terminated_at),
    failures: json(row.failures) as FabricFailure[],
    receiverReports: receiverReportsOf(num(row.sending_batches), num(row.report_batches)),
  };
}

export function toEvent(row: Row): EventRecord {
  return {
    id: num(row.id),
    conferenceID: text(row.conference_id),
    ucID: text(row.uc_id),
    connectionID: textOrNull(row.connection_id),
    eventType: text(row.event_type),
    suffix: text(row.suffix),
    timestamp: num(row.timestamp),
    receivedAt: num(row.received_at),
    body: json(row.body),
  };
}

export function toPoint(row: Row): SeriesPoint {
  return {
    batchID: num(row.batch_id),
    timestamp: num(row.timestamp),
    bitrateInBps: numOrNull(row.bitrate_in_bps),
    bitrateOutBps: numOrNull(row.bitrate_out_bps),
    packetsLost: numOrNull(row.packets_lost),
    jitterMs: numOrNull(row.jitter_ms),
    rttMs: numOrNull(row.rtt_ms),
  };
}
