import type { CallstatsClient, CallstatsStatus } from './contract/callstats-client.js';
import type { Warn } from './logger.js';

type ClientMethod = 'addNewFabric' | 'reportError' | 'sendFabricEvent' | 'associateMstWithUserID';

/**
 * Calls the monitoring client so that nothing it does reaches the app: an exception or a
 * `failure` status becomes one warning of its kind, and the call goes on.
 */
export function callClient<M extends ClientMethod>(client: CallstatsClient, method: M, args: Parameters<CallstatsClient[M]>, warn: Warn): void {
  let status: CallstatsStatus | undefined | void;
  try {
    const fn = client[method] as (...a: unknown[]) => CallstatsStatus | undefined | void;
    status = fn.apply(client, args);
  } catch (error) {
    warn(`${method}:threw`, `callstats ${method} threw`, error);
    return;
  }
  if (status && typeof status === 'object' && status.status === 'failure') {
    warn(`${method}:failure`, `callstats ${method} answered failure: ${status.message ?? '(no message)'}`, status);
  }
}
