import type { CDPSession } from 'playwright-core';
import { peerConnectionHolders } from './heap-snapshot.ts';

/** What is still alive in the page, read over the DevTools Protocol after a forced GC. */
export interface HeapProbe {
  /** JS heap in use, bytes (Runtime.getHeapUsage). */
  usedHeap: number;
  /** `RTCPeerConnection` objects still in the heap after GC (Runtime.queryObjects on its prototype). */
  livePeerConnections: number;
  /**
   * Of those, the ones the page's JS still holds (heap snapshot: reachable without going through
   * Chromium's own C++ persistent handles, which pin a few closed pcs with or without a shim).
   */
  peerConnectionsHeldByPage: number;
  /** Of those, the ones already closed: alive only while something in JS still holds them. */
  closedPeerConnections: number;
  /** Listeners on the live pcs, window, document and navigator.mediaDevices (DOMDebugger.getEventListeners). */
  listeners: { onPeerConnections: number; onWindow: number; onDocument: number; onMediaDevices: number };
  /** Timeouts not yet fired and intervals not cleared, counted by the page's instrumented timers. */
  liveTimers: number;
}

const GROUP = 'bench-probe';

export async function forceGc(cdp: CDPSession): Promise<void> {
  // Twice: the first pass can leave objects whose finalizers release more.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
}

async function objectId(cdp: CDPSession, expression: string): Promise<string> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, objectGroup: GROUP });
  if (exceptionDetails || !result.objectId) throw new Error(`cannot read ${expression} in the page`);
  return result.objectId;
}

async function listenerCount(cdp: CDPSession, id: string): Promise<number> {
  const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: id });
  return listeners.length;
}

export async function probe(cdp: CDPSession): Promise<HeapProbe> {
  await forceGc(cdp);
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  // First, before this probe hands out any handle: a pc the DevTools session holds a handle to
  // is held (the inspector keeps it), so every handle below is released before the next probe.
  const holders = await peerConnectionHolders(cdp);
  try {
    const prototype = await objectId(cdp, 'RTCPeerConnection.prototype');
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype, objectGroup: GROUP });
    if (!objects.objectId) throw new Error('queryObjects returned no array');
    const { result: items } = await cdp.send('Runtime.getProperties', { objectId: objects.objectId, ownProperties: true });
    let onPeerConnections = 0;
    let livePeerConnections = 0;
    let closedPeerConnections = 0;
    for (const item of items) {
      if (!/^\d+$/.test(item.name) || !item.value?.objectId) continue;
      livePeerConnections++;
      const { result: state } = await cdp.send('Runtime.callFunctionOn', {
        objectId: item.value.objectId,
        functionDeclaration: 'function () { return this.signalingState; }',
        returnByValue: true,
        objectGroup: GROUP,
      });
      if (state.value === 'closed') closedPeerConnections++;
      onPeerConnections += await listenerCount(cdp, item.value.objectId);
      await cdp.send('Runtime.releaseObject', { objectId: item.value.objectId });
    }
    const { result: timers } = await cdp.send('Runtime.evaluate', { expression: 'window.__bench.liveTimers()', returnByValue: true });
    return {
      usedHeap: usedSize,
      peerConnectionsHeldByPage: holders.heldByPage,
      livePeerConnections,
      closedPeerConnections,
      listeners: {
        onPeerConnections,
        onWindow: await listenerCount(cdp, await objectId(cdp, 'window')),
        onDocument: await listenerCount(cdp, await objectId(cdp, 'document')),
        onMediaDevices: await listenerCount(cdp, await objectId(cdp, 'navigator.mediaDevices')),
      },
      liveTimers: Number(timers.value),
    };
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup: GROUP });
  }
}
