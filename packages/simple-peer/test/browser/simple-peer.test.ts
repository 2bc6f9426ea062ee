// simple-peer-specific cases in real Chromium, beyond the conformance suite.
import { fileURLToPath } from 'node:url';
import { PEER_CONNECTION_FUNCTIONS } from '@shims/core';
import { assertAddedBeforeFirstEvent, assertFailureReported, assertOneTerminationPerPc, openHarness, runCase, type Harness } from '@shims/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSummary, VendorCases } from './vendor-cases.ts';

let harness: Harness;

beforeAll(async () => {
  // The real callstats.js is loaded for one case; the others use RecordingCallstats alone.
  harness = await openHarness({ entry: fileURLToPath(new URL('./vendor-page.ts', import.meta.url)), callstats: true });
});

afterAll(async () => {
  await harness?.close();
});

function run<K extends keyof VendorCases>(name: K, ...args: Parameters<VendorCases[K]>): Promise<Awaited<ReturnType<VendorCases[K]>>> {
  return harness.page.evaluate(
    ([caseName, caseArgs]) => (window.__simplePeerCases![caseName] as (...a: unknown[]) => Promise<unknown>)(...caseArgs),
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<VendorCases[K]>>>;
}

const of = (summary: CallSummary, method: string, pc?: number) =>
  summary.calls.filter((c) => c.method === method && (pc === undefined || c.pc === pc));
const terminations = (summary: CallSummary, pc: number) => of(summary, 'sendFabricEvent', pc).filter((c) => c.what === 'fabricTerminated');

/** Each pc: added once, terminated once, nothing after; no client rule broken. */
function expectOneFabricEach(summary: CallSummary, pcs: number[]): void {
  for (const pc of pcs) {
    expect(of(summary, 'addNewFabric', pc), `pc #${pc} added once`).toHaveLength(1);
    const [terminated, ...more] = terminations(summary, pc);
    expect(terminated, `pc #${pc} terminated`).toBeDefined();
    expect(more, `pc #${pc} terminated once`).toEqual([]);
    expect(
      summary.calls.filter((c) => c.pc === pc && c.seq > terminated!.seq),
      `nothing for pc #${pc} after it`,
    ).toEqual([]);
  }
  expect(summary.violations).toEqual([]);
}

describe('attaching', () => {
  for (const driver of ['options-both', 'instance-both'] as const) {
    it(`${driver === 'options-both' ? 'to options (wrtc hook)' : 'to existing instances (late attachment)'}: every pc added before its first event, one fabricTerminated each`, async () => {
      const reference = await runCase(harness, 'lifecycle', 'none', driver);
      const report = await runCase(harness, 'lifecycle', 'recording', driver);
      assertAddedBeforeFirstEvent(report, reference);
      assertOneTerminationPerPc(report);
      // Audio for the caller (its fake microphone); the callee sends nothing: data.
      expect(report.calls.filter((c) => c.method === 'addNewFabric').map((c) => c.rest[1])).toEqual(['audio', 'data']);
    });
  }

  for (const fn of PEER_CONNECTION_FUNCTIONS) {
    it(`caller attached late, callee through the hook: a ${fn} failure is reported once with the original error`, async () => {
      const reference = await runCase(harness, `fail:${fn}`, 'none', 'swapped');
      assertFailureReported(fn, await runCase(harness, `fail:${fn}`, 'recording', 'swapped'), reference);
    });
  }

  it('to two peers already in a call: each added then terminated once at hang-up', async () => {
    const result = await run('attachAfterConnect');
    expect(result.monitoring).toEqual([true, true]);
    expectOneFabricEach(result, result.pcs);
    expect(of(result, 'sendFabricEvent', result.pcs[0]).map((c) => c.what)).toEqual(['audioMute', 'fabricTerminated']);
  });
});

describe('fabric usage', () => {
  it('data-only peers are data fabrics, and the data call completes', async () => {
    const reference = await runCase(harness, 'lifecycle', 'none', 'data-only');
    const report = await runCase(harness, 'lifecycle', 'recording', 'data-only');
    assertAddedBeforeFirstEvent(report, reference);
    assertOneTerminationPerPc(report);
    expect(report.appOutcome).toMatchObject({ connected: true, dataReceived: true });
    expect(report.calls.filter((c) => c.method === 'addNewFabric').map((c) => c.rest[1])).toEqual(['data', 'data']);
  });

  it('follows the local tracks: none → data, audio → audio, video → video, both → multiplex; either way of attaching', async () => {
    for (const attach of ['options', 'instance'] as const) {
      expect(await run('usage', [], attach)).toEqual(['data']);
      expect(await run('usage', ['audio'], attach)).toEqual(['audio']);
      expect(await run('usage', ['video'], attach)).toEqual(['video']);
      expect(await run('usage', ['audio', 'video'], attach)).toEqual(['multiplex']);
    }
  });
});

describe('ending the call', () => {
  // When the remote's pc closes before its data channel's closing reaches this side (one remote
  // hang-up in twenty here; always when the remote pc goes at once), Chromium aborts the channel
  // and simple-peer hands the app ERR_DATA_CHANNEL "User-Initiated Abort": a hang-up, not reported.
  const REMOTE_ABORT = 'ERR_DATA_CHANNEL: User-Initiated Abort, reason=Close called';
  for (const media of [false, true]) {
    it(`remote hang-up (${media ? 'audio' : 'data only'}): the callee closes by itself; exactly one fabricTerminated per pc`, async () => {
      const result = await run('remoteHangUp', media, 'destroy');
      expect(result.closed).toBe(true);
      expect([[], [REMOTE_ABORT]]).toContainEqual(result.calleeErrors);
      expectOneFabricEach(result, result.pcs);
      expect(of(result, 'reportError')).toEqual([]);
    });
  }

  it("remote pc gone at once: the callee's channel is aborted (ERR_DATA_CHANNEL), which is not reported; one fabricTerminated each", async () => {
    const result = await run('remoteHangUp', true, 'pc-close');
    expect(result.closed).toBe(true);
    expect(result.calleeErrors).toEqual([REMOTE_ABORT]);
    expectOneFabricEach(result, result.pcs);
    expect(of(result, 'reportError')).toEqual([]);
  });

  // ICE may check before or after the answer is set: any signaling state with `checking`.
  const moments = { constructed: /^stable\/new$/, 'offer-sent': /^have-local-offer\/new$/, checking: /\/checking$/ } as const;
  for (const [moment, states] of Object.entries(moments) as Array<[keyof typeof moments, RegExp]>) {
    it(`destroy while connecting (${moment}): one fabricTerminated each, no error reaches the app or the client`, async () => {
      const result = await run('destroyWhileConnecting', moment);
      expect(result.destroyedAt, "signaling/ICE state of the caller's pc when destroyed").toMatch(states);
      expect(result.callerClosed).toBe(true);
      expect(result.thrown).toEqual([]);
      expect(result.uncaught).toEqual([]);
      expect(result.appErrors).toBe(0);
      expectOneFabricEach(result, result.pcs);
      expect(of(result, 'reportError')).toEqual([]);
    });
  }

  it('20 calls in a row: no listener, wrapper or client call grows from one call to the next', async () => {
    const { rounds, violations } = await run('repeatedCalls', 20);
    expect(violations).toEqual([]);
    const [baseline, ...monitored] = rounds;
    expect(baseline!.established).toBe(true);
    expect(monitored).toHaveLength(20);
    for (const [i, round] of monitored.entries()) {
      const label = `call ${i + 1}`;
      expect(round.established, label).toBe(true);
      expect(round.monitoringDuringCall, label).toEqual([true, true]);
      expect(round.monitoringAfter, label).toEqual([false, false]);
      // Against the same call without the shim: pc listeners and patches, and the peers' own listeners.
      expect(round.pcListeners, label).toEqual(baseline!.pcListeners);
      expect(round.pcPatches, label).toEqual(baseline!.pcPatches);
      expect(round.peerListeners, label).toEqual(baseline!.peerListeners);
      expect(round.peerOwnDestroy, label).toEqual([false, false]);
      expect(round.globalUntouched, label).toBe(true);
      expect(round.calls, label).toEqual([
        'addNewFabric:data',
        'addNewFabric:data',
        'sendFabricEvent:fabricTerminated',
        'sendFabricEvent:fabricTerminated',
      ]);
    }
  }, 120_000);
});

describe('failures outside the five pc calls', () => {
  it('the real callstats.js listens to a pc added through the hook before simple-peer does, to a late-attached one after', async () => {
    const result = await run('realCallstatsListeners');
    expect(result.statuses).toEqual(['addNewFabric:success', 'addNewFabric:success', 'sendFabricEvent:success', 'sendFabricEvent:success']);
    // simple-peer itself only assigns on<event> handlers, which the tap does not count.
    expect(result.atCreation).toBeGreaterThan(0);
    expect(result.lateBefore).toBe(0);
    expect(result.lateAfter).toBe(result.atCreation);
  });

  it('ICE failure with the pc added at its creation: left to callstats.js, which saw it on the pc; one fabricTerminated', async () => {
    const result = await run('stateFailure', 'iceConnectionState', 'options');
    expect(result.callerErrorCodes).toEqual(['ERR_ICE_CONNECTION_FAILURE']);
    expect(of(result, 'reportError')).toEqual([]);
    expectOneFabricEach(result, result.pcs);
  });

  it('ICE failure with the pc attached late: reported once as iceConnectionFailure, before the pc closes', async () => {
    const result = await run('stateFailure', 'iceConnectionState', 'instance');
    expect(result.callerErrorCodes).toEqual(['ERR_ICE_CONNECTION_FAILURE']);
    const reports = of(result, 'reportError');
    expect(reports.map((c) => [c.pc, c.what, c.errorCode, c.isAppError])).toEqual([
      [result.pcs[0], 'iceConnectionFailure', 'ERR_ICE_CONNECTION_FAILURE', true],
    ]);
    expect(reports[0]!.seq).toBeLessThan(terminations(result, result.pcs[0])[0]!.seq);
    expectOneFabricEach(result, result.pcs);
  });

  for (const attach of ['options', 'instance'] as const) {
    it(`connection (DTLS) failure with ICE up, ${attach}: reported once as iceConnectionFailure, which callstats.js cannot see`, async () => {
      const result = await run('stateFailure', 'connectionState', attach);
      expect(result.callerErrorCodes).toEqual(['ERR_CONNECTION_FAILURE']);
      const reports = of(result, 'reportError');
      expect(reports.map((c) => [c.pc, c.what, c.errorCode, c.isAppError])).toEqual([
        [result.pcs[0], 'iceConnectionFailure', 'ERR_CONNECTION_FAILURE', true],
      ]);
      expectOneFabricEach(result, result.pcs);
    });
  }

  it('an mDNS candidate simple-peer only warns about: its addIceCandidate failure is reported once, the call goes on', async () => {
    const result = await run('ignoredCandidateFailure');
    expect(result.consumedBy).toBe(result.pcs[1]);
    expect(result.connected).toBe(true);
    expect(result.appErrors).toBe(0);
    const reports = of(result, 'reportError');
    expect(reports.map((c) => [c.pc, c.what, c.isAppError])).toEqual([[result.pcs[1], 'addIceCandidate', true]]);
    expectOneFabricEach(result, result.pcs);
  });
});
