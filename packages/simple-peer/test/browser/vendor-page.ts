// The page of the simple-peer-specific cases: several drivers for the testkit's runCase, and
// cases of its own that return plain data for the test to assert on.
import { exposeConformance, installPeerConnectionTap, RecordingCallstats, type PeerConnectionTap } from '@shims/testkit/page';
import SimplePeer from 'simple-peer/simplepeer.min.js';
import { monitorSimplePeer } from '../../src/index.ts';
import { createPeer, pcOf, simplePeerDriver, startPair, type Attach, type PairCall } from './simple-peer-driver.ts';
import type { CallSummary, VendorCases } from './vendor-cases.ts';

const tap: PeerConnectionTap = installPeerConnectionTap();
const TappedRTCPeerConnection = window.RTCPeerConnection;

exposeConformance(simplePeerDriver({ caller: 'options', callee: 'options', media: true }), 'options-both');
exposeConformance(simplePeerDriver({ caller: 'instance', callee: 'instance', media: true }), 'instance-both');
exposeConformance(simplePeerDriver({ caller: 'instance', callee: 'options', media: true }), 'swapped');
exposeConformance(simplePeerDriver({ caller: 'options', callee: 'instance', media: false }), 'data-only');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> => Promise.race([promise, sleep(ms).then(() => 'timeout' as const)]);
let conference = 0;

function summarize(recorder: RecordingCallstats, appErrors: unknown[] = []): CallSummary {
  return {
    calls: recorder.calls.map((c) => {
      const [pc, a, b, error] = c.args;
      const what = c.method === 'addNewFabric' ? b : c.method === 'sendFabricEvent' ? a : c.method === 'reportError' ? b : null;
      return {
        seq: c.seq,
        method: c.method,
        pc: pc === null ? null : (tap.find(pc)?.index ?? -1),
        what,
        ...(c.method === 'reportError'
          ? { errorCode: (error as { code?: string }).code ?? (error as { name?: string }).name, isAppError: appErrors.includes(error) }
          : {}),
      };
    }),
    violations: recorder.violations,
  };
}

const index = (pc: RTCPeerConnection): number => tap.find(pc)?.index ?? -1;
const indexes = (pcs: { caller: RTCPeerConnection; callee: RTCPeerConnection }): [number, number] => [index(pcs.caller), index(pcs.callee)];

/** Listener counts per event of a simple-peer instance (an EventEmitter). */
function emitterListeners(peer: PairCall['caller']): Record<string, number> {
  return Object.fromEntries(peer.eventNames().map((name) => [String(name), peer.listenerCount(String(name))]));
}

async function failState(call: PairCall, which: 'caller', state: 'iceConnectionState' | 'connectionState'): Promise<void> {
  const pc = call.pcs[which];
  // Chromium takes tens of seconds to fail ICE for real; the state is forced and the event fired
  // so that simple-peer's own handler runs and destroys the peer as it would.
  Object.defineProperty(pc, state, { configurable: true, get: () => 'failed' });
  pc.dispatchEvent(new Event(state === 'iceConnectionState' ? 'iceconnectionstatechange' : 'connectionstatechange'));
}

