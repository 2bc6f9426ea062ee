/** What the timeline says of an event, and how it shows a failure. */
import type { EventRecord } from '../../storage/storage.js';
import { h, type Child } from './dom.js';
import { formatMs } from './format.js';

/** `fabric/actions` and `media/actions` event types, as the timeline titles them. */
const ACTIONS: Readonly<Record<string, string>> = {
  fabricHold: 'Hold',
  fabricResume: 'Resume',
  audioMute: 'Audio muted',
  audioUnmute: 'Audio unmuted',
  videoPause: 'Video paused',
  videoResume: 'Video resumed',
  screenShareStart: 'Screen share started',
  screenShareStop: 'Screen share stopped',
  callUnAnswered: 'Call unanswered',
};

/** A timeline item: its kind (a CSS class), title and detail. */
export interface EventView {
  kind: 'setup' | 'state' | 'failed' | 'terminated' | 'action' | 'other';
  title: string;
  detail: Child;
}

/** The fields of a failure the timeline shows (a `FabricFailure`, or a `fabricSetupFailed` body). */
interface FailureFields {
  function?: unknown;
  name?: unknown;
  message?: unknown;
  reason?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * A failure as callstats.js reports it (a `fabricSetupFailed` body, or a fabric's stored
 * failure): the DOMException is often JSON inside `message`.
 */
function describeFailure(failure: FailureFields): {
  fn: string | null;
  name: string | null;
  message: string | null;
  reason: string | null;
} {
  let name = str(failure.name);
  let message = str(failure.message);
  if (message !== null && message.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(message);
      if (isRecord(parsed)) {
        if (typeof parsed.message === 'string') message = parsed.message;
        if (name === null && typeof parsed.name === 'string') name = parsed.name;
      }
    } catch {
      // not JSON after all: shown as sent
    }
  }
  return { fn: str(failure.function), name, message, reason: str(failure.reason) };
}

/** `createOffer: OperationError: no offer today (NegotiationFailure)`, marked up. */
export function failureNodes(failure: FailureFields): Child[] {
  const f = describeFailure(failure);
  return [
    f.fn ? [h('code', { class: 'fn' }, f.fn), ': '] : null,
    h('span', { class: 'error-name' }, f.name || 'error'),
    f.message ? [': ', h('span', { class: 'error-message' }, f.message)] : null,
    f.reason ? ' (' + f.reason + ')' : null,
  ];
}

export function describeEvent(event: EventRecord): EventView {
  const body = isRecord(event.body) ? event.body : {};
  switch (event.eventType) {
    case 'fabricSetup': {
      const parts = ['delay ' + formatMs(body.delay)];
      if (typeof body.iceGatheringDelay === 'number') parts.push('ICE gathering ' + formatMs(body.iceGatheringDelay));
      if (typeof body.iceConnectivityDelay === 'number') parts.push('ICE connectivity ' + formatMs(body.iceConnectivityDelay));
      if (typeof body.fabricTransmissionDirection === 'string') parts.push(body.fabricTransmissionDirection);
      if (typeof body.remoteEndpointType === 'string') parts.push('remote: ' + body.remoteEndpointType);
      return { kind: 'setup', title: 'Setup', detail: parts.join(', ') };
    }
    case 'fabricStateChange':
      return { kind: 'state', title: String(body.changedState), detail: `${String(body.prevState ?? '∅')} → ${String(body.newState)}` };
    case 'fabricSetupFailed':
      return { kind: 'failed', title: 'Setup failed', detail: failureNodes(body) };
    case 'fabricTerminated':
      return { kind: 'terminated', title: 'Terminated', detail: null };
    default: {
      const action = Object.hasOwn(ACTIONS, event.eventType) ? ACTIONS[event.eventType] : undefined;
      if (action !== undefined) return { kind: 'action', title: action, detail: null };
      return { kind: 'other', title: event.eventType, detail: null };
    }
  }
}
