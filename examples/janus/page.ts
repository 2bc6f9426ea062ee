// The page around the app: hands it the real callstats.js client (initialized by the harness page)
// wrapped so that every call and its status is printed, as an app's debug logging would.
import type { monitorJanus } from '@shims/janus';

type CallstatsClient = Parameters<typeof monitorJanus>[0];
// The app reads the client only when it runs, so importing it first is fine.
import './app.ts';

const real = (window as unknown as { __shimsRealCallstats: CallstatsClient }).__shimsRealCallstats;
const lines: string[] = [];
const describe = (arg: unknown): string =>
  arg instanceof RTCPeerConnection ? 'pc' : typeof arg === 'object' && arg !== null ? (arg as { name?: string }).name ?? 'object' : String(arg);
const client = Object.fromEntries(
  (['addNewFabric', 'reportError', 'sendFabricEvent', 'associateMstWithUserID'] as const).map((method) => [
    method,
    (...args: unknown[]) => {
      const status = (real[method] as (...a: unknown[]) => { status: string; message?: string }).apply(real, args);
      lines.push(`${method}(${args.map(describe).join(', ')}) → ${status.status}${status.message ? `: ${status.message}` : ''}`);
      return status;
    },
  ]),
);
Object.assign(window, { __exampleClient: client, __exampleCalls: lines });