const cases: VendorCases = {
  /**
   * The caller hangs up (`destroy()`), or its pc goes away at once (`pc-close`: as when the
   * remote tab dies); the callee closes on its own when its data channel does.
   */
  async remoteHangUp(media: boolean, how: 'destroy' | 'pc-close') {
    const recorder = new RecordingCallstats();
    const call = await startPair(recorder, `vendor-${++conference}`, { caller: 'options', callee: 'instance', media });
    await call.established;
    const calleeErrors: unknown[] = [];
    call.callee.on('error', (e) => calleeErrors.push(e));
    if (how === 'destroy') call.caller.destroy();
    else call.pcs.caller.close();
    const calleeClosed = await within(new Promise((resolve) => call.callee.on('close', resolve)), 10_000);
    call.caller.destroy();
    const closed = calleeClosed === 'timeout' ? 'timeout' : await within(call.closed, 5_000);
    await sleep(200);
    return {
      closed: closed !== 'timeout',
      pcs: indexes(call.pcs),
      calleeErrors: calleeErrors.map((e) => `${(e as { code?: string }).code}: ${(e as Error).message}`),
      ...summarize(recorder),
    };
  },

  /** The caller is destroyed at some point of the setup; nothing may reach the app but the close. */
  async destroyWhileConnecting(moment: 'constructed' | 'offer-sent' | 'checking') {
    const recorder = new RecordingCallstats();
    const conferenceID = `vendor-${++conference}`;
    const uncaught: string[] = [];
    const onError = (event: ErrorEvent) => uncaught.push(String(event.message));
    const onRejection = (event: PromiseRejectionEvent) => uncaught.push(String(event.reason));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    const thrown: string[] = [];
    const appErrors: unknown[] = [];
    const { peer: caller } = createPeer(
      recorder,
      'options',
      { initiator: true, config: { iceServers: [] } },
      { conferenceID, remoteUserID: 'callee' },
    );
    const { peer: callee } = createPeer(recorder, 'instance', { config: { iceServers: [] } }, { conferenceID, remoteUserID: 'caller' });
    const pcs = indexes({ caller: pcOf(caller), callee: pcOf(callee) });
    const closes = [caller, callee].map((p) => new Promise<void>((resolve) => p.on('close', resolve)));
    for (const p of [caller, callee]) p.on('error', (e) => appErrors.push(e));
    let destroyedAt: string | null = null;
    const destroyCaller = () => {
      const pc = pcOf(caller);
      destroyedAt = `${pc.signalingState}/${pc.iceConnectionState}`;
      try {
        caller.destroy();
      } catch (error) {
        thrown.push(String(error));
      }
    };
    caller.on('signal', (data) => {
      if (!callee.destroyed) callee.signal(data);
      if (moment === 'offer-sent' && data.sdp) destroyCaller();
    });
    callee.on('signal', (data) => caller.destroyed || caller.destroying || caller.signal(data));
    caller.on('iceStateChange', (state: string) => moment === 'checking' && state === 'checking' && destroyCaller());
    if (moment === 'constructed') destroyCaller();
    const callerClosed = await within(closes[0]!, 10_000);
    await sleep(500);
    callee.destroy();
    await within(closes[1]!, 5_000);
    await sleep(200);
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    return { callerClosed: callerClosed !== 'timeout', destroyedAt, pcs, thrown, uncaught, appErrors: appErrors.length, ...summarize(recorder) };
  },

  /** Calls in a row, the first without the shim (the baseline): what each leaves behind. */
  async repeatedCalls(count: number) {
    const recorder = new RecordingCallstats();
    const rounds = [];
    for (let i = 0; i <= count; i++) {
      const client = i === 0 ? null : recorder;
      const callsBefore = recorder.calls.length;
      const call = await startPair(client, `vendor-${++conference}`, { caller: 'options', callee: 'instance', media: false });
      const established = await call.established.then(
        () => true,
        () => false,
      );
      const monitoringDuringCall = call.handles.map((h) => h.monitoring);
      await call.hangUp();
      await sleep(20);
      const pcs = [call.pcs.caller, call.pcs.callee];
      rounds.push({
        established,
        monitoringDuringCall,
        monitoringAfter: call.handles.map((h) => h.monitoring),
        pcListeners: pcs.map((pc) => tap.listenerCount(pc)),
        pcPatches: pcs.map((pc) => tap.instancePatches(pc)),
        peerListeners: [emitterListeners(call.caller), emitterListeners(call.callee)],
        peerOwnDestroy: [Object.hasOwn(call.caller, 'destroy'), Object.hasOwn(call.callee, 'destroy')],
        globalUntouched: window.RTCPeerConnection === TappedRTCPeerConnection,
        calls: recorder.calls.slice(callsBefore).map((c) => `${c.method}:${String(c.method === 'addNewFabric' ? c.args[2] : c.args[1])}`),
      });
    }
    return { rounds, violations: recorder.violations };
  },

  /** ICE (or, with `connectionState`, DTLS) fails on the caller's pc once the call is up. */
  async stateFailure(state: 'iceConnectionState' | 'connectionState', callerAttach: Attach) {
    const recorder = new RecordingCallstats();
    const call = await startPair(recorder, `vendor-${++conference}`, { caller: callerAttach, callee: 'instance', media: false });
    await call.established;
    const callerErrors: unknown[] = [];
    call.caller.on('error', (e) => callerErrors.push(e));
    const callerClosed = new Promise<void>((resolve) => call.caller.on('close', resolve));
    await failState(call, 'caller', state);
    await within(callerClosed, 5_000);
    await call.hangUp();
    await sleep(100);
    return {
      pcs: indexes(call.pcs),
      callerErrorCodes: callerErrors.map((e) => (e as { code?: string }).code),
      ...summarize(recorder, callerErrors),
    };
  },

  /**
   * An addIceCandidate failure for an mDNS (`.local`) candidate, which simple-peer only warns
   * about: the call goes on. The fake candidate goes first, so it takes the injected failure.
   */
  async ignoredCandidateFailure() {
    const recorder = new RecordingCallstats();
    const conferenceID = `vendor-${++conference}`;
    const { peer: caller } = createPeer(
      recorder,
      'options',
      { initiator: true, config: { iceServers: [] } },
      { conferenceID, remoteUserID: 'callee' },
    );
    const { peer: callee } = createPeer(recorder, 'instance', { config: { iceServers: [] } }, { conferenceID, remoteUserID: 'caller' });
    const pcs = { caller: pcOf(caller), callee: pcOf(callee) };
    const appErrors: unknown[] = [];
    for (const p of [caller, callee]) p.on('error', (e) => appErrors.push(e));
    let injected: ReturnType<PeerConnectionTap['armFailure']> | undefined;
    caller.on('signal', (data) => {
      const candidate = data.candidate as { candidate: string } | undefined;
      if (candidate && !injected) {
        const fields = candidate.candidate.split(' ');
        fields[4] = '2f0e6b8c-8a1e-4c1b-9b53-0c7d5e1a7f11.local';
        injected = tap.armFailure('addIceCandidate');
        callee.signal({ ...data, candidate: { ...candidate, candidate: fields.join(' ') } });
      }
      callee.signal(data);
    });
    callee.on('signal', (data) => caller.signal(data));
    const connected = await within(Promise.all([caller, callee].map((p) => new Promise((resolve) => p.on('connect', resolve)))), 10_000);
    const closes = [caller, callee].map((p) => new Promise<void>((resolve) => p.on('close', resolve)));
    caller.destroy();
    callee.destroy();
    await within(Promise.all(closes), 5_000);
    await sleep(100);
    return {
      connected: connected !== 'timeout',
      consumedBy: injected?.consumedBy?.index ?? null,
      pcs: indexes(pcs),
      appErrors: appErrors.length,
      ...summarize(recorder, injected ? [injected.error] : []),
    };
  },

  /** The fabric usage the shim detects for a peer with these local tracks. */
  async usage(kinds: Array<'audio' | 'video'>, attach: Attach) {
    const recorder = new RecordingCallstats();
    const stream =
      kinds.length > 0 ? await navigator.mediaDevices.getUserMedia({ audio: kinds.includes('audio'), video: kinds.includes('video') }) : undefined;
    const { peer } = createPeer(
      recorder,
      attach,
      { initiator: true, config: { iceServers: [] }, ...(stream ? { stream } : {}) },
      { conferenceID: `vendor-${++conference}`, remoteUserID: 'x' },
    );
    peer.on('error', () => {});
    peer.destroy();
    stream?.getTracks().forEach((t) => t.stop());
    await sleep(20);
    return recorder.callsOf('addNewFabric').map((c) => c.args[2] as 'data');
  },

  /**
   * When the real callstats.js adds its pc listeners, by the tap's count: right after the peer
   * is built through the hook (so inside the pc's construction, before simple-peer assigned its
   * handlers, since nothing else ran in between), and for a late attachment only after it.
   */
  async realCallstatsListeners() {
    const real = window.__shimsRealCallstats;
    if (!real) throw new Error('the harness did not load the real callstats.js');
    const recorder = new RecordingCallstats({ delegate: real });
    const conferenceID = `vendor-${++conference}`;
    const { peer: hooked } = createPeer(recorder, 'options', { initiator: true, config: { iceServers: [] } }, { conferenceID, remoteUserID: 'x' });
    const atCreation = tap.listenerCount(pcOf(hooked));
    const late = new SimplePeer({ initiator: true, config: { iceServers: [] } });
    const lateBefore = tap.listenerCount(pcOf(late));
    monitorSimplePeer(recorder, late, { conferenceID, remoteUserID: 'y' });
    const lateAfter = tap.listenerCount(pcOf(late));
    for (const peer of [hooked, late]) peer.destroy();
    await sleep(100);
    return { atCreation, lateBefore, lateAfter, statuses: recorder.calls.map((c) => `${c.method}:${c.status.status}`) };
  },

  /** The shim attached to two peers already in a call: registered late, terminated once each. */
  async attachAfterConnect() {
    const recorder = new RecordingCallstats();
    const conferenceID = `vendor-${++conference}`;
    const call = await startPair(null, conferenceID, { caller: 'instance', callee: 'instance', media: true });
    await call.established;
    const handles = [
      monitorSimplePeer(recorder, call.caller, { conferenceID, remoteUserID: 'callee' }),
      monitorSimplePeer(recorder, call.callee, { conferenceID, remoteUserID: 'caller', fabricUsage: 'audio' }),
    ];
    const monitoring = handles.map((h) => h.monitoring);
    handles[0]!.setMuted('audio', true);
    await call.hangUp();
    await sleep(100);
    return { monitoring, pcs: indexes(call.pcs), ...summarize(recorder) };
  },
};

declare global {
  interface Window {
    __simplePeerCases?: VendorCases;
  }
}

window.__simplePeerCases = cases;
