import { checkReceiverReports, PEER_CONNECTION_FUNCTIONS, type CallstatsClient, type FabricHandle, type PeerConnectionFunction } from '@shims/core';
import { RecordingCallstats, type RecordedCall } from '../recording-callstats.ts';
import { nextSeq } from '../sequence.ts';
import type { ConformanceDriver, DriverCall } from './driver.ts';
import { installPeerConnectionTap, type InjectedFailure, type MediaFunction, type PeerConnectionTap, type TappedPeerConnection } from './pc-tap.ts';

/**
 * `late`: the call starts without the shim; once it is established the driver attaches the shim
 * (`DriverCall.attachShim`), as an app that creates its monitor mid-call does.
 * `fail:<fn>`: the next call of that pc function, or of `getUserMedia`, fails below the SDK.
 */
export type ConformanceCaseName = 'lifecycle' | 'dispose' | 'late' | `fail:${PeerConnectionFunction | MediaFunction}`;
export const CONFORMANCE_CASES: readonly ConformanceCaseName[] = [
  'lifecycle',
  'dispose',
  'late',
  ...PEER_CONNECTION_FUNCTIONS.map((fn) => `fail:${fn}` as const),
  'fail:getUserMedia',
];

export type ClientKind = 'recording' | 'callstats-js' | 'none';

/** Plain data sent back to the test: the pcs, the client calls and what the app saw. */
export interface CaseReport {
  caseName: ConformanceCaseName;
  clientKind: ClientKind;
  pcs: Array<{
    index: number;
    createdSeq: number;
    firstEvent: { type: string; seq: number } | null;
    everConnected: boolean;
    /** After dispose (dispose case) or at the end: instance patches and listeners left. */
    instancePatches: string[];
    listeners: number;
  }>;
  calls: Array<{ seq: number; method: string; pc: number | null; rest: unknown[]; status: unknown }>;
  violations: string[];
  established: boolean;
  appOutcome: unknown;
  appErrors: Array<{ name: string; message: string; isInjected: boolean }>;
  /** The armed failure: whether a call consumed it, and which pc (null for getUserMedia). */
  injected: { fn: string; consumed: boolean; consumedByPc: number | null } | null;
  disposeSeq: number | null;
  /** The `late` case: when the shim was attached (null in the run without it). */
  attachSeq: number | null;
  /**
   * With `receiverReportsAfterMs`: per pc of the call that sent media, whether the remote side's
   * RTCP receiver reports came back (core's `checkReceiverReports`); null otherwise.
   */
  receiverReports: Array<{ pc: number; receiverReports: 'present' | 'missing'; streams: string[] }> | null;
}

export interface RunCaseOptions {
  clientKind: ClientKind;
  /** Which of the page's exposed drivers runs the case; default `default`. */
  driver?: string;
  conferenceID: string;
  /** How long to let events settle after each step, in ms. */
  settleMs?: number;
  /** How long to keep an established call up before hanging up, in ms (e.g. for stats batches). */
  holdMs?: number;
  establishTimeoutMs?: number;
  /**
   * After the app saw a failure, how long the app's own steps may still run (`DriverCall.finished`)
   * before the case hangs up; a flow the failure stalled for good ends here. Default 3,000 ms:
   * on an idle machine PeerJS finishes its call about 250 ms after a failed addIceCandidate.
   */
  afterFailureMs?: number;
  /**
   * How long to wait for the armed failure to be used before going on; default 3,000 ms. Short for
   * a function the suite knows the SDK never calls (`neverCalled`): nothing will use it.
   */
  armedWaitMs?: number;
  /**
   * Check the call's RTCP receiver reports while it is held (`holdMs`): the verdict comes once media
   * flowed this long, for every pc that sends.
   */
  receiverReportsAfterMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = (): void => {
      if (condition()) resolve(true);
      else if (Date.now() - started > timeoutMs) resolve(false);
      else setTimeout(poll, 20);
    };
    poll();
  });
}

