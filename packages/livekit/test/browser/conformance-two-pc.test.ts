// The conformance cases with the server refusing /rtc/v1 (404, as a LiveKit server before 1.9):
// the SDK closes the pc it built for the single-pc join and falls back to /rtc with a publisher
// and a subscriber pc. Every pc, the thrown-away one included, must be added before its first
// event and ended once. The cases and assertions are the testkit's (`runCase`, assertions.ts);
// only `late` is asserted here (see `assertLateTwoPc`): the pc thrown away before the shim was
// attached is closed by then and cannot be added, which `assertAttachedLate` does not allow for.
// The real callstats-js into the collector runs in conformance.test.ts.
import { fileURLToPath } from 'node:url';
import { PEER_CONNECTION_FUNCTIONS } from '@shims/core';
import {
  assertAddedBeforeFirstEvent,
  assertClientAccepted,
  assertCleanDispose,
  assertFailureReported,
  assertMediaFailureReported,
  assertMuteMapped,
  assertOneTerminationPerPc,
  callPeerConnections,
  openHarness,
  PagePool,
  runCase,
  type CaseReport,
  type ClientKind,
  type ConformanceCaseName,
  type Harness,
  type LiveKitTestServer,
} from '@shims/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerWithGuest } from './livekit-server.ts';

const fabricsOf = (report: CaseReport, pcs: Array<{ index: number }>): string[] =>
  report.calls
    .filter((c) => c.method === 'addNewFabric' && pcs.some((pc) => pc.index === c.pc))
    .map((c) => `${String(c.rest[0])} (${String(c.rest[1])})`)
    .sort();

/**
 * `assertAttachedLate` for a call whose first pc was closed before the shim came: the late shim
 * adds each pc of the call that is still open, once, after the attachment, with the remote user
 * and usage it gives them from the start; reports nothing; ends each once; the app sees the same.
 */
function assertLateTwoPc(report: CaseReport, reference: CaseReport, attachedFromStart: CaseReport): void {
  expect(report.established, 'the call was established before the shim was attached').toBe(true);
  const adds = report.calls.filter((c) => c.method === 'addNewFabric');
  expect(
    adds.filter((c) => c.seq < report.attachSeq!),
    'fabrics added before the attachment',
  ).toEqual([]);
  const live = callPeerConnections(report);
  expect(live.length, 'the late shim added the open pcs of the call').toBe(callPeerConnections(reference).length);
  expect(live.length, 'publisher and subscriber').toBe(2);
  for (const pc of live)
    expect(
      adds.filter((c) => c.pc === pc.index),
      `pc #${pc.index} added once`,
    ).toHaveLength(1);
  assertOneTerminationPerPc(report);
  const connected = attachedFromStart.pcs.filter((pc) => pc.everConnected);
  expect(fabricsOf(report, report.pcs), 'remote user and usage, as from the start').toEqual(fabricsOf(attachedFromStart, connected));
  expect(
    report.calls.filter((c) => c.method === 'reportError'),
    'nothing reported',
  ).toEqual([]);
  expect(report.appErrors, 'the errors the app saw').toEqual(reference.appErrors);
  expect(report.appOutcome, 'what the app saw of the call').toEqual(reference.appOutcome);
  assertClientAccepted(report);
}

describe('conformance: livekit-client 2.23.0 against the local LiveKit server (two pcs on /rtc after the /rtc/v1 404, one server-side participant)', () => {
  let server: LiveKitTestServer;
  let harness: Harness;
  // Three pages run the cases side by side, as describeConformance does.
  let pool: PagePool;
  const run = (name: ConformanceCaseName, clientKind: ClientKind): Promise<CaseReport> => pool.use((page) => runCase({ page }, name, clientKind));
  const references = new Map<ConformanceCaseName, Promise<CaseReport>>();
  const reference = (name: ConformanceCaseName): Promise<CaseReport> => {
    if (!references.has(name)) references.set(name, run(name, 'none'));
    return references.get(name)!;
  };

  beforeAll(async () => {
    const started = await startServerWithGuest(false);
    server = started.server;
    harness = await openHarness({ entry: fileURLToPath(new URL('./page-two-pc.ts', import.meta.url)), callstats: true, config: started.config });
    pool = new PagePool([harness.page, await harness.openPage(), await harness.openPage()]);
  });
  afterAll(async () => {
    await harness?.close();
    await server?.close();
  });

  for (const clientKind of ['recording', 'callstats-js'] as const) {
    describe.concurrent(`with ${clientKind === 'recording' ? 'RecordingCallstats' : 'the real callstats-js'}`, () => {
      let lifecycle: Promise<CaseReport> | undefined;
      const withShim = (): Promise<CaseReport> => (lifecycle ??= run('lifecycle', clientKind));

      it('adds the thrown-away single-pc pc, the publisher and the subscriber before their first event; one fabricTerminated each', async () => {
        const report = await withShim();
        assertAddedBeforeFirstEvent(report, await reference('lifecycle'));
        assertOneTerminationPerPc(report);
        expect(
          report.calls.filter((c) => c.method === 'addNewFabric'),
          'three pcs: v1, then publisher and subscriber',
        ).toHaveLength(3);
        assertMuteMapped(report);
      });

      it('attached after the call started: adds the publisher and the subscriber once each, ends each once; the app sees the same', async () => {
        assertLateTwoPc(await run('late', clientKind), await reference('late'), await withShim());
      });

      for (const fn of PEER_CONNECTION_FUNCTIONS) {
        it(`reports a ${fn} failure with webRTCFunctions "${fn}" and the original error; the app sees what it sees without the shim`, async () => {
          assertFailureReported(fn, await run(`fail:${fn}`, clientKind), await reference(`fail:${fn}`));
        });
      }

      it("reports the SDK's getUserMedia failure once, no pc, the original error", async () => {
        assertMediaFailureReported(await run('fail:getUserMedia', clientKind), await reference('fail:getUserMedia'));
      });

      it('sends nothing after dispose and leaves no listener or wrapper behind', async () => {
        assertCleanDispose(await run('dispose', clientKind), await reference('dispose'), {
          compareListeners: clientKind === 'recording',
        });
      });
    });
  }
});
