// The page of the @shims/webrtc cases beyond the conformance suite. Each case runs in a fresh
// page of its own (libraries such as rtcstats change the page's globals for good), on top of the
// testkit's pc tap, as the conformance pages do, and returns plain data for the test.
import { capturePeerConnections, createMonitor } from '@shims/core';
import { exposeConformance, installPeerConnectionTap, pageConfig, RecordingCallstats } from '@shims/testkit/page';
import rtcstatsModule from 'rtcstats';
import { WHEPClient } from 'whip-whep/whep.js';
import { monitorPeerConnection, monitorPeerConnections } from '../../src/index.ts';
import { audioFlowing, pairDriver } from './pair-driver.ts';
import type { Recorded, ScenarioCases } from './scenario-cases.ts';

const tap = installPeerConnectionTap();
// rtcstats is CommonJS (`module.exports = function (trace, getStatsInterval, prefixesToWrap)`).
const rtcstats = rtcstatsModule as unknown as (trace: (method: string) => void, getStatsIntervalMs: number, prefixesToWrap: string[]) => void;
// The global tap with an app that awaits createOffer() and createAnswer() (the suite's page uses
// setLocalDescription() alone), for the failure cases of those two.
exposeConformance(pairDriver('global', 'explicit'), 'global-explicit');

const config: RTCConfiguration = { iceServers: [] };
const ECDSA: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function summarize(recorder: RecordingCallstats): Recorded {
  return {
    calls: recorder.calls.map((c) => {
      const [pc, a, b] = c.args;
      const what =
        c.method === 'addNewFabric' ? `${String(a)} (${String(b)})` : c.method === 'sendFabricEvent' ? a : c.method === 'reportError' ? b : null;
      return { method: c.method, pc: tap.find(pc)?.index ?? -1, what };
    }),
    violations: recorder.violations.map(String),
  };
}

/** A pc pair with audio that negotiates the modern way, closed at the end; resolves with both pcs once audio flowed. */
async function callPair(): Promise<{ caller: RTCPeerConnection; callee: RTCPeerConnection; audio: boolean }> {
  const caller = new RTCPeerConnection(config);
  const callee = new RTCPeerConnection(config);
  caller.addEventListener('icecandidate', (e) => void (e.candidate && callee.addIceCandidate(e.candidate)));
  callee.addEventListener('icecandidate', (e) => void (e.candidate && caller.addIceCandidate(e.candidate)));
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  for (const track of stream.getTracks()) caller.addTrack(track, stream);
  await caller.setLocalDescription();
  await callee.setRemoteDescription(caller.localDescription!);
  await callee.setLocalDescription();
  await caller.setRemoteDescription(callee.localDescription!);
  const audio = await audioFlowing(callee);
  stream.getTracks().forEach((t) => t.stop());
  caller.close();
  callee.close();
  return { caller, callee, audio };
}

const globals = () => ({
  RTCPeerConnection: window.RTCPeerConnection,
  webkitRTCPeerConnection: (window as { webkitRTCPeerConnection?: unknown }).webkitRTCPeerConnection,
});

