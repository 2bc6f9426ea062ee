import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_CONNECTION_FUNCTIONS } from '@shims/core';
import { startTestCollector, type CollectorFactory, type TestCollector } from '../collector/test-collector.ts';
import { ENGINE_LABELS, enginesToRun, type Engine } from '../harness/browsers.ts';
import { narrowedByEnv } from '../harness/env-narrowing.ts';
import { openHarness, type Harness } from '../harness/harness.ts';
import { PagePool } from './page-pool.ts';
import type { CaseReport, ClientKind, ConformanceCaseName, RunCaseOptions } from '../page/run-case.ts';
// Type-only: brings the page's `window.__shimsConformance` declaration into every importer's program.
import type {} from '../page/index.ts';
import {
  assertAddedBeforeFirstEvent,
  assertAttachedLate,
  assertCleanDispose,
  assertFailureReported,
  assertMediaFailureReported,
  assertMediaLeftToApp,
  assertMuteMapped,
  assertNeverCalled,
  assertOneTerminationPerPc,
  type LateAttachmentOptions,
  type MediaCapture,
} from './assertions.ts';
import type { PeerConnectionFunction } from '@shims/core';

export interface ConformanceSuiteOptions {
  /** Shown in test names, e.g. `plain RTCPeerConnection pair`. */
  name: string;
  /** The page module: imports `@shims/testkit/page` first, then calls `exposeConformance(driver)`. */
  entry: string;
  /**
   * The SDK's package taken from another one in the page's bundle, e.g. `{ jssip: 'jssip-3.10' }`:
   * the same page and driver at the floor of the peer range (see `openHarness`).
   */
  alias?: Record<string, string>;
  /** Flags added to Chromium's, read after `config` (which may start the server they are for). */
  chromiumArgs?: () => readonly string[];
  /** Preferences added to Firefox's, read after `config`, as `chromiumArgs`. */
  firefoxPrefs?: () => Readonly<Record<string, string | number | boolean>>;
  /** Firefox's pages accept any TLS certificate (see `openHarness`). */
  acceptInsecureCerts?: boolean;
  /**
   * The engines the suite runs in (default both, narrowed by `SHIMS_ENGINES`). Each runs every
   * case, under `in Chromium` / `in Firefox` in the test names (the integrations page counts them
   * per engine).
   */
  engines?: readonly Engine[];
  /** Which clients the shim is run against; default both. */
  clients?: ReadonlyArray<Exclude<ClientKind, 'none'>>;
  /** Values for the page (`pageConfig()`), e.g. a server's URL; may start servers (in beforeAll). */
  config?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Called in afterAll, e.g. to stop servers the config started. */
  teardown?: () => Promise<void> | void;
  /**
   * `createCollector` of `@shims/collector`: the real callstats.js then reports into a real
   * collector (instead of the harness's stub), and the suite checks what arrived there.
   */
  collector?: CollectorFactory;
  /** Whether the driver mutes audio during the call (then audioMute/audioUnmute are required). */
  mutes?: boolean;
  /**
   * pc functions the SDK never calls in a call (JsSIP and SIP.js gather all candidates into the
   * SDP and never call `addIceCandidate`): their case checks that it stays so, instead.
   */
  neverCalled?: readonly PeerConnectionFunction[];
  /**
   * Who calls `getUserMedia` in the driver's call: `{ by: 'sdk' }` where the SDK captures (its
   * failure must reach core's media path once), or `{ by: 'app', why }` where the app hands the
   * SDK a stream (the shim then leaves the app's own failure alone). Every vendor states it.
   */
  media: MediaCapture;
  /**
   * The `late` case (every driver implements `DriverCall.attachShim`): where the SDK cannot hand
   * a shim attached mid-call its pcs, `standIn` says why, and the case checks the stand-ins.
   */
  lateAttachment?: LateAttachmentOptions;
  /**
   * What the SDK's server does with RTCP: `terminates` (default: its receiver reports come back
   * for every stream the call sends, checked with core's `checkReceiverReports`), or why it does
   * not (`{ forwardsWithoutReports: why }`: the check must then say missing).
   */
  rtcp?: 'terminates' | { forwardsWithoutReports: string };
  /**
   * How many pages of one browser run the cases side by side (default 3: most of a case is
   * waiting, for the network or for a stalled flow to show it stalled). Each page is a realm of
   * its own, so the driver's calls must not meet at the SDK's server: give every call its own
   * user names or room. `1` where the server cannot hold two calls at once.
   */
  pages?: number;
  timeoutMs?: number;
}

let conferenceCounter = 0;

