import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_CONNECTION_FUNCTIONS } from '@shims/core';
import { openHarness, type Harness } from '../harness/harness.ts';
import type { CaseReport, ClientKind, ConformanceCaseName, RunCaseOptions } from '../page/run-case.ts';

export interface ConformanceSuiteOptions {
  /** Shown in test names, e.g. `plain RTCPeerConnection pair`. */
  name: string;
  /** The page module: imports `@shims/testkit/page` first, then calls `exposeConformance(driver)`. */
  entry: string;
  /** Which clients the shim is run against; default both. */
  clients?: ReadonlyArray<Exclude<ClientKind, 'none'>>;
  /** Values for the page (`window.__shimsConfig`), e.g. a server's URL; may be a function run in beforeAll. */
  config?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Called in afterAll, e.g. to stop servers the config started. */
  teardown?: () => Promise<void> | void;
  /** Whether the driver mutes audio during the call (then audioMute/audioUnmute are required). */
  mutes?: boolean;
  timeoutMs?: number;
}

let conferenceCounter = 0;

/** The pcs a call really used: those that reached ICE connected, or that the shim added. */
const callPcs = (report: CaseReport): CaseReport['pcs'] => {
  const added = new Set(report.calls.filter((c) => c.method === 'addNewFabric').map((c) => c.pc));
  return report.pcs.filter((pc) => pc.everConnected || added.has(pc.index));
};

const fabricEvents = (report: CaseReport, event: string) =>
  report.calls.filter((c) => c.method === 'sendFabricEvent' && c.rest[0] === event);

const failures = (report: CaseReport): string[] =>
  report.calls.filter((c) => (c.status as { status?: string }).status !== 'success').map((c) => `${c.method}: ${JSON.stringify(c.status)}`);

/**
 * The conformance suite every vendor package runs, with a small driver for its SDK, in real
 * Chromium. Each case runs once without the shim (the reference: what the app sees on its own)
 * and once per client with it, and the reports are compared.
 */