const cases: ScenarioCases = {
  /** SDKs' probe pcs, built while the tap is on: PeerJS's at import, Twilio's codec probe. */
  async probes() {
    const recorder = new RecordingCallstats();
    const handle = monitorPeerConnections(recorder, { conferenceID: 'probes' });
    const before = tap.peerConnections.length;
    const peerjs = await import('peerjs');
    const supports = peerjs.util.supports;
    const peerjsProbes = tap.peerConnections.length - before;
    // Twilio's codec probe (new pc, addTransceiver, createOffer, close) runs where
    // RTCRtpSender.getCapabilities is missing: hidden for this one call.
    const util = (await import('twilio-video/es5/webrtc/util/index.js')) as unknown as {
      isCodecSupported(codec: string, kind: string): Promise<boolean>;
    };
    const getCapabilities = Object.getOwnPropertyDescriptor(RTCRtpSender, 'getCapabilities')!;
    Object.defineProperty(RTCRtpSender, 'getCapabilities', { value: undefined, configurable: true });
    let opus: boolean;
    try {
      opus = await util.isCodecSupported('opus', 'audio');
    } finally {
      Object.defineProperty(RTCRtpSender, 'getCapabilities', getCapabilities);
    }
    await sleep(200);
    const probes = tap.peerConnections
      .slice(before)
      .map((t) => ({ index: t.index, closed: t.pc.signalingState === 'closed', firstEvent: t.firstEvent?.type ?? null }));
    const counts = { peerjs: peerjsProbes, twilio: probes.length - peerjsProbes };
    // A real call afterwards is still monitored: the tap was not worn out by the probes.
    const call = await callPair();
    handle.dispose();
    return {
      peerjsSupports: { data: supports.data, audioVideo: supports.audioVideo },
      opus,
      probes,
      counts,
      audio: call.audio,
      ...summarize(recorder),
    };
  },

  /**
   * A real PeerJS 1.5.5 call (no PeerJS shim) through its PeerServer, under the tap: PeerJS's
   * probes at import, then the caller's and the callee's media pcs.
   */
  async peerjsCall() {
    const { peerServerPort } = pageConfig() as { peerServerPort: number };
    const recorder = new RecordingCallstats();
    const handle = monitorPeerConnections(recorder, { conferenceID: 'peerjs', remoteUserID: (pc) => (pc === callerPc ? 'callee' : 'caller') });
    let callerPc: RTCPeerConnection | undefined;
    const before = tap.peerConnections.length;
    const { Peer } = await import('peerjs');
    const probes = tap.peerConnections.slice(before).map((t) => t.index);
    const options = { host: '127.0.0.1', port: peerServerPort, path: '/', key: 'peerjs', secure: false, config, debug: 0 as const };
    const open = (peer: InstanceType<typeof Peer>) => new Promise<string>((resolve, reject) => (peer.on('open', resolve), peer.on('error', reject)));
    const caller = new Peer(options);
    const callee = new Peer(options);
    const [, calleeId] = await Promise.all([open(caller), open(callee)]);
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    let answered: RTCPeerConnection | undefined;
    callee.on('call', (incoming) => {
      incoming.answer(stream);
      answered = incoming.peerConnection;
    });
    const call = caller.call(calleeId, stream);
    callerPc = call.peerConnection;
    await new Promise<void>((resolve) => call.on('stream', () => resolve()));
    const audio = await audioFlowing(answered ?? call.peerConnection);
    call.close();
    await sleep(500);
    stream.getTracks().forEach((t) => t.stop());
    caller.destroy();
    callee.destroy();
    await sleep(200);
    handle.dispose();
    return { probes, audio, ...summarize(recorder) };
  },

  /** The global constructor and its statics while the tap is on, and after dispose. */
  async constructorShape() {
    const before = globals();
    const methods = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'close'] as const;
    const protoBefore = methods.map((m) => Object.getOwnPropertyDescriptor(RTCPeerConnection.prototype, m));
    const recorder = new RecordingCallstats();
    const handle = monitorPeerConnections(recorder, { conferenceID: 'shape' });
    const during = globals();
    const pc = new RTCPeerConnection(config);
    class AppPeerConnection extends RTCPeerConnection {
      hello(): string {
        return 'hello';
      }
    }
    const sub = new AppPeerConnection(config);
    const certificate = await RTCPeerConnection.generateCertificate(ECDSA);
    const withCertificate = new RTCPeerConnection({ ...config, certificates: [certificate] });
    sub.addTransceiver('audio');
    await sub.setLocalDescription();
    const shape = {
      replaced: during.RTCPeerConnection !== before.RTCPeerConnection,
      aliasReplaced: before.webkitRTCPeerConnection === undefined || during.webkitRTCPeerConnection === during.RTCPeerConnection,
      instanceOf: pc instanceof RTCPeerConnection && sub instanceof RTCPeerConnection && sub instanceof AppPeerConnection,
      subclassMethod: sub.hello(),
      prototypeKept: RTCPeerConnection.prototype === before.RTCPeerConnection.prototype,
      name: RTCPeerConnection.name,
      certificateExpires: typeof certificate.expires === 'number',
      certificateUsed: withCertificate.getConfiguration().certificates?.length === 1,
      subclassRegistered: handle.fabricFor(sub) !== undefined,
      unnegotiatedRegistered: handle.fabricFor(pc) !== undefined,
    };
    for (const p of [pc, sub, withCertificate]) p.close();
    handle.dispose();
    const after = globals();
    return {
      ...shape,
      restored: after.RTCPeerConnection === before.RTCPeerConnection && after.webkitRTCPeerConnection === before.webkitRTCPeerConnection,
      prototypeRestored: methods.every((m, i) => {
        const now = Object.getOwnPropertyDescriptor(RTCPeerConnection.prototype, m);
        return now?.value === protoBefore[i]?.value && now?.enumerable === protoBefore[i]?.enumerable;
      }),
      ...summarize(recorder),
    };
  },

  /** rtcstats (the real package) and an app's prototype patch, installed before or after the tap. */
  async coexistence(order: 'rtcstats-first' | 'tap-first') {
    const traces: string[] = [];
    const trace = (method: string) => traces.push(method);
    const proto = RTCPeerConnection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    let appPatchCalls = 0;
    const patchApp = () => {
      const original = proto.setRemoteDescription!;
      proto.setRemoteDescription = function appPatch(this: unknown, ...args: unknown[]) {
        appPatchCalls++;
        return original.apply(this, args);
      };
    };
    const recorder = new RecordingCallstats();
    let handle: ReturnType<typeof monitorPeerConnections>;
    let rtcstatsWrapper: unknown;
    if (order === 'rtcstats-first') {
      rtcstats(trace, 0, ['']);
      patchApp();
      rtcstatsWrapper = window.RTCPeerConnection;
      handle = monitorPeerConnections(recorder, { conferenceID: 'coexistence' });
    } else {
      handle = monitorPeerConnections(recorder, { conferenceID: 'coexistence' });
      rtcstats(trace, 0, ['']);
      patchApp();
      rtcstatsWrapper = window.RTCPeerConnection;
    }
    const first = await callPair();
    const tracedDuring = traces.length;
    const patchedDuring = appPatchCalls;
    handle.dispose();
    const globalAfterDispose = window.RTCPeerConnection === rtcstatsWrapper ? 'rtcstats' : 'other';
    const callsAtDispose = recorder.calls.length;
    // After dispose: every other layer still works, and nothing reaches the client.
    const second = await callPair();
    const certificate = await RTCPeerConnection.generateCertificate(ECDSA);
    return {
      audio: [first.audio, second.audio],
      fabricsDuring: recorder.calls.filter((c) => c.method === 'addNewFabric').length,
      terminatedDuring: recorder.calls.filter((c) => c.method === 'sendFabricEvent' && c.args[1] === 'fabricTerminated').length,
      callsAfterDispose: recorder.calls.length - callsAtDispose,
      rtcstatsTracedDuring: tracedDuring > 0 && traces.slice(0, tracedDuring).includes('setLocalDescription'),
      rtcstatsTracedAfter: traces.length > tracedDuring && traces.slice(tracedDuring).includes('create'),
      appPatchDuring: patchedDuring,
      appPatchAfter: appPatchCalls - patchedDuring,
      globalAfterDispose,
      instanceOf: second.caller instanceof RTCPeerConnection,
      certificate: typeof certificate.expires === 'number',
      violations: recorder.violations.map(String),
    };
  },

  /** A pc built before the tap: the app hands it over (late attachment), or monitors it alone. */
  async handOver() {
    const pc = new RTCPeerConnection(config);
    pc.addTransceiver('audio');
    await pc.setLocalDescription();
    const recorder = new RecordingCallstats();
    const handle = monitorPeerConnections(recorder, { conferenceID: 'hand-over', remoteUserID: 'bob' });
    const added = handle.addPeerConnection(pc);
    const again = handle.addPeerConnection(pc);
    // monitorPeerConnection on a pc the tap holds leaves it to the tap.
    const single = monitorPeerConnection(recorder, pc, { conferenceID: 'hand-over', remoteUserID: 'carol' });
    const singleMonitoring = single.monitoring;
    pc.close();
    handle.dispose();
    single.dispose();
    return { sameHandle: added === again && added !== undefined, singleMonitoring, ...summarize(recorder) };
  },

  /**
   * A vendor shim beside the tap: it registers its SDK's pcs at their creation, as the vendor
   * shims do (`capturePeerConnections` around the SDK step, `addFabric` at once). The tap leaves
   * those to it and registers the others.
   */
  async vendorShimBeside() {
    const tapClient = new RecordingCallstats();
    const vendorClient = new RecordingCallstats();
    const handle = monitorPeerConnections(tapClient, { conferenceID: 'beside', remoteUserID: 'tap' });
    const vendor = createMonitor({ client: vendorClient, conferenceID: 'beside', source: 'a vendor shim' });
    const sdkPc = capturePeerConnections(
      (pc) => vendor.addFabric(pc, { remoteUserID: 'vendor', fabricUsage: 'audio' }),
      () => new RTCPeerConnection(config),
    );
    const appPc = new RTCPeerConnection(config);
    for (const pc of [sdkPc, appPc]) {
      pc.addTransceiver('audio');
      await pc.setLocalDescription();
      pc.close();
    }
    handle.dispose();
    vendor.dispose();
    const tap = summarize(tapClient);
    const sdk = summarize(vendorClient);
    return {
      calls: [...tap.calls, ...sdk.calls],
      violations: [...tap.violations, ...sdk.violations],
      tapCalls: tap.calls.map((c) => `${c.method} ${String(c.what)}`),
      vendorCalls: sdk.calls.map((c) => `${c.method} ${String(c.what)}`),
    };
  },

  /** Bad arguments: a TypeError naming the argument, and nothing changed. */
  badArguments() {
    const before = window.RTCPeerConnection;
    const recorder = new RecordingCallstats();
    const attempt = (fn: () => unknown): string => {
      try {
        fn();
        return 'no error';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    const pc = new RTCPeerConnection(config);
    const results = {
      noClient: attempt(() => monitorPeerConnections({} as never, { conferenceID: 'c' })),
      noConference: attempt(() => monitorPeerConnections(recorder, {} as never)),
      badInclude: attempt(() => monitorPeerConnections(recorder, { conferenceID: 'c', include: true as never })),
      badUsage: attempt(() => monitorPeerConnections(recorder, { conferenceID: 'c', fabricUsage: 'telepathy' as never })),
      badUser: attempt(() => monitorPeerConnections(recorder, { conferenceID: 'c', remoteUserID: 42 as never })),
      noPc: attempt(() => monitorPeerConnection(recorder, {} as never, { conferenceID: 'c', remoteUserID: 'bob' })),
      noUser: attempt(() => monitorPeerConnection(recorder, pc, { conferenceID: 'c' } as never)),
      badAdd: attempt(() => {
        const handle = monitorPeerConnections(recorder, { conferenceID: 'c' });
        try {
          handle.addPeerConnection(pc, { fabricUsage: 'nope' as never });
        } finally {
          handle.dispose();
        }
      }),
    };
    pc.close();
    return { results, untouched: window.RTCPeerConnection === before, calls: recorder.calls.length };
  },

  /** Options that run app code per pc: include, remoteUserID and fabricUsage functions; one throwing. */
  async appCallbacks() {
    const recorder = new RecordingCallstats();
    const warnings: string[] = [];
    const handle = monitorPeerConnections(recorder, {
      conferenceID: 'callbacks',
      include: (_pc, configuration) => (configuration as { bundlePolicy?: string } | undefined)?.bundlePolicy !== 'max-compat',
      remoteUserID: (_pc, configuration) => {
        if ((configuration as { iceTransportPolicy?: string } | undefined)?.iceTransportPolicy === 'relay') throw new Error('app bug');
        return 'from-config';
      },
      fabricUsage: () => 'video',
      logger: { warn: (...args: unknown[]) => void warnings.push(String(args[0])) },
    });
    const excluded = new RTCPeerConnection({ ...config, bundlePolicy: 'max-compat' });
    const named = new RTCPeerConnection(config);
    const throwing = new RTCPeerConnection({ ...config, iceTransportPolicy: 'relay' });
    for (const pc of [excluded, named, throwing]) {
      pc.addTransceiver('audio');
      await pc.setLocalDescription();
      pc.close();
    }
    handle.dispose();
    return { warnings, ...summarize(recorder) };
  },

  /** A WHEP player (medooze's whip-whep) against the testkit's WHEP endpoint, under the global tap. */
  async whepPlayback(entry: 'global' | 'pc') {
    const { whepEndpoint } = pageConfig() as { whepEndpoint: string };
    const recorder = new RecordingCallstats();
    const tapHandle = entry === 'global' ? monitorPeerConnections(recorder, { conferenceID: 'whep', remoteUserID: 'whep-server' }) : undefined;
    const pc = new RTCPeerConnection(config);
    const pcHandle =
      entry === 'pc' ? monitorPeerConnection(recorder, pc, { conferenceID: 'whep', remoteUserID: 'whep-server', fabricUsage: 'audio' }) : undefined;
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const player = new WHEPClient();
    await player.view(pc, whepEndpoint);
    const audio = await audioFlowing(pc);
    let packets = 0;
    for (const stats of (await pc.getStats()).values()) if (stats.type === 'inbound-rtp') packets += stats.packetsReceived as number;
    await sleep(300); // the player's PATCH goes out on a timer
    await player.stop(); // closes the pc, then DELETE
    tapHandle?.dispose();
    pcHandle?.dispose();
    return { audio, packets, ...summarize(recorder) };
  },
};

declare global {
  interface Window {
    __webrtcCases?: ScenarioCases;
  }
}

window.__webrtcCases = cases;
