import { expect } from 'vitest';
import type { PeerConnectionFunction } from '@shims/core';
import type { CaseReport } from '../page/run-case.ts';

// The conformance assertions, as functions of the reports of one case run with the shim and
// the same case run without it (`reference`). describeConformance calls them; the testkit's own
// tests also call them on deliberately broken shims, to prove each one can fail.

/** The pcs a call really used: those that reached ICE connected, or that the shim added. */
export function callPeerConnections(report: CaseReport): CaseReport['pcs'] {
  const added = new Set(report.calls.filter((c) => c.method === 'addNewFabric').map((c) => c.pc));
  return report.pcs.filter((pc) => pc.everConnected || added.has(pc.index));
}

function fabricEvents(report: CaseReport, event: string): CaseReport['calls'] {
  return report.calls.filter((c) => c.method === 'sendFabricEvent' && c.rest[0] === event);
}

function refusedCalls(report: CaseReport): string[] {
  return report.calls.filter((c) => (c.status as { status?: string }).status !== 'success').map((c) => `${c.method}: ${JSON.stringify(c.status)}`);
}

/** Nothing the shim sent was refused by the client, and nothing broke its rules. */
export function assertClientAccepted(report: CaseReport): void {
  expect(report.violations, 'client rule violations').toEqual([]);
  expect(refusedCalls(report), 'client calls answered with failure').toEqual([]);
}

/** The call completes, every pc is added exactly once before its first event, and the app sees the same. */
export function assertAddedBeforeFirstEvent(report: CaseReport, reference: CaseReport): void {
  expect(reference.established, 'the call was established without the shim').toBe(true);
  expect(report.established, 'the call was established with the shim').toBe(true);
  const pcs = callPeerConnections(report);
  expect(pcs.length, 'the call used at least one pc').toBeGreaterThan(0);
  for (const pc of pcs) {
    const adds = report.calls.filter((c) => c.method === 'addNewFabric' && c.pc === pc.index);
    expect(adds, `pc #${pc.index} is added exactly once`).toHaveLength(1);
    if (pc.firstEvent) {
      expect(adds[0]!.seq, `pc #${pc.index} added before its first event (${pc.firstEvent.type})`).toBeLessThan(pc.firstEvent.seq);
    }
  }
  expect(report.appOutcome, 'what the app saw of the call').toEqual(reference.appOutcome);
  expect(report.appErrors, 'the errors the app saw').toEqual(reference.appErrors);
  assertClientAccepted(report);
}

/** Exactly one fabricTerminated per pc of the call, and nothing for that pc after it. */
export function assertOneTerminationPerPc(report: CaseReport): void {
  const pcs = callPeerConnections(report);
  expect(pcs.length, 'the call used at least one pc').toBeGreaterThan(0);
  for (const pc of pcs) {
    const terminated = fabricEvents(report, 'fabricTerminated').filter((c) => c.pc === pc.index);
    expect(terminated, `pc #${pc.index} terminated exactly once`).toHaveLength(1);
    const after = report.calls.filter((c) => c.pc === pc.index && c.seq > terminated[0]!.seq);
    expect(after, `nothing for pc #${pc.index} after fabricTerminated`).toEqual([]);
  }
  assertClientAccepted(report);
}

/** Muting then unmuting the audio sent audioMute then audioUnmute. */
export function assertMuteMapped(report: CaseReport): void {
  const events = report.calls.filter((c) => c.method === 'sendFabricEvent').map((c) => c.rest[0]);
  expect(events).toEqual(expect.arrayContaining(['audioMute', 'audioUnmute']));
  expect(events.indexOf('audioMute')).toBeLessThan(events.indexOf('audioUnmute'));
}

/** The injected failure of `fn` was reported once, right, with the original error; the app saw the same. */
export function assertFailureReported(fn: PeerConnectionFunction, report: CaseReport, reference: CaseReport): void {
  expect(report.injected?.consumedByPc, `the SDK called ${fn} on a pc`).not.toBeNull();
  const reports = report.calls.filter((c) => c.method === 'reportError' && c.rest[1] === fn);
  expect(reports, `one reportError for ${fn}`).toHaveLength(1);
  const [conferenceID, , error] = reports[0]!.rest as [string, string, { error?: { isInjected: boolean } }];
  expect(conferenceID, 'the conference of the call').toMatch(/^conformance-/);
  expect(error.error?.isInjected, 'the reported error is the original DOMException').toBe(true);
  expect(reports[0]!.pc, 'reported for the pc that failed').toBe(report.injected?.consumedByPc);
  expect(report.appErrors, 'the errors the app saw').toEqual(reference.appErrors);
  expect(report.appOutcome, 'what the app saw of the call').toEqual(reference.appOutcome);
  assertClientAccepted(report);
}

