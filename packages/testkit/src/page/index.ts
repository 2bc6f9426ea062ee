/**
 * The page side of the testkit: bundled into the test page with the driver of the SDK under test.
 * Import this module first, so the pc tap is in place before the SDK reads `RTCPeerConnection`.
 */
import type { CallstatsClient } from '@shims/core';
import type { ConformanceDriver } from './driver.ts';
import { installPeerConnectionTap } from './pc-tap.ts';
import { runConformanceCase, type ConformanceCaseName, type RunCaseOptions } from './run-case.ts';

installPeerConnectionTap();

export interface ConformancePageApi {
  run(caseName: ConformanceCaseName, options: RunCaseOptions): ReturnType<typeof runConformanceCase>;
}

declare global {
  interface Window {
    __shimsConformance?: ConformancePageApi;
    __shimsReady?: boolean;
    /** The harness's `config`, for the page's code. */
    __shimsConfig?: Record<string, unknown>;
    /** Set by the harness page when it loaded and initialized the real callstats.js. */
    __shimsRealCallstats?: CallstatsClient;
  }
}

/** Tells the harness that the page's code is loaded and its globals are in place. */
export function markPageReady(): void {
  window.__shimsReady = true;
}

/** The values the test passed to `openHarness({ config })`. */
export function pageConfig(): Record<string, unknown> {
  return window.__shimsConfig ?? {};
}

const drivers = new Map<string, ConformanceDriver>();

/**
 * Makes the driver's cases callable by the Node side of the suite. A page may expose several
 * drivers under different names; `run` picks one with `options.driver` (default: `default`).
 */
export function exposeConformance(driver: ConformanceDriver, name = 'default'): void {
  drivers.set(name, driver);
  window.__shimsConformance ??= {
    run: (caseName, options) => {
      const chosen = drivers.get(options.driver ?? 'default');
      if (!chosen) throw new Error(`no conformance driver named ${options.driver ?? 'default'} in the page`);
      return runConformanceCase(chosen, caseName, options, () => {
        const real = window.__shimsRealCallstats;
        if (!real) throw new Error('the page has no real callstats.js: open the harness with { callstats: true }');
        return real;
      });
    },
  };
  markPageReady();
}

export { installPeerConnectionTap } from './pc-tap.ts';
export type { InjectedFailure, PeerConnectionTap, TappedPeerConnection } from './pc-tap.ts';
export type { ConformanceDriver, DriverCall, DriverContext } from './driver.ts';
export { CONFORMANCE_CASES, runConformanceCase } from './run-case.ts';
export type { CaseReport, ClientKind, ConformanceCaseName, RunCaseOptions } from './run-case.ts';
export { RecordingCallstats } from '../recording-callstats.ts';
export { nextSeq } from '../sequence.ts';
export { printingCallstatsClient } from './printing-client.ts';
