import type { CallstatsClient, CallstatsStatus } from '@shims/core';

const METHODS = ['addNewFabric', 'reportError', 'sendFabricEvent', 'associateMstWithUserID'] as const;

const describeArgument = (arg: unknown): string =>
  arg instanceof RTCPeerConnection ? 'pc' : typeof arg === 'object' && arg !== null ? ((arg as { name?: string }).name ?? 'object') : String(arg);

/**
 * The page's real callstats.js client, wrapped so that every call and its status is written to
 * `lines` as an app's debug logging would: what the reference apps print.
 */
export function printingCallstatsClient(real: CallstatsClient): { client: CallstatsClient; lines: string[] } {
  const lines: string[] = [];
  const client = Object.fromEntries(
    METHODS.map((method) => [
      method,
      (...args: unknown[]) => {
        const fn = real[method] as (...a: unknown[]) => CallstatsStatus;
        const status = fn.apply(real, args);
        lines.push(`${method}(${args.map(describeArgument).join(', ')}) → ${status.status}${status.message ? `: ${status.message}` : ''}`);
        return status;
      },
    ]),
  ) as unknown as CallstatsClient;
  return { client, lines };
}