function describeError(error: unknown, injected: InjectedFailure | null): CaseReport['appErrors'][number] {
  const e = error as { name?: unknown; message?: unknown } | null;
  return {
    name: typeof e?.name === 'string' ? e.name : typeof error,
    message: typeof e?.message === 'string' ? e.message : String(error),
    isInjected: injected !== null && error === injected.error,
  };
}

/** A remote user ID with every run-specific name in it replaced by its role. */
function withRoles(userID: string, roles: Record<string, string>): string {
  return Object.entries(roles).reduce((id, [name, role]) => (name ? id.split(name).join(`<${role}>`) : id), userID);
}

function serializeCall(
  call: RecordedCall,
  tap: PeerConnectionTap,
  injected: InjectedFailure | null,
  roles: Record<string, string>,
): CaseReport['calls'][number] {
  const [first, ...rest] = call.args;
  const pc = first === null ? null : (tap.find(first)?.index ?? -1);
  return {
    seq: call.seq,
    method: call.method,
    pc,
    rest: rest.map((arg, i) => {
      if (call.method === 'addNewFabric' && i === 0 && typeof arg === 'string') return withRoles(arg, roles);
      if (arg instanceof Error || arg instanceof DOMException) return { error: describeError(arg, injected) };
      if (typeof arg === 'object' && arg !== null) return tap.find(arg) ? { pc: tap.find(arg)?.index } : '[object]';
      return arg;
    }),
    status: call.status,
  };
}

/**
 * The app's own step before the SDK's call failed (a driver whose app captures with getUserMedia
 * first, as PeerJS and simple-peer apps do): what the app saw is that error, and no call began.
 */
function callThatFailedToStart(error: unknown): DriverCall {
  const never = Promise.reject(error);
  never.catch(() => {});
  return {
    established: never,
    finished: Promise.resolve(),
    hangUp: () => {},
    disposeShim: () => {},
    attachShim: () => {},
    appOutcome: () => ({ startedCall: false }),
    appErrors: () => [error],
  };
}

/**
 * Runs one conformance case in the page and reports what happened. The assertions are made by
 * the test, in Node, on this report (see `describeConformance`).
 */
