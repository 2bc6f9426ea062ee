import type { TwilioStatsReport, TwilioTrackStats } from './twilio-types.js';

type Stats = RTCStats & Record<string, unknown>;

// Twilio standardizes the browser's stats into its own units: round-trip time and jitter in
// milliseconds, audio level as 0..32767 (Chrome's legacy scale). RTCStats use seconds and 0..1.
const seconds = (ms: number | null | undefined): number | undefined => (typeof ms === 'number' ? ms / 1000 : undefined);
const unitLevel = (level: number | null | undefined): number | undefined => (typeof level === 'number' ? level / 32767 : undefined);

/** Copies the fields that have a value: an RTCStats object never carries `null`. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

function codecStats(id: string, kind: string, timestamp: number, codec: string | null | undefined): Stats | undefined {
  if (typeof codec !== 'string' || codec === '') return undefined;
  return { id, type: 'codec', timestamp, mimeType: `${kind}/${codec}` };
}

function sent(report: number, kind: 'audio' | 'video', s: TwilioTrackStats, now: number): Stats[] {
  const timestamp = s.timestamp ?? now;
  const key = `${report}-${kind}-${s.ssrc ?? s.trackId ?? 'unknown'}`;
  const codec = codecStats(`twilio-codec-out-${key}`, kind, timestamp, s.codec);
  const outbound = {
    id: `twilio-outbound-${key}`,
    type: 'outbound-rtp',
    timestamp,
    ...defined({
      ssrc: s.ssrc === undefined ? undefined : Number(s.ssrc),
      kind,
      mediaType: kind,
      trackIdentifier: s.trackId,
      bytesSent: s.bytesSent,
      packetsSent: s.packetsSent,
      framesPerSecond: kind === 'video' ? s.frameRate : undefined,
      frameWidth: kind === 'video' ? s.dimensions?.width : undefined,
      frameHeight: kind === 'video' ? s.dimensions?.height : undefined,
      codecId: codec?.id,
    }),
  } as Stats;
  // What the remote side reported back about this stream (RTCP receiver reports).
  const remoteInbound = {
    id: `twilio-remote-inbound-${key}`,
    type: 'remote-inbound-rtp',
    timestamp,
    ...defined({
      ssrc: outbound.ssrc,
      kind,
      localId: outbound.id,
      packetsLost: s.packetsLost,
      jitter: seconds(s.jitter),
      roundTripTime: seconds(s.roundTripTime),
    }),
  } as Stats;
  return [outbound, remoteInbound, ...(codec ? [codec] : [])];
}

function received(report: number, kind: 'audio' | 'video', s: TwilioTrackStats, now: number): Stats[] {
  const timestamp = s.timestamp ?? now;
  const key = `${report}-${kind}-${s.ssrc ?? s.trackId ?? 'unknown'}`;
  const codec = codecStats(`twilio-codec-in-${key}`, kind, timestamp, s.codec);
  const inbound = {
    id: `twilio-inbound-${key}`,
    type: 'inbound-rtp',
    timestamp,
    ...defined({
      ssrc: s.ssrc === undefined ? undefined : Number(s.ssrc),
      kind,
      mediaType: kind,
      trackIdentifier: s.trackId,
      bytesReceived: s.bytesReceived,
      packetsReceived: s.packetsReceived,
      packetsLost: s.packetsLost,
      jitter: seconds(s.jitter),
      audioLevel: kind === 'audio' ? unitLevel(s.audioLevel) : undefined,
      framesPerSecond: kind === 'video' ? s.frameRate : undefined,
      frameWidth: kind === 'video' ? s.dimensions?.width : undefined,
      frameHeight: kind === 'video' ? s.dimensions?.height : undefined,
      codecId: codec?.id,
    }),
  } as Stats;
  return [inbound, ...(codec ? [codec] : [])];
}

/**
 * Turns `room.getStats()` into the RTCStats a monitoring client reads from a pc: per local track
 * an `outbound-rtp` (+ `remote-inbound-rtp` with loss, jitter, RTT), per remote track an
 * `inbound-rtp`, and their `codec`. Twilio's reports hold no transport or candidate stats.
 */
export function statsFromTwilioReports(reports: readonly TwilioStatsReport[], now: number = Date.now()): RTCStats[] {
  const result: RTCStats[] = [];
  reports.forEach((report, index) => {
    if (typeof report !== 'object' || report === null) return;
    for (const s of report.localAudioTrackStats ?? []) result.push(...sent(index, 'audio', s, now));
    for (const s of report.localVideoTrackStats ?? []) result.push(...sent(index, 'video', s, now));
    for (const s of report.remoteAudioTrackStats ?? []) result.push(...received(index, 'audio', s, now));
    for (const s of report.remoteVideoTrackStats ?? []) result.push(...received(index, 'video', s, now));
  });
  return result;
}

/** The SSRC Twilio reports for a remote track, by its publication's SID or its track id. */
export function ssrcOfRemoteTrack(
  reports: readonly TwilioStatsReport[],
  trackSid: string | undefined,
  trackId: string | undefined,
): string | undefined {
  for (const report of reports) {
    for (const s of [...(report?.remoteAudioTrackStats ?? []), ...(report?.remoteVideoTrackStats ?? [])]) {
      if (!s.ssrc) continue;
      if ((trackSid && s.trackSid === trackSid) || (trackId && s.trackId === trackId)) return String(s.ssrc);
    }
  }
  return undefined;
}