/**
 * For a pc function the SDK never calls (e.g. `addIceCandidate` without trickle ICE): the armed
 * failure stays unused with and without the shim, the call completes, and nothing is reported.
 */
export function assertNeverCalled(fn: PeerConnectionFunction, report: CaseReport, reference: CaseReport): void {
  expect(reference.injected?.consumedByPc, `no pc called ${fn} without the shim`).toBeNull();
  expect(report.injected?.consumedByPc, `no pc called ${fn} with the shim`).toBeNull();
  expect(report.established, 'the call was established').toBe(true);
  expect(
    report.calls.filter((c) => c.method === 'reportError'),
    'errors reported',
  ).toEqual([]);
  expect(report.appOutcome, 'what the app saw of the call').toEqual(reference.appOutcome);
  expect(report.appErrors, 'the errors the app saw').toEqual(reference.appErrors);
  assertClientAccepted(report);
}

/** Who calls `getUserMedia` in a vendor's conformance call. */
export type MediaCapture =
  /** The SDK captures (its own capture, or one the app asks it for): its failure must be reported. */
  | { by: 'sdk' }
  /** The app captures and hands the SDK its stream; `why` says why the SDK never captures itself. */
  | { by: 'app'; why: string };

/**
 * The SDK's own `getUserMedia` failed (armed below every wrapper): reported exactly once through
 * core's media path, `reportError(null, conferenceID, 'getUserMedia', <the original error>)`,
 * nothing else reported, every pc the shim added ended once, and the app saw the same.
 */
export function assertMediaFailureReported(report: CaseReport, reference: CaseReport): void {
  expect(reference.injected?.consumed, 'the SDK called getUserMedia without the shim').toBe(true);
  expect(report.injected?.consumed, 'the SDK called getUserMedia with the shim').toBe(true);
  const errors = report.calls.filter((c) => c.method === 'reportError');
  expect(
    errors.map((c) => c.rest[1]),
    'errors reported',
  ).toEqual(['getUserMedia']);
  const [conferenceID, , error] = errors[0]!.rest as [string, string, { error?: { isInjected: boolean } }];
  expect(errors[0]!.pc, 'reported for no pc: getUserMedia is no pc function').toBeNull();
  expect(conferenceID, 'the conference of the call').toMatch(/^conformance-/);
  expect(error.error?.isInjected, 'the reported error is the original DOMException').toBe(true);
  for (const add of report.calls.filter((c) => c.method === 'addNewFabric')) {
    expect(
      fabricEvents(report, 'fabricTerminated').filter((c) => c.pc === add.pc),
      `pc #${add.pc} terminated exactly once`,
    ).toHaveLength(1);
  }
  expect(report.appErrors, 'the errors the app saw').toEqual(reference.appErrors);
  expect(report.appOutcome, 'what the app saw of the call').toEqual(reference.appOutcome);
  assertClientAccepted(report);
}

/**
 * An SDK that never captures media: a failure of the app's own `getUserMedia` (where the app
 * captures at all) is the app's, so the shim reports nothing, and the app sees the same.
 */
export function assertMediaLeftToApp(report: CaseReport, reference: CaseReport): void {
  expect(report.injected?.consumed, 'getUserMedia called with the shim as often as without').toBe(reference.injected?.consumed);
  expect(
    report.calls.filter((c) => c.method === 'reportError' && c.rest[1] === 'getUserMedia'),
    'getUserMedia failures reported',
  ).toEqual([]);
  expect(report.appErrors, 'the errors the app saw').toEqual(reference.appErrors);
  expect(report.appOutcome, 'what the app saw of the call').toEqual(reference.appOutcome);
  assertClientAccepted(report);
}

/**
 * Nothing sent after dispose, and no instance wrapper or listener left on any pc compared with
 * the run without the shim. Listeners are compared only where the client adds none of its own.
 */
export function assertCleanDispose(report: CaseReport, reference: CaseReport, options: { compareListeners: boolean }): void {
  expect(report.disposeSeq, 'the shim was disposed').not.toBeNull();
  expect(
    report.calls.filter((c) => c.seq > report.disposeSeq!),
    'client calls after dispose',
  ).toEqual([]);
  expect(
    report.pcs.map((pc) => pc.instancePatches),
    'instance wrappers left on the pcs',
  ).toEqual(reference.pcs.map((pc) => pc.instancePatches));
  if (options.compareListeners) {
    expect(
      report.pcs.map((pc) => pc.listeners),
      'event listeners left on the pcs',
    ).toEqual(reference.pcs.map((pc) => pc.listeners));
  }
  expect(report.appOutcome, 'what the app saw of the call').toEqual(reference.appOutcome);
}

