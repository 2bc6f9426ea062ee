import type { CallstatsClient } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { sleep } from './timers.ts';

declare global {
  interface Window {
    __shimsReady?: boolean;
    __shimsConfig?: Record<string, unknown>;
    __shimsRealCallstats?: CallstatsClient;
    __bench?: Record<string, (...args: never[]) => unknown>;
  }
}

/** Exposes the page's benchmarks to the Node side and tells the harness the page is ready. */
export function exposeBench(api: Record<string, (...args: never[]) => unknown>): void {
  window.__bench = api;
  window.__shimsReady = true;
}

/** What the RecordingCallstats of each cycle saw, summed; its violations are kept as text. */
export interface ClientTally {
  fabricsAdded: number;
  fabricsTerminated: number;
  errorsReported: number;
  violations: string[];
}

/**
 * A client that forwards to a fresh RecordingCallstats per cycle. A recorder keeps every pc it
 * was given (that is its job), so one recorder for 1,000 cycles would itself hold 2,000 pcs and
 * hide whether the shim does. `endCycle()` tallies the cycle's recorder and starts a new one.
 */
export function cycleRecordingClient(): { client: CallstatsClient; endCycle(): void; tally: ClientTally } {
  let current = new RecordingCallstats();
  const tally: ClientTally = { fabricsAdded: 0, fabricsTerminated: 0, errorsReported: 0, violations: [] };
  const client: CallstatsClient = {
    addNewFabric: (...args) => current.addNewFabric(...args),
    sendFabricEvent: (...args) => current.sendFabricEvent(...args),
    reportError: (...args) => current.reportError(...args),
    associateMstWithUserID: (...args) => current.associateMstWithUserID(...args),
  };
  return {
    client,
    tally,
    endCycle() {
      tally.fabricsAdded += current.callsOf('addNewFabric').length;
      tally.fabricsTerminated += current.calls.filter((c) => c.method === 'sendFabricEvent' && c.args[1] === 'fabricTerminated').length;
      tally.errorsReported += current.callsOf('reportError').length;
      tally.violations.push(...current.violations);
      current = new RecordingCallstats();
    },
  };
}

/** Offer/answer between two local pcs with trickled candidates; resolves once both are connected. */
export async function connectPair(a: RTCPeerConnection, b: RTCPeerConnection, timeoutMs = 10_000): Promise<void> {
  const trickle = (from: RTCPeerConnection, to: RTCPeerConnection) => (event: RTCPeerConnectionIceEvent) => {
    if (event.candidate) to.addIceCandidate(event.candidate).catch(() => {});
  };
  a.onicecandidate = trickle(a, b);
  b.onicecandidate = trickle(b, a);
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
  const until = performance.now() + timeoutMs;
  while (a.connectionState !== 'connected' || b.connectionState !== 'connected') {
    if (performance.now() > until) throw new Error(`pair not connected after ${timeoutMs} ms: ${a.connectionState}/${b.connectionState}`);
    await sleep(2);
  }
  a.onicecandidate = null;
  b.onicecandidate = null;
}

/** The state of a leak loop of local pc pairs (leaks-core, leaks-webrtc): its recorders and count. */
export interface PairLoop {
  recording: ReturnType<typeof cycleRecordingClient>;
  cycles: number;
}

/**
 * Runs `count` more calls of a pair loop, `parallel` at a time (a wave), each wave checked by its
 * own recorder; `call` gets the call's index in the loop. Returns the loop's count so far.
 */
export async function runWaves(loop: PairLoop, count: number, parallel: number, call: (index: number) => Promise<void>): Promise<number> {
  for (let done = 0; done < count; done += parallel) {
    const wave = Math.min(parallel, count - done);
    await Promise.all(Array.from({ length: wave }, (_, i) => call(loop.cycles + i)));
    loop.cycles += wave;
    loop.recording.endCycle();
  }
  return loop.cycles;
}

/**
 * One call of a pair loop: two pcs built through the page's global constructor (`register` sees
 * them first), a data channel, offer/answer, connected, both closed.
 */
export async function pairCall(register?: (a: RTCPeerConnection, b: RTCPeerConnection) => void): Promise<void> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  register?.(a, b);
  a.createDataChannel('call');
  try {
    await connectPair(a, b);
  } finally {
    a.close();
    b.close();
  }
}
