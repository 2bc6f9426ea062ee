import { PEER_CONNECTION_FUNCTIONS } from '@shims/core';
import { openBenchPage } from './browser.ts';
import { forceGc } from './cdp-probes.ts';
import { spread, type Spread } from './stats.ts';

export interface OverheadCounts {
  /** pc-shaped object: batches per method, calls per batch. */
  instantBatches: number;
  instantCalls: number;
  /** real pcs: batches, negotiation rounds per batch and per path. */
  realBatches: number;
  realRounds: number;
  /** registration: batches, pcs per batch and per path; pc pairs checked for early events. */
  registerBatches: number;
  registerPcs: number;
  /** pc-shaped constructions per registration batch. */
  registerInstantPcs: number;
  checkedPairs: number;
}

interface MethodOverhead {
  method: string;
  /** ns added per call on a pc whose methods resolve at once (wrapped − bare, per batch). */
  addedNs: Spread;
  /** ns per bare call on that object, for scale. */
  bareNs: Spread;
  /** wrapped ÷ bare mean time per call on real RTCPeerConnections, per batch. */
  realRatio: Spread;
  /** µs per bare call on a real pc, for scale. */
  realBareUs: Spread;
}

export interface OverheadResult {
  methods: MethodOverhead[];
  registration: {
    /** µs added per pc built under capture + addFabric, against a bare `new RTCPeerConnection()`. */
    addedUs: Spread;
    bareUs: Spread;
    /** ns added per pc when building it costs nothing (a pc-shaped constructor): the shim's part alone. */
    addedNsPcShaped: Spread;
    pcsChecked: number;
    eventsBeforeRegistration: number;
    eventsAfterRegistration: number;
  };
  violations: string[];
}

interface InstantPage {
  wrappedNow: boolean;
  perMethod: Record<string, { addedNs: number[]; bareNs: number[] }>;
  tally: { violations: string[] };
}
interface RealBatch {
  ratios: Record<string, number>;
  bareUs: Record<string, number>;
}
interface RegistrationEvents {
  beforeRegistration: number;
  afterRegistration: number;
  pcsChecked: number;
}

export async function measureOverhead(counts: OverheadCounts): Promise<OverheadResult> {
  const page = await openBenchPage('overhead');
  try {
    const instant = await page.call<InstantPage>('instantOverhead', { batches: counts.instantBatches, callsPerBatch: counts.instantCalls });
    if (!instant.wrappedNow) throw new Error('addFabric did not wrap the pc-shaped object: the overhead would be measured on bare calls');
    // Real pcs, one batch per call with a forced GC between: Chromium refuses a 500th live pc.
    const ratios: Record<string, number[]> = {};
    const realBareUs: Record<string, number[]> = {};
    for (let batch = 0; batch < counts.realBatches; batch++) {
      await forceGc(page.cdp);
      const result = await page.call<RealBatch>('realRatioBatch', { batch, rounds: counts.realRounds });
      for (const [method, ratio] of Object.entries(result.ratios)) (ratios[method] ??= []).push(ratio);
      for (const [method, us] of Object.entries(result.bareUs)) (realBareUs[method] ??= []).push(us);
    }
    const addedUs: number[] = [];
    const bareUs: number[] = [];
    for (let batch = -1; batch < counts.registerBatches; batch++) {
      await forceGc(page.cdp);
      const result = await page.call<{ addedUs: number; bareUs: number }>('registrationBatch', { batch, pcs: counts.registerPcs });
      if (batch < 0) continue; // warm-up
      addedUs.push(result.addedUs);
      bareUs.push(result.bareUs);
    }
    const addedInstantNs: number[] = [];
    for (let batch = -1; batch < counts.registerBatches; batch++) {
      const ns = await page.call<number>('registrationInstantBatch', { batch, pcs: counts.registerInstantPcs });
      if (batch >= 0) addedInstantNs.push(ns);
    }
    await forceGc(page.cdp);
    const events = await page.call<RegistrationEvents>('registrationEvents', { checkedPairs: counts.checkedPairs });
    const realTally = await page.call<{ violations: string[] }>('realTally');
    return {
      methods: PEER_CONNECTION_FUNCTIONS.map((method) => ({
        method,
        addedNs: spread(instant.perMethod[method]?.addedNs ?? []),
        bareNs: spread(instant.perMethod[method]?.bareNs ?? []),
        realRatio: spread(ratios[method] ?? []),
        realBareUs: spread(realBareUs[method] ?? []),
      })),
      registration: {
        addedUs: spread(addedUs),
        bareUs: spread(bareUs),
        addedNsPcShaped: spread(addedInstantNs),
        pcsChecked: events.pcsChecked,
        eventsBeforeRegistration: events.beforeRegistration,
        eventsAfterRegistration: events.afterRegistration,
      },
      violations: [...instant.tally.violations, ...realTally.violations],
    };
  } finally {
    await page.close();
  }
}
