import { openBenchPage } from './browser.ts';

export interface FakePcPolling {
  callstatsInit: string;
  /** Source calls while no client held the fake pc. */
  idleSourceCalls: number;
  /** `getStats()` calls the real callstats.js made on the fake pc while monitoring it. */
  clientPolls: number;
  /** Calls on the SDK's stats source meanwhile. */
  sourceCalls: number;
  sourceCallsPerPoll: number;
  /** After `fabricTerminated`: calls on the source (should be none). */
  sourceCallsAfterTerminate: number;
  violations: string[];
}

export async function measureFakePcPolling(options: { idleMs: number; monitoredMs: number; afterMs: number }): Promise<FakePcPolling> {
  const page = await openBenchPage('fake-pc-polling', { callstats: true });
  try {
    const result = await page.call<Omit<FakePcPolling, 'sourceCallsPerPoll' | 'callstatsInit'> & { initStatus: string }>('polling', options);
    const { initStatus, ...rest } = result;
    return {
      callstatsInit: initStatus,
      ...rest,
      sourceCallsPerPoll: result.clientPolls === 0 ? Number.NaN : result.sourceCalls / result.clientPolls,
    };
  } finally {
    await page.close();
  }
}
