// What the vendor page's cases take and return (plain data), shared by the page and the test.
import type { FabricUsage } from '@shims/core';
import type { Attach } from './simple-peer-driver.ts';

/** What the client was told, as plain data: pcs by their tap index. */
export interface CallSummary {
  calls: Array<{ seq: number; method: string; pc: number | null; what: unknown; errorCode?: string; isAppError?: boolean }>;
  violations: string[];
}

/** Tap indexes of the caller's and the callee's pc. */
interface WithPcs {
  pcs: [number, number];
}

interface RepeatedCallRound {
  established: boolean;
  monitoringDuringCall: boolean[];
  monitoringAfter: boolean[];
  pcListeners: number[];
  pcPatches: string[][];
  peerListeners: Array<Record<string, number>>;
  peerOwnDestroy: boolean[];
  globalUntouched: boolean;
  calls: string[];
}

export interface VendorCases {
  remoteHangUp(media: boolean, how: 'destroy' | 'pc-close'): Promise<CallSummary & WithPcs & { closed: boolean; calleeErrors: string[] }>;
  destroyWhileConnecting(
    moment: 'constructed' | 'offer-sent' | 'checking',
  ): Promise<CallSummary & WithPcs & { callerClosed: boolean; destroyedAt: string | null; thrown: string[]; uncaught: string[]; appErrors: number }>;
  repeatedCalls(count: number): Promise<{ rounds: RepeatedCallRound[]; violations: string[] }>;
  stateFailure(
    state: 'iceConnectionState' | 'connectionState',
    callerAttach: Attach,
  ): Promise<CallSummary & WithPcs & { callerErrorCodes: unknown[] }>;
  ignoredCandidateFailure(): Promise<CallSummary & WithPcs & { connected: boolean; consumedBy: number | null; appErrors: number }>;
  usage(kinds: Array<'audio' | 'video'>, attach: Attach): Promise<FabricUsage[]>;
  realCallstatsListeners(): Promise<{ atCreation: number; lateBefore: number; lateAfter: number; statuses: string[] }>;
  attachAfterConnect(): Promise<CallSummary & WithPcs & { monitoring: boolean[] }>;
}
