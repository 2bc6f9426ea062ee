import type { FabricStatsReport } from './contract/fabric-peer-connection.js';
import type { ShimLogger } from './logger.js';
import type { FabricHandle } from './monitor.js';
import { withDisposeSymbol } from './replace-method.js';
import { invalidArgument } from './validate.js';

/** What one sending stream showed while the check watched it. */
export interface ReceiverReportStream {
  kind: string;
  ssrc: number | undefined;
  /** Packets sent when the verdict was made. */
  packetsSent: number;
  /** Receiver reports the browser counted for the stream (`remote-inbound-rtp.reportsReceived`), where it counts them. */
  reportsReceived: number | undefined;
  /** From the last receiver report, when one arrived. */
  roundTripTime: number | undefined;
  fractionLost: number | undefined;
  receiverReports: 'present' | 'missing';
}

/**
 * `present`: every stream that sent media got receiver reports that kept arriving while the check
 * watched; `missing`: at least one got none (or they stopped), so the browser cannot measure its
 * round-trip time, loss or jitter as the remote side sees them.
 */
export interface ReceiverReportVerdict {
  receiverReports: 'present' | 'missing';
  streams: ReceiverReportStream[];
  /** How long media had been flowing when the verdict was made, ms. */
  observedMs: number;
}

export interface CheckReceiverReportsOptions {
  /** How long media must flow before the verdict, ms. Default 10,000. */
  afterMs?: number;
  /** How often the pcs' stats are read while a verdict is pending, ms. Default 2,000. */
  intervalMs?: number;
  /** Called once per fabric with its verdict. */
  onVerdict?(fabric: FabricHandle, verdict: ReceiverReportVerdict): void;
  /** Where "receiver reports missing" is said, once per fabric. Default `console.warn`. */
  logger?: ShimLogger;
}

/** What the check holds; `dispose()` stops it. */
export interface ReceiverReportCheck extends Disposable {
  /** The verdict for this fabric's pc, once made (kept while the fabric is active). */
  verdictFor(fabric: FabricHandle): ReceiverReportVerdict | undefined;
  dispose(): void;
}

interface StreamSample {
  kind: string;
  ssrc: number | undefined;
  packetsSent: number;
  remote:
    | { reportsReceived: number | undefined; roundTripTime: number | undefined; fractionLost: number | undefined; timestamp: number | undefined }
    | undefined;
}

/** How far a stream's reports had come at the first sample with media flowing. */
interface FirstReport {
  reportsReceived: number | undefined;
  timestamp: number | undefined;
}

interface Watch {
  /** When media was first seen flowing (ms, the check's clock). */
  flowingSince?: number;
  /** Each stream's receiver report at the first sample with media flowing (none yet: absent). */
  firstReports: Map<string, FirstReport>;
  verdict?: ReceiverReportVerdict;
  reading: boolean;
}

type StatsEntry = Record<string, unknown> & { type?: string; id?: string };

const numberOr = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The sending RTP streams of one stats report, each with the receiver report the browser holds for it. */
function sampleStreams(report: FabricStatsReport): Map<string, StreamSample> {
  const entries: StatsEntry[] = [];
  (report as { forEach(cb: (value: StatsEntry) => void): void }).forEach((value) => entries.push(value));
  const remotes = entries.filter((e) => e.type === 'remote-inbound-rtp');
  const streams = new Map<string, StreamSample>();
  for (const out of entries.filter((e) => e.type === 'outbound-rtp')) {
    const ssrc = numberOr(out.ssrc);
    // Chromium links them by localId; Firefox too, and both carry the SSRC.
    const remote = remotes.find((r) => r.localId === out.id) ?? remotes.find((r) => ssrc !== undefined && r.ssrc === ssrc);
    streams.set(String(out.id ?? ssrc), {
      kind: String(out.kind ?? out.mediaType ?? 'unknown'),
      ssrc,
      packetsSent: numberOr(out.packetsSent) ?? 0,
      remote: remote && {
        reportsReceived: numberOr(remote.reportsReceived),
        roundTripTime: numberOr(remote.roundTripTime),
        fractionLost: numberOr(remote.fractionLost),
        timestamp: numberOr(remote.timestamp),
      },
    });
  }
  return streams;
}

/**
 * The verdict on one stream: a receiver report is there, and more arrived while the check watched
 * (its count grew where the browser counts reports, else its timestamp moved), so a flow of
 * reports that stopped counts as missing.
 */
function streamVerdict(sample: StreamSample, first: FirstReport | undefined): ReceiverReportStream {
  const remote = sample.remote;
  const arrived =
    remote !== undefined && (remote.reportsReceived ?? 1) > 0 && (remote.roundTripTime !== undefined || remote.fractionLost !== undefined);
  const grew = (now: number | undefined, before: number | undefined): boolean => now === undefined || before === undefined || now > before;
  const advanced =
    first === undefined ||
    (remote?.reportsReceived !== undefined ? grew(remote.reportsReceived, first.reportsReceived) : grew(remote?.timestamp, first.timestamp));
  return {
    kind: sample.kind,
    ssrc: sample.ssrc,
    packetsSent: sample.packetsSent,
    reportsReceived: remote?.reportsReceived,
    roundTripTime: remote?.roundTripTime,
    fractionLost: remote?.fractionLost,
    receiverReports: arrived && advanced ? 'present' : 'missing',
  };
}

