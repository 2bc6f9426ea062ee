// Per-call overhead of the core's method wrapper, and the cost of registering a pc.
import './timers.ts';
import {
  capturePeerConnections,
  createMonitor,
  PEER_CONNECTION_FUNCTIONS,
  type FabricPeerConnection,
  type PeerConnectionFunction,
} from '@shims/core';
import { connectPair, cycleRecordingClient, exposeBench } from './common.ts';
import { sleep } from './timers.ts';

const ARGS: Record<PeerConnectionFunction, unknown[]> = {
  createOffer: [],
  createAnswer: [],
  setLocalDescription: [{ type: 'offer', sdp: '' }],
  setRemoteDescription: [{ type: 'answer', sdp: '' }],
  addIceCandidate: [{ candidate: '', sdpMid: '0' }],
};

/** A pc-shaped object whose methods resolve at once: what is left to time is the wrapper. */
class InstantPeerConnection {
  createOffer() {
    return Promise.resolve({ type: 'offer', sdp: '' });
  }
  createAnswer() {
    return Promise.resolve({ type: 'answer', sdp: '' });
  }
  setLocalDescription() {
    return Promise.resolve();
  }
  setRemoteDescription() {
    return Promise.resolve();
  }
  addIceCandidate() {
    return Promise.resolve();
  }
  getStats() {
    return Promise.resolve(new Map());
  }
  addEventListener() {}
  removeEventListener() {}
  close() {}
}

type Callable = Record<string, (...args: unknown[]) => Promise<unknown>>;

async function timeCalls(pc: Callable, method: PeerConnectionFunction, n: number): Promise<number> {
  const args = ARGS[method];
  const start = performance.now();
  for (let i = 0; i < n; i++) await pc[method]!(...args);
  return performance.now() - start;
}

/** Per method and batch: (wrapped − bare) time per call in ns, bare and wrapped alternating first. */
async function instantOverhead(options: { batches: number; callsPerBatch: number }) {
  const recording = cycleRecordingClient();
  const monitor = createMonitor({ client: recording.client, conferenceID: 'bench-overhead' });
  const bare = new InstantPeerConnection() as unknown as Callable;
  const wrapped = new InstantPeerConnection() as unknown as Callable;
  monitor.addFabric(wrapped as unknown as FabricPeerConnection, { remoteUserID: 'instant' });
  const wrappedNow = PEER_CONNECTION_FUNCTIONS.every((m) => Object.hasOwn(wrapped, m));
  const result: Record<string, { addedNs: number[]; bareNs: number[] }> = {};
  for (const method of PEER_CONNECTION_FUNCTIONS) {
    // Warm-up: both paths compiled before anything counts.
    await timeCalls(bare, method, options.callsPerBatch);
    await timeCalls(wrapped, method, options.callsPerBatch);
    const addedNs: number[] = [];
    const bareNs: number[] = [];
    for (let batch = 0; batch < options.batches; batch++) {
      let bareMs: number;
      let wrappedMs: number;
      if (batch % 2 === 0) {
        bareMs = await timeCalls(bare, method, options.callsPerBatch);
        wrappedMs = await timeCalls(wrapped, method, options.callsPerBatch);
      } else {
        wrappedMs = await timeCalls(wrapped, method, options.callsPerBatch);
        bareMs = await timeCalls(bare, method, options.callsPerBatch);
      }
      addedNs.push(((wrappedMs - bareMs) * 1e6) / options.callsPerBatch);
      bareNs.push((bareMs * 1e6) / options.callsPerBatch);
    }
    result[method] = { addedNs, bareNs };
  }
  monitor.dispose();
  recording.endCycle();
  return { wrappedNow, perMethod: result, tally: recording.tally };
}

/**
 * One negotiation between two real local pcs, each method timed as the app awaits it. With
 * `shim`, both pcs are registered first (the core's wrappers on them).
 */
async function negotiationRound(shim: ReturnType<typeof createMonitor> | undefined, sums: Record<string, { ms: number; calls: number }>) {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  if (shim) {
    shim.addFabric(a, { remoteUserID: 'b' });
    shim.addFabric(b, { remoteUserID: 'a' });
  }
  const candidates: RTCIceCandidate[] = [];
  let gathered!: () => void;
  const allGathered = new Promise<void>((resolve) => (gathered = resolve));
  a.onicecandidate = (event) => (event.candidate ? candidates.push(event.candidate) : gathered());
  a.createDataChannel('bench');
  const timed = async <T>(method: PeerConnectionFunction, call: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await call();
    const sum = (sums[method] ??= { ms: 0, calls: 0 });
    sum.ms += performance.now() - start;
    sum.calls += 1;
    return value;
  };
  const offer = await timed('createOffer', () => a.createOffer());
  await timed('setLocalDescription', () => a.setLocalDescription(offer));
  await timed('setRemoteDescription', () => b.setRemoteDescription(offer));
  const answer = await timed('createAnswer', () => b.createAnswer());
  await timed('setLocalDescription', () => b.setLocalDescription(answer));
  await timed('setRemoteDescription', () => a.setRemoteDescription(answer));
  await Promise.race([allGathered, sleep(5_000)]);
  for (const candidate of candidates) await timed('addIceCandidate', () => b.addIceCandidate(candidate));
  a.close();
  b.close();
}

// One client and one monitor for the real-pc benchmarks; each batch's recorder is tallied at its end.
const recording = cycleRecordingClient();
const monitor = createMonitor({ client: recording.client, conferenceID: 'bench-real' });
let warmedUp = false;