/** Runs one case in the harness page, with the named driver (default: the page's only one). */
export function runCase(
  harness: Pick<Harness, 'page'>,
  caseName: ConformanceCaseName,
  clientKind: ClientKind,
  driver?: string,
  extra: Partial<RunCaseOptions> = {},
): Promise<CaseReport> {
  const options: RunCaseOptions = { clientKind, conferenceID: `conformance-${++conferenceCounter}`, ...(driver ? { driver } : {}), ...extra };
  return harness.page.evaluate(([name, opts]) => window.__shimsConformance!.run(name, opts), [caseName, options] as const);
}

/**
 * The conformance suite every vendor package runs, with a small driver for its SDK, in real
 * Chromium and real Firefox. Each case runs once without the shim (the reference: what the app
 * sees on its own) and once per client with it, and the reports are compared.
 */
export function describeConformance(options: ConformanceSuiteOptions): void {
  describe(`conformance: ${options.name}`, () => {
    // One engine after the other: each opens its own browser, its pages run the cases side by side.
    for (const engine of enginesToRun(options.engines)) {
      describe(`in ${ENGINE_LABELS[engine]}`, () => describeEngine(options, engine));
    }
  });
}

function describeEngine(options: ConformanceSuiteOptions, engine: Engine): void {
  const clients = engineClients(engine, clientsToRun(options.clients ?? ['recording', 'callstats-js']));
  // SHIMS_CONFORMANCE_RERUN=1: the suites' second run in CI, in the second network shape, leaves
  // out the cases into the collector (the path from callstats.js to the collector is loopback in
  // both shapes, and the first run covers it); the real callstats-js reports to the harness's stub.
  // It also runs only the cases whose outcome the network can change: the call, its hang-up, a
  // late attachment, muting, the ICE candidate failure and dispose. A failure injected into
  // createOffer, createAnswer, setLocalDescription or setRemoteDescription, and the app's or
  // SDK's getUserMedia, happen before or apart from any candidate: the first run covers them.
  const rerun = process.env.SHIMS_CONFORMANCE_RERUN === '1';
  const collectorFactory = rerun ? undefined : options.collector;
  const timeout = options.timeoutMs ?? 60_000;

  let harness: Harness;
  let pool: PagePool;
  let collector: TestCollector | undefined;
  const references = new Map<ConformanceCaseName, Promise<CaseReport>>();
  // An armed failure of a function the SDK never calls stays unused: no need to wait 3 s for it.
  const extraFor = (caseName: ConformanceCaseName): Partial<RunCaseOptions> =>
    options.neverCalled?.some((fn) => caseName === `fail:${fn}`) ? { armedWaitMs: 300 } : {};
  const run = (caseName: ConformanceCaseName, clientKind: ClientKind, extra: Partial<RunCaseOptions> = {}) =>
    pool.use((page) => runCase({ page }, caseName, clientKind, undefined, { ...extraFor(caseName), ...extra }));
  // The run without a shim, once per case, shared by the clients' tests.
  const reference = (caseName: ConformanceCaseName): Promise<CaseReport> => {
    if (!references.has(caseName)) references.set(caseName, run(caseName, 'none'));
    return references.get(caseName)!;
  };

  beforeAll(async () => {
    const config = (await options.config?.()) ?? {};
    if (collectorFactory) collector = await startTestCollector(collectorFactory);
    const callstats = collector ? { base: collector.url } : clients.includes('callstats-js');
    harness = await openHarness({
      entry: options.entry,
      callstats,
      config,
      ...(options.alias ? { alias: options.alias } : {}),
      engine,
      ...(options.chromiumArgs && engine === 'chromium' ? { chromiumArgs: options.chromiumArgs() } : {}),
      ...(options.firefoxPrefs && engine === 'firefox' ? { firefoxPrefs: options.firefoxPrefs() } : {}),
      ...(options.acceptInsecureCerts ? { acceptInsecureCerts: true } : {}),
    });
    const more = await Promise.all(Array.from({ length: Math.max(0, (options.pages ?? 3) - 1) }, () => harness.openPage()));
    pool = new PagePool([harness.page, ...more]);
  }, timeout);

  afterAll(async () => {
    await harness?.close();
    await collector?.close();
    await options.teardown?.();
  }, timeout);

  // First: callstats.js sends events one at a time, 200 ms apart, so these must not queue
  // behind the events of every other case.
  if (collectorFactory) {
    describe('the real callstats-js into @shims/collector', () => {
      // Held long enough for callstats.js to poll getStats and send a batch (every 5 s), and for
      // the receiver-report check to see media flow for 4 s.
      let held: Promise<CaseReport> | undefined;
      const heldCall = (): Promise<CaseReport> => (held ??= run('lifecycle', 'callstats-js', { holdMs: 7_000, receiverReportsAfterMs: 4_000 }));
      let failed: Promise<CaseReport> | undefined;
      const failedCall = (): Promise<CaseReport> => (failed ??= run('fail:setRemoteDescription', 'callstats-js'));
      it(
        'reports fabric setup, stats and fabric terminated for every pc of the call',
        async () => {
          // The failure case of the last test runs on another page while this call is held.
          failedCall().catch(() => {});
          const report = await heldCall();
          assertAddedBeforeFirstEvent(report, await reference('lifecycle'));
          const conferenceID = conferenceOf(report);
          const pcs = report.calls.filter((c) => c.method === 'addNewFabric').length;
          const setups = await collector!.waitForEvent({ conferenceID, eventType: 'fabricSetup', count: pcs, timeoutMs: 30_000 });
          const terminated = await collector!.waitForEvent({ conferenceID, eventType: 'fabricTerminated', count: pcs, timeoutMs: 30_000 });
          const connections = new Set(setups.map((e) => e.connectionID));
          expect(connections.size, 'one fabric per pc at the collector').toBe(pcs);
          expect(new Set(terminated.map((e) => e.connectionID)), 'every fabric terminated').toEqual(connections);
          // callstats.js paces its batches (the receiving side's first one after ~5 s, the sending
          // side's much later), so the suite asks for stats from the call, not from every pc.
          const batches = await Promise.all(
            [...connections].map((id) =>
              collector!.api<{ batches: unknown[] }>(`conferences/${encodeURIComponent(conferenceID)}/fabrics/${encodeURIComponent(id!)}/batches`),
            ),
          );
          expect(
            batches.reduce((n, b) => n + b.batches.length, 0),
            'stats batches at the collector',
          ).toBeGreaterThan(0);
        },
        timeout,
      );

      const rtcp = options.rtcp ?? 'terminates';
      it(
        rtcp === 'terminates'
          ? 'RTCP receiver reports: yes, for every stream the call sends (checked with checkReceiverReports)'
          : `RTCP receiver reports: no (${rtcp.forwardsWithoutReports}); checkReceiverReports says missing`,
        async () => {
          const verdicts = (await heldCall()).receiverReports ?? [];
          expect(verdicts.length, 'a pc of the call sent media for long enough to judge').toBeGreaterThan(0);
          const expected = rtcp === 'terminates' ? 'present' : 'missing';
          expect(
            verdicts.filter((v) => v.receiverReports !== expected),
            `every sending pc: receiver reports ${expected}`,
          ).toEqual([]);
        },
        timeout,
      );

      it(
        'reports an injected setRemoteDescription failure as setupfailed with that function',
        async () => {
          const report = await failedCall();
          assertFailureReported('setRemoteDescription', report, await reference('fail:setRemoteDescription'));
          const [failed] = await collector!.waitForEvent({ conferenceID: conferenceOf(report), eventType: 'fabricSetupFailed' });
          // callstats.js sends a DOMException's message as the JSON of its name and message.
          expect(failed!.body).toMatchObject({
            function: 'setRemoteDescription',
            name: 'OperationError',
            message: expect.stringContaining('injected setRemoteDescription failure'),
          });
        },
        timeout,
      );
    });
  }

  for (const clientKind of clients) {
    // The cases of both clients run side by side, as many at once as the pool has pages.
    describe.concurrent(`with ${clientKind === 'recording' ? 'RecordingCallstats' : 'the real callstats-js'}`, () => {
      // The lifecycle run with the shim attached from the start, shared by the tests that read it.
      let lifecycle: Promise<CaseReport> | undefined;
      const withShim = (): Promise<CaseReport> => (lifecycle ??= run('lifecycle', clientKind));

      it(
        'adds every pc of the call before its first signaling or ICE event, and the call completes as without the shim',
        async () => {
          assertAddedBeforeFirstEvent(await withShim(), await reference('lifecycle'));
        },
        timeout,
      );

      it(
        'sends exactly one fabricTerminated per pc at hang-up, and nothing after it',
        async () => {
          assertOneTerminationPerPc(await withShim());
        },
        timeout,
      );

      // Events before the attachment cannot be seen: "added before its first event" does not apply.
      const standIn = options.lateAttachment?.standIn;
      it(
        standIn === undefined
          ? 'attached after the call started: adds every pc of the call once, with its remote user and usage, reports nothing twice, ends each once; the app sees what it sees without the shim'
          : `attached after the call started: adds stand-ins, not the pcs (${standIn}), each once with the remote user and usage of the pcs, ends each once; the app sees what it sees without the shim`,
        async () => {
          assertAttachedLate(await run('late', clientKind), await reference('late'), await withShim(), options.lateAttachment);
        },
        timeout,
      );

      if (options.mutes) {
        it(
          'maps muting the audio to audioMute and audioUnmute',
          async () => {
            assertMuteMapped(await withShim());
          },
          timeout,
        );
      }

      for (const fn of PEER_CONNECTION_FUNCTIONS) {
        if (rerun && fn !== 'addIceCandidate') continue;
        if (options.neverCalled?.includes(fn)) {
          it(
            `never calls ${fn}: an armed ${fn} failure stays unused, the call completes as without the shim, nothing is reported`,
            async () => {
              assertNeverCalled(fn, await run(`fail:${fn}`, clientKind), await reference(`fail:${fn}`));
            },
            timeout,
          );
          continue;
        }
        it(
          `reports a ${fn} failure with webRTCFunctions "${fn}" and the original error; the app sees what it sees without the shim`,
          async () => {
            assertFailureReported(fn, await run(`fail:${fn}`, clientKind), await reference(`fail:${fn}`));
          },
          timeout,
        );
      }

      const media = options.media;
      if (!rerun) {
        it(
          media.by === 'sdk'
            ? 'reports the SDK\'s getUserMedia failure once with webRTCFunctions "getUserMedia", no pc and the original error; the app sees what it sees without the shim'
            : `never captures media (${media.why}): a failure of the app's own getUserMedia is left to the app, nothing is reported; the app sees what it sees without the shim`,
          async () => {
            const report = await run('fail:getUserMedia', clientKind);
            const without = await reference('fail:getUserMedia');
            if (media.by === 'sdk') assertMediaFailureReported(report, without);
            else assertMediaLeftToApp(report, without);
          },
          timeout,
        );
      }

      it(
        'sends nothing after dispose and leaves no listener or wrapper behind',
        async () => {
          // The real callstats.js adds listeners of its own and never removes them.
          assertCleanDispose(await run('dispose', clientKind), await reference('dispose'), {
            compareListeners: clientKind === 'recording',
          });
        },
        timeout,
      );
    });
  }

  if (!collectorFactory && clients.includes('callstats-js')) {
    it(
      'the real callstats-js initialized and sent what the shim reported to its server',
      async () => {
        const status = await harness.page.evaluate(() => (window as { __shimsCallstatsInitStatus?: unknown }).__shimsCallstatsInitStatus);
        expect(status).toEqual({ status: 'success' });
        await expect
          .poll(() => harness.callstatsRequests.map((r) => r.path.split('/').slice(-2).join('/')), { timeout: 20_000 })
          // The rerun injects no failure that every SDK meets (see `rerun`): no setupfailed there.
          .toEqual(expect.arrayContaining(['fabric/setup', 'fabric/terminated', ...(rerun ? [] : ['fabric/setupfailed'])]));
      },
      timeout,
    );
  }
}