export function describeConformance(options: ConformanceSuiteOptions): void {
  const clients = options.clients ?? ['recording', 'callstats-js'];
  const timeout = options.timeoutMs ?? 60_000;

  describe(`conformance: ${options.name}`, () => {
    let harness: Harness;
    const references = new Map<ConformanceCaseName, Promise<CaseReport>>();

    const run = (caseName: ConformanceCaseName, clientKind: ClientKind): Promise<CaseReport> => {
      const runOptions: RunCaseOptions = { clientKind, conferenceID: `conformance-${++conferenceCounter}` };
      return harness.page.evaluate(
        ([name, opts]) => window.__shimsConformance!.run(name, opts),
        [caseName, runOptions] as const,
      );
    };
    // The run without a shim, once per case, shared by the clients' tests.
    const reference = (caseName: ConformanceCaseName): Promise<CaseReport> => {
      if (!references.has(caseName)) references.set(caseName, run(caseName, 'none'));
      return references.get(caseName)!;
    };

    beforeAll(async () => {
      const config = (await options.config?.()) ?? {};
      harness = await openHarness({ entry: options.entry, callstats: clients.includes('callstats-js'), config });
    }, timeout);

    afterAll(async () => {
      await harness?.close();
      await options.teardown?.();
    }, timeout);

    for (const clientKind of clients) {
      describe(`with ${clientKind === 'recording' ? 'RecordingCallstats' : 'the real callstats-js'}`, () => {
        it('adds every pc of the call before its first signaling or ICE event, and the call completes as without the shim', async () => {
          const [report, plain] = [await run('lifecycle', clientKind), await reference('lifecycle')];
          expect(report.established, 'the call was established').toBe(true);
          expect(plain.established, 'the call was established without the shim').toBe(true);
          const pcs = callPcs(report);
          expect(pcs.length, 'the call used at least one pc').toBeGreaterThan(0);
          for (const pc of pcs) {
            const adds = report.calls.filter((c) => c.method === 'addNewFabric' && c.pc === pc.index);
            expect(adds, `pc #${pc.index} is added exactly once`).toHaveLength(1);
            if (pc.firstEvent) {
              expect(adds[0]!.seq, `pc #${pc.index} added before its first event (${pc.firstEvent.type})`).toBeLessThan(pc.firstEvent.seq);
            }
          }
          expect(report.appOutcome).toEqual(plain.appOutcome);
          expect(report.appErrors).toEqual(plain.appErrors);
          expect(report.violations).toEqual([]);
          expect(failures(report)).toEqual([]);
        }, timeout);

        it('sends exactly one fabricTerminated per pc at hang-up, and nothing after it', async () => {
          const report = await run('lifecycle', clientKind);
          for (const pc of callPcs(report)) {
            const terminated = fabricEvents(report, 'fabricTerminated').filter((c) => c.pc === pc.index);
            expect(terminated, `pc #${pc.index} terminated once`).toHaveLength(1);
            const after = report.calls.filter((c) => c.pc === pc.index && c.seq > terminated[0]!.seq);
            expect(after, `nothing for pc #${pc.index} after fabricTerminated`).toEqual([]);
          }
          expect(report.violations).toEqual([]);
        }, timeout);

        if (options.mutes) {
          it('maps muting the audio to audioMute and audioUnmute', async () => {
            const report = await run('lifecycle', clientKind);
            const events = report.calls.filter((c) => c.method === 'sendFabricEvent').map((c) => c.rest[0]);
            expect(events).toEqual(expect.arrayContaining(['audioMute', 'audioUnmute']));
            expect(events.indexOf('audioMute')).toBeLessThan(events.indexOf('audioUnmute'));
          }, timeout);
        }

        for (const fn of PEER_CONNECTION_FUNCTIONS) {
          it(`reports a ${fn} failure with webRTCFunctions "${fn}" and the original error, and the app sees what it sees without the shim`, async () => {
            const [report, plain] = [await run(`fail:${fn}`, clientKind), await reference(`fail:${fn}`)];
            expect(report.injected?.consumedByPc, `the SDK called ${fn} on a pc`).not.toBeNull();
            const reports = report.calls.filter((c) => c.method === 'reportError' && c.rest[1] === fn);
            expect(reports, `one reportError for ${fn}`).toHaveLength(1);
            const [conferenceID, , error] = reports[0]!.rest as [string, string, { error?: { isInjected: boolean } }];
            expect(conferenceID).toMatch(/^conformance-/);
            expect(error.error?.isInjected, 'the reported error is the original DOMException').toBe(true);
            expect(reports[0]!.pc).toBe(report.injected?.consumedByPc);
            expect(report.appErrors).toEqual(plain.appErrors);
            expect(report.appOutcome).toEqual(plain.appOutcome);
            expect(report.violations).toEqual([]);
            expect(failures(report)).toEqual([]);
          }, timeout);
        }

        it('sends nothing after dispose and leaves no listener or wrapper behind', async () => {
          const [report, plain] = [await run('dispose', clientKind), await reference('dispose')];
          expect(report.disposeSeq).not.toBeNull();
          const late = report.calls.filter((c) => c.seq > report.disposeSeq!);
          expect(late, 'client calls after dispose').toEqual([]);
          expect(report.pcs.map((pc) => pc.instancePatches)).toEqual(plain.pcs.map((pc) => pc.instancePatches));
          if (clientKind === 'recording') {
            // The real callstats.js adds listeners of its own and never removes them.
            expect(report.pcs.map((pc) => pc.listeners)).toEqual(plain.pcs.map((pc) => pc.listeners));
          }
          expect(report.appOutcome).toEqual(plain.appOutcome);
        }, timeout);
      });
    }

    if (clients.includes('callstats-js')) {
      it('the real callstats-js initialized and sent what the shim reported to its server', async () => {
        const status = await harness.page.evaluate(() => (window as { __shimsCallstatsInitStatus?: unknown }).__shimsCallstatsInitStatus);
        expect(status).toEqual({ status: 'success' });
        await expect
          .poll(() => harness.callstatsRequests.map((r) => r.path.split('/').slice(-2).join('/')), { timeout: 20_000 })
          .toEqual(expect.arrayContaining(['fabric/setup', 'fabric/terminated', 'fabric/setupfailed']));
      }, timeout);
    }
  });
}