/**
 * One batch, called from Node with a forced GC in between (Chromium refuses a 500th pc until
 * closed ones are collected): per method, mean wrapped time / mean bare time, rounds interleaved.
 */
async function realRatioBatch(options: { batch: number; rounds: number }) {
  if (!warmedUp) {
    await negotiationRound(undefined, {});
    await negotiationRound(monitor, {});
    warmedUp = true;
  }
  const bare: Record<string, { ms: number; calls: number }> = {};
  const wrapped: Record<string, { ms: number; calls: number }> = {};
  for (let round = 0; round < options.rounds; round++) {
    const wrappedFirst = (options.batch + round) % 2 === 1;
    if (wrappedFirst) await negotiationRound(monitor, wrapped);
    await negotiationRound(undefined, bare);
    if (!wrappedFirst) await negotiationRound(monitor, wrapped);
  }
  recording.endCycle();
  const ratios: Record<string, number> = {};
  const bareUs: Record<string, number> = {};
  for (const method of PEER_CONNECTION_FUNCTIONS) {
    const b = bare[method];
    const w = wrapped[method];
    if (!b || !w || b.calls === 0 || w.calls === 0) continue;
    ratios[method] = w.ms / w.calls / (b.ms / b.calls);
    bareUs[method] = (b.ms / b.calls) * 1000;
  }
  return { ratios, bareUs };
}

/**
 * Registration, one batch: building pcs the way PeerJS and janus.js do under a shim (the
 * constructor captured, `addFabric` as the pc is built) against building them bare; µs per pc.
 */
function registrationBatch(options: { batch: number; pcs: number }) {
  const build = (registered: boolean): number => {
    const pcs: RTCPeerConnection[] = [];
    const start = performance.now();
    for (let i = 0; i < options.pcs; i++) {
      pcs.push(
        registered
          ? capturePeerConnections(
              (pc) => monitor.addFabric(pc, { remoteUserID: `r${i}` }),
              () => new RTCPeerConnection(),
            )
          : new RTCPeerConnection(),
      );
    }
    const ms = performance.now() - start;
    for (const pc of pcs) pc.close();
    return ms;
  };
  let bareMs: number;
  let registeredMs: number;
  if (options.batch % 2 === 0) {
    bareMs = build(false);
    registeredMs = build(true);
  } else {
    registeredMs = build(true);
    bareMs = build(false);
  }
  recording.endCycle();
  return { addedUs: ((registeredMs - bareMs) * 1000) / options.pcs, bareUs: (bareMs * 1000) / options.pcs };
}

/** pcs built as an SDK builds them, registered as they are built, then negotiated and connected: any event before registration? */
async function registrationEvents(options: { checkedPairs: number }) {
  const events = [
    'negotiationneeded',
    'signalingstatechange',
    'icegatheringstatechange',
    'icecandidate',
    'iceconnectionstatechange',
    'connectionstatechange',
    'datachannel',
  ];
  let beforeRegistration = 0;
  let afterRegistration = 0;
  let pcsChecked = 0;
  const sdkBuild = (): RTCPeerConnection =>
    capturePeerConnections(
      (pc) => {
        const state = { registered: false };
        for (const type of events) pc.addEventListener(type, () => (state.registered ? afterRegistration++ : beforeRegistration++));
        monitor.addFabric(pc, { remoteUserID: 'peer' });
        state.registered = true;
        pcsChecked++;
      },
      () => {
        // As an SDK does: build the pc and start using it in the same step.
        const pc = new RTCPeerConnection();
        pc.createDataChannel('sdk');
        return pc;
      },
    );
  for (let i = 0; i < options.checkedPairs; i++) {
    const a = sdkBuild();
    const b = sdkBuild();
    await connectPair(a, b);
    a.close();
    b.close();
    recording.endCycle();
  }
  return { beforeRegistration, afterRegistration, pcsChecked };
}

/**
 * Registration without the browser's cost of building a pc: the same capture + `addFabric` around
 * a pc-shaped constructor, against that constructor alone; ns per pc, one batch.
 */
function registrationInstantBatch(options: { batch: number; pcs: number }) {
  const holder = globalThis as unknown as { RTCPeerConnection: unknown };
  const real = holder.RTCPeerConnection;
  const build = (registered: boolean): number => {
    const start = performance.now();
    for (let i = 0; i < options.pcs; i++) {
      if (registered) {
        capturePeerConnections(
          (pc) => monitor.addFabric(pc as unknown as FabricPeerConnection, { remoteUserID: 'r' }),
          () => new (holder.RTCPeerConnection as typeof InstantPeerConnection)(),
        );
      } else {
        new InstantPeerConnection();
      }
    }
    return performance.now() - start;
  };
  holder.RTCPeerConnection = InstantPeerConnection;
  try {
    let bareMs: number;
    let registeredMs: number;
    if (options.batch % 2 === 0) {
      bareMs = build(false);
      registeredMs = build(true);
    } else {
      registeredMs = build(true);
      bareMs = build(false);
    }
    return ((registeredMs - bareMs) * 1e6) / options.pcs;
  } finally {
    holder.RTCPeerConnection = real;
    // The instant pcs were never closed: detach them all so the monitor holds nothing.
    for (const fabric of monitor.fabrics()) if (!(fabric.pc instanceof RTCPeerConnection)) fabric.detach();
    recording.endCycle();
  }
}

/** What the per-batch recorders saw over the real-pc benchmarks. */
const realTally = () => recording.tally;

exposeBench({ instantOverhead, realRatioBatch, registrationBatch, registrationInstantBatch, registrationEvents, realTally });
