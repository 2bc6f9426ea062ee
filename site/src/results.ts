import { existsSync, readFileSync } from 'node:fs';

/** The part of vitest's JSON report (`test-results/vitest.json`) the page reads. */
export interface VitestJsonReport {
  startTime?: number;
  testResults?: Array<{
    name?: string;
    status?: string;
    message?: string;
    assertionResults?: Array<{ ancestorTitles?: string[]; title?: string; status?: string }>;
  }>;
}

interface ConformanceSuiteResult {
  /** The suite's name as the vendor gave it to describeConformance, e.g. `peerjs 1.4.7 against …`. */
  name: string;
  /** The first x.y.z in that name: the SDK version the suite ran against. */
  sdkVersion: string | undefined;
  passed: number;
  failed: number;
  /** Skipped or todo. */
  pending: number;
  /** A case of this suite ran with the real callstats-js and passed. */
  realCallstats: boolean;
  /** `yes` or `no (why)`: the suite's RTCP receiver-report case, when it ran and passed. */
  receiverReports: string | undefined;
}

type VerifiedState = 'verified' | 'failing' | 'not-verified';

/** One engine's share of the conformance cases: `passed` of `total` (failed and pending count in total). */
interface EngineResult {
  engine: string;
  passed: number;
  total: number;
}

export interface VerifiedStatus {
  state: VerifiedState;
  /** One sentence for the page: why this state. */
  summary: string;
  /** When the run started (ISO), if there was one. */
  runAt: string | undefined;
  suites: ConformanceSuiteResult[];
  passed: number;
  failed: number;
  pending: number;
  /** The SDK versions with a suite that passed entirely. */
  verifiedVersions: string[];
  realCallstats: boolean;
  /** What a passed receiver-report case said (`yes`, or `no (what the server does)`). */
  receiverReports: string | undefined;
  /** Per browser engine, in the order first seen: how many of its cases passed. */
  engines: EngineResult[];
}

const CONFORMANCE = 'conformance: ';
const REAL_CALLSTATS = /real callstats-js/;
/** describeConformance's RTCP case: `RTCP receiver reports: yes, …` or `RTCP receiver reports: no (why); …`. */
const RECEIVER_REPORTS = /^RTCP receiver reports: (yes|no \(.*\))[,;]/;
const VERSION = /\b\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\b/;
/** describeConformance's engine block, `in Chromium` or `in Firefox`; suites older than it ran in Chromium. */
const ENGINE = /^in (\S+)$/;
const ENGINE_BEFORE_BLOCKS = 'Chromium';

function notVerified(summary: string, runAt?: string): VerifiedStatus {
  return {
    state: 'not-verified',
    summary,
    runAt,
    suites: [],
    passed: 0,
    failed: 0,
    pending: 0,
    verifiedVersions: [],
    realCallstats: false,
    receiverReports: undefined,
    engines: [],
  };
}

/**
 * The rule: a vendor is verified when its last test run (vitest's JSON report) has at least one
 * conformance suite (tests under `conformance: <name>`, as describeConformance names them), every
 * conformance case ran and passed. Any failed case: failing. No report, no conformance suite,
 * or cases skipped or still todo (a scaffolded package): not verified. A conformance test file
 * that failed to load, with no case run: failing. The SDK version of a suite
 * is the first x.y.z in its name; "real callstats-js" means a case under a describe naming the
 * real callstats-js passed.
 */
export function verifiedStatusOf(report: VitestJsonReport | undefined): VerifiedStatus {
  if (report === undefined) return notVerified('not verified: its test suite has not run here');
  const runAt = typeof report.startTime === 'number' ? new Date(report.startTime).toISOString() : undefined;
  const suites = new Map<string, ConformanceSuiteResult>();
  let pendingTitle: string | undefined;
  const engines = new Map<string, EngineResult>();
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      const titles = [...(test.ancestorTitles ?? []), test.title ?? ''];
      if (!titles[0]?.startsWith(CONFORMANCE)) continue;
      const name = titles[0].slice(CONFORMANCE.length);
      const suite = suites.get(name) ?? {
        name,
        sdkVersion: VERSION.exec(name)?.[0],
        passed: 0,
        failed: 0,
        pending: 0,
        realCallstats: false,
        receiverReports: undefined,
      };
      suites.set(name, suite);
      const engineName = ENGINE.exec(titles[1] ?? '')?.[1] ?? ENGINE_BEFORE_BLOCKS;
      const engine = engines.get(engineName) ?? { engine: engineName, passed: 0, total: 0 };
      engines.set(engineName, engine);
      engine.total++;
      if (test.status === 'passed') engine.passed++;
      if (test.status === 'passed') {
        suite.passed++;
        if (titles.slice(1).some((t) => REAL_CALLSTATS.test(t))) suite.realCallstats = true;
        suite.receiverReports ??= RECEIVER_REPORTS.exec(test.title ?? '')?.[1];
      } else if (test.status === 'failed') {
        suite.failed++;
      } else {
        suite.pending++;
        pendingTitle ??= test.title;
      }
    }
  }
  // A conformance test file that failed before any test ran (an import or a setup error).
  const broken = (report.testResults ?? []).find(
    (f) => /conformance[^/\\]*\.test\.ts$/.test(f.name ?? '') && f.status === 'failed' && !f.assertionResults?.length,
  );
  if (broken && suites.size === 0) {
    return { ...notVerified('', runAt), state: 'failing', summary: `failing: ${broken.name!.split(/[/\\]/).slice(-3).join('/')} did not load` };
  }
  const all = [...suites.values()];
  const sum = (key: 'passed' | 'failed' | 'pending'): number => all.reduce((n, s) => n + s[key], 0);
  const [passed, failed, pending] = [sum('passed'), sum('failed'), sum('pending')];
  const base = {
    runAt,
    suites: all,
    passed,
    failed,
    pending,
    verifiedVersions: [...new Set(all.filter((s) => s.failed === 0 && s.pending === 0 && s.passed > 0 && s.sdkVersion).map((s) => s.sdkVersion!))],
    realCallstats: all.some((s) => s.realCallstats),
    receiverReports: all.find((s) => s.receiverReports)?.receiverReports,
    engines: [...engines.values()],
  };
  if (all.length === 0) return { ...notVerified('not verified: the last test run had no conformance suite', runAt) };
  if (failed > 0) return { ...base, state: 'failing', summary: `failing: ${failed} of ${passed + failed + pending} conformance cases failed` };
  if (passed === 0) return { ...base, state: 'not-verified', summary: `not verified: ${pendingTitle ?? 'the conformance suite is pending'}` };
  if (pending > 0)
    return { ...base, state: 'not-verified', summary: `not verified: ${pending} of ${passed + pending} conformance cases did not run` };
  return { ...base, state: 'verified', summary: `verified: ${passed} of ${passed} conformance cases passed` };
}

/** Reads a vendor's `test-results/vitest.json`; a missing file means the suite did not run. */
export function readVerifiedStatus(resultsFile: string): VerifiedStatus {
  if (!existsSync(resultsFile)) return verifiedStatusOf(undefined);
  let report: VitestJsonReport;
  try {
    report = JSON.parse(readFileSync(resultsFile, 'utf8')) as VitestJsonReport;
  } catch {
    return notVerified('not verified: its test results file is not valid JSON');
  }
  return verifiedStatusOf(report);
}
