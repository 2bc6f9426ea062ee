// The conformance cases that tell whether the shim reaches a call's pc and lets go of it, with
// RecordingCallstats, where the whole suite (conformance.test.ts: outgoing calls on 2.18.5) does
// not go: an incoming call accepted on 2.18.5 (the answering side's functions), and the oldest
// release the range claims, 2.10.2 (the first after the Device's `RTCPeerConnection` option,
// added as beta in 2.5.0, became generally available). Each case runs with and without the shim
// side by side, on two pages of one browser.
import { fileURLToPath } from 'node:url';
import {
  assertAddedBeforeFirstEvent,
  assertAttachedLate,
  assertCleanDispose,
  assertFailureReported,
  assertMuteMapped,
  assertOneTerminationPerPc,
  openHarness,
  runCase,
  type CaseReport,
  type ConformanceCaseName,
  type Harness,
} from '@shims/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVoiceServer } from './voice-server.ts';

describe('conformance (matrix): @twilio/voice-sdk against the local Voice signaling server', () => {
  let harness: Harness;
  let second: Harness['page'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // The incoming driver registers its Device: the server calls it at once, from `bob`.
    const started = await startVoiceServer({ callOnRegister: 'bob' });
    stop = started.stop;
    harness = await openHarness({
      entry: fileURLToPath(new URL('./page-matrix.ts', import.meta.url)),
      config: started.config,
      chromiumArgs: started.chromiumArgs,
    });
    second = await harness.openPage();
  });
  afterAll(async () => {
    await harness?.close();
    await stop?.();
  });

  /** The case with the shim, and without it (the reference), at once. */
  const both = (driver: string, caseName: ConformanceCaseName): Promise<[CaseReport, CaseReport]> =>
    Promise.all([runCase(harness, caseName, 'recording', driver), runCase({ page: second }, caseName, 'none', driver)]);

  // The incoming call's own function is createAnswer (the whole suite covers the others on 2.18.5);
  // 2.10.2 gets the outgoing call's first function and the dispose case.
  for (const [driver, title, failures, dispose] of [
    ['incoming', '2.18.5, a call from the server accepted by the Device', ['createAnswer'], false],
    ['2.10', '2.10.2, an outgoing call', ['createOffer'], true],
  ] as const) {
    describe(title, () => {
      it(`adds its one pc before its first event, from bob, as audio; maps the mute; ends it once${driver === '2.10' ? '; attaches late' : ''}; the app sees what it sees without the shim`, async () => {
        const [report, reference] = await both(driver, 'lifecycle');
        assertAddedBeforeFirstEvent(report, reference);
        assertOneTerminationPerPc(report);
        assertMuteMapped(report);
        expect(report.calls.filter((c) => c.method === 'addNewFabric').map((c) => c.rest.slice(0, 2))).toEqual([['bob', 'audio']]);
        // Attached mid-call, the shim reads the call in progress the same way whichever way it came:
        // the whole suite checks it on 2.18.5, this on the oldest release.
        if (driver === '2.10') {
          const [late, lateReference] = await both(driver, 'late');
          assertAttachedLate(late, lateReference, report);
        }
      });

      for (const fn of failures) {
        it(`reports a ${fn} failure with the original error; the app sees what it sees without the shim`, async () => {
          const [report, reference] = await both(driver, `fail:${fn}`);
          assertFailureReported(fn, report, reference);
        });
      }

      if (dispose) {
        it('sends nothing after dispose and leaves no listener or wrapper behind', async () => {
          const [report, reference] = await both(driver, 'dispose');
          assertCleanDispose(report, reference, { compareListeners: true });
        });
      }
    });
  }
});