export async function runConformanceCase(
  driver: ConformanceDriver,
  caseName: ConformanceCaseName,
  options: RunCaseOptions,
  realClient?: () => CallstatsClient,
): Promise<CaseReport> {
  const settleMs = options.settleMs ?? 300;
  const tap = installPeerConnectionTap();
  const firstPc = tap.peerConnections.length;
  const recorder =
    options.clientKind === 'none'
      ? null
      : new RecordingCallstats(options.clientKind === 'callstats-js' && realClient ? { delegate: realClient() } : {});
  const callsBefore = recorder?.calls.length ?? 0;
  let injected: InjectedFailure | null = null;
  if (caseName === 'fail:getUserMedia') injected = tap.armMediaFailure('getUserMedia');
  else if (caseName.startsWith('fail:')) injected = tap.armFailure(caseName.slice(5) as PeerConnectionFunction);

  let call: DriverCall | undefined;
  let disposeSeq: number | null = null;
  let attachSeq: number | null = null;
  let receiverReports: CaseReport['receiverReports'] | undefined;
  let established: boolean;
  let leftovers: Map<RTCPeerConnection, { instancePatches: string[]; listeners: number }> | undefined;
  const snapshotLeftovers = () =>
    new Map(
      tap.peerConnections.slice(firstPc).map((t) => [t.pc, { instancePatches: tap.instancePatches(t.pc), listeners: tap.listenerCount(t.pc) }]),
    );

  try {
    const late = caseName === 'late';
    call = await Promise.resolve()
      .then(() => driver.startCall({ client: late ? null : recorder, conferenceID: options.conferenceID }))
      .catch(callThatFailedToStart);
    if (late && !call.attachShim) throw new Error(`the ${driver.name} driver cannot attach a shim to a running call (DriverCall.attachShim)`);
    const timeout = options.establishTimeoutMs ?? 15_000;
    established = await Promise.race([
      call.established.then(
        () => true,
        () => false,
      ),
      sleep(timeout).then(() => false),
    ]);
    if (!established) {
      // An SDK may report a failure and carry on (PeerJS after a failed addIceCandidate): let the
      // app's flow reach its end, or stall for good, before hanging up, never a race against it.
      const settled = call.finished.then(
        () => true,
        () => true,
      );
      await Promise.race([settled, sleep(options.afterFailureMs ?? 3_000)]);
    }
    if (injected) await waitFor(() => injected?.consumed === true, options.armedWaitMs ?? 3_000);
    await sleep(settleMs);
    if (late && recorder) {
      attachSeq = nextSeq();
      call.attachShim!(recorder);
      await sleep(settleMs);
    }
    const rtcp =
      established && options.receiverReportsAfterMs !== undefined
        ? receiverReportsOf(tap.peerConnections.slice(firstPc), options.receiverReportsAfterMs, options.holdMs ?? 0)
        : undefined;
    if (established && options.holdMs) await sleep(options.holdMs);
    receiverReports = rtcp ? await rtcp : null;
    if (caseName === 'dispose') {
      call.disposeShim();
      disposeSeq = nextSeq();
      leftovers = snapshotLeftovers();
    }
    if (call.setMuted && established) {
      await call.setMuted('audio', true);
      await call.setMuted('audio', false);
      await sleep(50);
    }
  } finally {
    if (call) {
      await call.hangUp();
      await sleep(settleMs);
    }
  }
  leftovers ??= snapshotLeftovers();

  const calls = (recorder?.calls ?? []).slice(callsBefore);
  return {
    caseName,
    clientKind: options.clientKind,
    pcs: tap.peerConnections.slice(firstPc).map((t) => ({
      index: t.index,
      createdSeq: t.createdSeq,
      firstEvent: t.firstEvent ?? null,
      everConnected: t.everConnected,
      ...(leftovers?.get(t.pc) ?? { instancePatches: [], listeners: 0 }),
    })),
    calls: calls.map((c) => serializeCall(c, tap, injected, call?.roles?.() ?? {})),
    violations: recorder?.violations ?? [],
    established,
    appOutcome: call?.appOutcome() ?? null,
    appErrors: (call?.appErrors() ?? []).map((e) => describeError(e, injected)),
    injected: injected ? { fn: injected.fn, consumed: injected.consumed, consumedByPc: injected.consumedBy?.index ?? null } : null,
    disposeSeq,
    attachSeq,
    receiverReports: receiverReports ?? null,
  };
}

/**
 * Core's receiver-report check on the call's pcs, read through stand-in handles (the check is
 * about what the SDK and its server do, not about the shim): the verdicts once media flowed for
 * `afterMs`, by the end of the hold. A pc that sends nothing gets none.
 */
function receiverReportsOf(
  pcs: readonly TappedPeerConnection[],
  afterMs: number,
  holdMs: number,
): Promise<NonNullable<CaseReport['receiverReports']>> {
  const handles = pcs.map((t) => ({
    pc: t.pc,
    remoteUserID: `pc #${t.index}`,
    get active() {
      return t.pc.connectionState !== 'closed';
    },
    index: t.index,
  }));
  const verdicts: NonNullable<CaseReport['receiverReports']> = [];
  const check = checkReceiverReports(
    { fabrics: () => handles as unknown as FabricHandle[] },
    {
      afterMs,
      intervalMs: 500,
      logger: () => {},
      onVerdict: (fabric, verdict) =>
        verdicts.push({
          pc: (fabric as unknown as { index: number }).index,
          receiverReports: verdict.receiverReports,
          streams: verdict.streams.map((s) => `${s.kind}: ${s.receiverReports} (${s.packetsSent} packets sent, ${s.reportsReceived ?? 0} reports)`),
        }),
    },
  );
  return sleep(Math.max(holdMs, afterMs + 1_500)).then(() => {
    check.dispose();
    return verdicts.sort((a, b) => a.pc - b.pc);
  });
}
