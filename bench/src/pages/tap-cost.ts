// What building and negotiating one pc costs under a global tap: @shims/webrtc's
// monitorPeerConnections, and rtcstats 5.2.0 (the classic global wrapper), each against the
// page's own constructor. rtcstats cannot be taken off again, so it is installed last; the bare
// runs keep the constructor the page had before either.
import type { CallstatsClient } from '@shims/core';
import { monitorPeerConnections } from '@shims/webrtc';
// rtcstats 5.2.0 is CommonJS; its d.ts declares the module inside a module file, so the type of
// its one export (trace, getStatsInterval, prefixesToWrap) is given here.
import rtcstatsModule from 'rtcstats';

const rtcstats = rtcstatsModule as unknown as (trace: (...args: unknown[]) => void, getStatsInterval: number, prefixesToWrap: string[]) => void;
import { exposeBench } from './common.ts';

type Constructor = typeof RTCPeerConnection;
const NATIVE: Constructor = window.RTCPeerConnection;

/** A client that accepts every call and keeps nothing: the tap's own cost, not a client's. */
let fabricsAdded = 0;
const SUCCESS = { status: 'success' } as const;
const client = {
  addNewFabric: () => ((fabricsAdded += 1), SUCCESS),
  sendFabricEvent: () => SUCCESS,
  reportError: () => SUCCESS,
  associateMstWithUserID: () => SUCCESS,
} as unknown as CallstatsClient;

/** Builds, offers, sets the offer and closes `pcs` pcs one after another; µs per pc. */
async function timeBatch(build: Constructor, pcs: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < pcs; i++) {
    const pc = new build({ iceServers: [] });
    pc.createDataChannel('bench');
    await pc.setLocalDescription(await pc.createOffer());
    pc.close();
  }
  return ((performance.now() - started) * 1_000) / pcs;
}

/**
 * One batch bare and one under a fresh @shims/webrtc tap (disposed after it), in the order given
 * (the caller alternates it: a page slows as closed pcs pile up until the next GC); µs per pc each.
 */
async function shimsBatch(options: {
  pcs: number;
  tapFirst: boolean;
}): Promise<{ bareUs: number; tapUs: number; fabricsAdded: number; restored: boolean }> {
  const before = fabricsAdded;
  const tapped = async (): Promise<number> => {
    const tap = monitorPeerConnections(client, { conferenceID: 'bench-tap-cost', remoteUserID: 'peer' });
    try {
      return await timeBatch(window.RTCPeerConnection, options.pcs);
    } finally {
      tap.dispose();
    }
  };
  const first = options.tapFirst ? await tapped() : await timeBatch(NATIVE, options.pcs);
  const second = options.tapFirst ? await timeBatch(NATIVE, options.pcs) : await tapped();
  const [tapUs, bareUs] = options.tapFirst ? [first, second] : [second, first];
  return { bareUs, tapUs, fabricsAdded: fabricsAdded - before, restored: window.RTCPeerConnection === NATIVE };
}

let rtcstatsInstalled = false;
let traced = 0;

/** One batch bare, one under rtcstats (installed at the first call, for good), in the order given; µs per pc each. */
async function rtcstatsBatch(options: { pcs: number; tapFirst: boolean }): Promise<{ bareUs: number; rtcstatsUs: number; traced: number }> {
  if (!rtcstatsInstalled) {
    // No getStats polling (interval 0) and a trace that keeps nothing: the wrapper's own cost.
    rtcstats(() => void (traced += 1), 0, ['']);
    rtcstatsInstalled = true;
  }
  const before = traced;
  const first = await timeBatch(options.tapFirst ? window.RTCPeerConnection : NATIVE, options.pcs);
  const second = await timeBatch(options.tapFirst ? NATIVE : window.RTCPeerConnection, options.pcs);
  const [rtcstatsUs, bareUs] = options.tapFirst ? [first, second] : [second, first];
  return { bareUs, rtcstatsUs, traced: traced - before };
}

exposeBench({ shimsBatch, rtcstatsBatch });