/** The remote user and usage of each fabric a report added, sorted: comparable across runs. */
function addedFabrics(report: CaseReport, onlyPcs?: ReadonlySet<number | null>): string[] {
  return report.calls
    .filter((c) => c.method === 'addNewFabric' && (!onlyPcs || onlyPcs.has(c.pc)))
    .map((c) => `${String(c.rest[0])} (${String(c.rest[1])})`)
    .sort();
}

function fabricEventNames(report: CaseReport, onlyPcs?: ReadonlySet<number | null>): string[] {
  return report.calls
    .filter((c) => c.method === 'sendFabricEvent' && (!onlyPcs || onlyPcs.has(c.pc)))
    .map((c) => String(c.rest[0]))
    .sort();
}

/** How a vendor's shim attaches to a call already running, where it cannot take the call's own pcs. */
export interface LateAttachmentOptions {
  /**
   * Why the late shim cannot reach the SDK's pcs and registers stand-ins instead (fake pcs, one
   * per fabric the shim adds from the start), e.g. a Room joined without the shim's constructor.
   * The case then asserts that: no pc of the call is added, the stand-ins are, each ended once.
   */
  standIn?: string;
}

/**
 * The `late` case: a shim attached once the call was up takes every pc of the call exactly once,
 * with the remote user and usage the shim gives it when attached from the start (`attachedFromStart`,
 * the lifecycle case), reports nothing the pcs did before it (no errors, no fabric event the
 * lifecycle run did not send), ends each pc with one fabricTerminated, and the app sees what it
 * sees without the shim. A pc's events before the attachment cannot be seen, so "added before its
 * first event" does not apply here. With `standIn`, stand-in fabrics take the pcs' place.
 */
export function assertAttachedLate(
  report: CaseReport,
  reference: CaseReport,
  attachedFromStart: CaseReport,
  options: LateAttachmentOptions = {},
): void {
  expect(reference.established, 'the call was established without the shim').toBe(true);
  expect(report.established, 'the call was established before the shim was attached').toBe(true);
  expect(report.attachSeq, 'the shim was attached to the running call').not.toBeNull();
  // What a late shim can see of the run attached from the start: the pcs that carried the call.
  // A pc the SDK built and threw away before the call was up (LiveKit's single pc, closed at the
  // /rtc/v1 404) is gone by the time a late shim attaches.
  const fromStart = new Set<number | null>(attachedFromStart.pcs.filter((pc) => pc.everConnected).map((pc) => pc.index));
  const adds = report.calls.filter((c) => c.method === 'addNewFabric');
  expect(
    adds.filter((c) => c.seq < report.attachSeq!),
    'fabrics added before the attachment',
  ).toEqual([]);
  if (options.standIn !== undefined) {
    // A stand-in is no pc the page built: the tap does not know it (-1).
    expect(
      adds.map((c) => c.pc),
      `only stand-ins are added (${options.standIn})`,
    ).toEqual(addedFabrics(attachedFromStart, fromStart).map(() => -1));
    expect(fabricEvents(report, 'fabricTerminated'), 'each stand-in terminated exactly once').toHaveLength(adds.length);
    const lastEnd = Math.max(...fabricEvents(report, 'fabricTerminated').map((c) => c.seq));
    expect(
      report.calls.filter((c) => c.seq > lastEnd),
      'nothing after the last fabricTerminated',
    ).toEqual([]);
    assertClientAccepted(report);
  } else {
    const pcs = callPeerConnections(report);
    expect(pcs.length, 'the late shim added the pcs of the call').toBe(callPeerConnections(reference).length);
    for (const pc of pcs) {
      expect(
        adds.filter((c) => c.pc === pc.index),
        `pc #${pc.index} is added exactly once by the late shim`,
      ).toHaveLength(1);
    }
    assertOneTerminationPerPc(report);
  }
  expect(addedFabrics(report), 'the remote user and usage of each fabric, as when attached from the start').toEqual(
    addedFabrics(attachedFromStart, fromStart),
  );
  expect(
    report.calls.filter((c) => c.method === 'reportError'),
    'errors reported for what happened before the attachment',
  ).toEqual([]);
  expect(fabricEventNames(report), 'the fabric events, as when attached from the start').toEqual(fabricEventNames(attachedFromStart, fromStart));
  expect(report.appOutcome, 'what the app saw of the call').toEqual(reference.appOutcome);
  expect(report.appErrors, 'the errors the app saw').toEqual(reference.appErrors);
}
