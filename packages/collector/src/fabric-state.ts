import type { FabricState } from './storage/storage.js';

/** What an event does to the fabric (pc) it names, decided by its URL suffix. */
export interface FabricChange {
  state?: FabricState;
  setup?: { delayMs: number | null; iceGatheringDelayMs: number | null; iceConnectivityDelayMs: number | null };
  failure?: { reason: string | null; function: string | null; message: string | null };
  terminated?: true;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The one place that maps events to fabric states. Every other suffix only touches the
 * fabric's first/last seen (when it carries a connectionID).
 */
export function fabricChangeFor(suffix: string, body: Record<string, unknown>): FabricChange {
  switch (suffix) {
    case 'fabric/setup':
      return {
        state: 'setup',
        setup: {
          delayMs: num(body.delay),
          iceGatheringDelayMs: num(body.iceGatheringDelay),
          iceConnectivityDelayMs: num(body.iceConnectivityDelay),
        },
      };
    case 'fabric/setupfailed':
      return {
        state: 'failed',
        failure: { reason: str(body.reason), function: str(body.function), message: str(body.message) },
      };
    case 'fabric/terminated':
      return { state: 'terminated', terminated: true };
    default:
      return {};
  }
}

/**
 * Events arrive in order but a pc can fail after it was set up (a renegotiation's
 * setRemoteDescription, an addIceCandidate): that counts as a failure, not as the state.
 * terminated is final.
 */
export function nextFabricState(current: FabricState, proposed: FabricState | undefined): FabricState {
  if (!proposed || current === 'terminated') return current;
  if (proposed === 'failed' && current === 'setup') return current;
  return proposed;
}