/**
 * Checks whether the remote side of each fabric sends RTCP receiver reports, the step of the
 * integration guide that SDK and media-server providers must meet for endpoints to measure
 * round-trip time, loss and jitter. Give it any shim's monitor (or anything with `fabrics()`): it
 * reads each active fabric's stats every `intervalMs` until media has flowed for `afterMs`, then
 * gives one verdict per fabric (`onVerdict`, `verdictFor`), says once through the logger when
 * reports are missing, and stops reading that pc. It holds nothing of a fabric that ended and
 * stops at `dispose()`.
 *
 * It cannot tell a server that sends reports with stale values from one that measures: it only
 * sees that reports arrive and are counted.
 */
export function checkReceiverReports(monitor: { fabrics(): FabricHandle[] }, options: CheckReceiverReportsOptions = {}): ReceiverReportCheck {
  const where = 'checkReceiverReports';
  if (typeof monitor?.fabrics !== 'function') throw invalidArgument(where, 'monitor', 'must be a shim monitor (with fabrics())', monitor);
  const afterMs = options.afterMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 2_000;
  if (!(afterMs >= 0)) throw invalidArgument(where, 'options.afterMs', 'must be a number of ms, 0 or more', options.afterMs);
  if (!(intervalMs > 0)) throw invalidArgument(where, 'options.intervalMs', 'must be a number of ms above 0', options.intervalMs);
  // Once per fabric (each gets one verdict), so no once-per-kind memory that would grow with them.
  const say = (message: string, detail: unknown): void => {
    const logger = options.logger ?? console;
    try {
      if (typeof logger === 'function') logger(`[@shims/core] ${message}`, detail);
      else logger.warn(`[@shims/core] ${message}`, detail);
    } catch {
      // The app's logger failed; the check goes on.
    }
  };
  const watches = new Map<FabricHandle, Watch>();
  const started = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;

  const decide = (fabric: FabricHandle, watch: Watch, streams: Map<string, StreamSample>, now: number): void => {
    const sending = [...streams].filter(([, s]) => s.packetsSent > 0);
    const verdicts = sending.map(([id, sample]) => streamVerdict(sample, watch.firstReports.get(id)));
    const verdict: ReceiverReportVerdict = {
      receiverReports: verdicts.every((v) => v.receiverReports === 'present') ? 'present' : 'missing',
      streams: verdicts,
      observedMs: now - (watch.flowingSince ?? now),
    };
    watch.verdict = verdict;
    if (verdict.receiverReports === 'missing') {
      const evidence = verdicts
        .filter((v) => v.receiverReports === 'missing')
        .map((v) => `${v.kind}: ${v.packetsSent} packets sent, ${v.reportsReceived ?? 0} reports`)
        .join('; ');
      say(
        `no RTCP receiver reports from ${fabric.remoteUserID} after ${Math.round(verdict.observedMs / 1000)} s of media (${evidence}): ` +
          'round-trip time, loss and jitter cannot be measured; the remote side or a middlebox does not terminate RTCP',
        verdict,
      );
    }
    try {
      options.onVerdict?.(fabric, verdict);
    } catch {
      // The app's callback must not stop the check of other fabrics.
    }
  };

  const read = async (fabric: FabricHandle, watch: Watch): Promise<void> => {
    watch.reading = true;
    try {
      const streams = sampleStreams(await fabric.pc.getStats());
      const now = Date.now() - started;
      if (!fabric.active || watch.verdict) return;
      const flowing = [...streams.values()].some((s) => s.packetsSent > 0);
      if (!flowing) return;
      if (watch.flowingSince === undefined) {
        watch.flowingSince = now;
        for (const [id, sample] of streams) {
          if (sample.remote) watch.firstReports.set(id, { reportsReceived: sample.remote.reportsReceived, timestamp: sample.remote.timestamp });
        }
      }
      if (now - watch.flowingSince >= afterMs) decide(fabric, watch, streams, now);
    } catch {
      // A pc that closed while its stats were read: it ends below.
    } finally {
      watch.reading = false;
    }
  };

  const tick = (): void => {
    const live = new Set(monitor.fabrics());
    for (const fabric of live) if (!watches.has(fabric)) watches.set(fabric, { firstReports: new Map(), reading: false });
    // Nothing is kept of a fabric that ended.
    for (const fabric of watches.keys()) if (!live.has(fabric) || !fabric.active) watches.delete(fabric);
    for (const [fabric, watch] of watches) if (!watch.verdict && !watch.reading) void read(fabric, watch);
  };

  timer = setInterval(tick, intervalMs);
  // In Node (tests, @roamhq/wrtc apps) the check alone must not keep the process running.
  (timer as { unref?: () => void }).unref?.();
  tick();
  const check = {
    verdictFor: (fabric: FabricHandle) => watches.get(fabric)?.verdict,
    dispose() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      watches.clear();
    },
  };
  return withDisposeSymbol(check as ReceiverReportCheck);
}