const CLIENT_KINDS = ['recording', 'callstats-js'] as const;

/**
 * The suite's clients, narrowed by `SHIMS_CONFORMANCE_CLIENTS` (comma-separated): the second
 * network shape in CI runs every case again with the real callstats-js only, since what changes
 * there is the network under the SDK, not the shim's path into a client.
 */
function clientsToRun(clients: ReadonlyArray<Exclude<ClientKind, 'none'>>): ReadonlyArray<Exclude<ClientKind, 'none'>> {
  return narrowedByEnv('SHIMS_CONFORMANCE_CLIENTS', 'client', CLIENT_KINDS, clients);
}

/**
 * Firefox runs every case with the real callstats-js only, where a suite has it: what the engine
 * changes is the SDK's and callstats.js's behaviour in it (callstats.js takes only a real
 * `RTCPeerConnection` there), and that client records and checks every call as RecordingCallstats
 * does (it delegates to the library). What the recording client adds, the exact listener count
 * after dispose, is the shim's own code and runs in Chromium. Both clients in both engines would
 * not fit CI's 30 minutes on two cores.
 */
function engineClients(engine: Engine, clients: ReadonlyArray<Exclude<ClientKind, 'none'>>): ReadonlyArray<Exclude<ClientKind, 'none'>> {
  return engine === 'firefox' && clients.includes('callstats-js') ? ['callstats-js'] : clients;
}

/** The conference a case ran in, as the shim reported it. */
function conferenceOf(report: CaseReport): string {
  const add = report.calls.find((c) => c.method === 'addNewFabric');
  const conferenceID = add?.rest[2];
  if (typeof conferenceID !== 'string') throw new Error('the case added no fabric');
  return conferenceID;
}
