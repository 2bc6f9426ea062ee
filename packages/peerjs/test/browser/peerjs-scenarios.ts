// PeerJS-specific scenarios beyond the conformance suite: the callee's pc, a remote hang-up,
// the remote peer leaving, destroy while connecting, and many calls on one Peer.
import { installPeerConnectionTap, markPageReady, RecordingCallstats } from '@shims/testkit/page';
import { monitorPeerJs } from '../../src/index.ts';
import { audioFlowing, once, opened, peerOptions, uniqueId, type PeerConstructor, type TestPeer } from './peerjs-driver.ts';

const tap = installPeerConnectionTap();
const SHIM_WRAPPED = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'close'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Connection = { peerConnection: RTCPeerConnection | null; close(): void; on(e: string, l: (...a: never[]) => void): void };

async function pair(Peer: PeerConstructor) {
  const client = new RecordingCallstats();
  const caller = new Peer(uniqueId('caller'), peerOptions());
  const callee = new Peer(uniqueId('callee'), peerOptions());
  const errors: string[] = [];
  for (const peer of [caller, callee]) peer.on('error', (e: unknown) => errors.push(String(e)));
  const monitors = [monitorPeerJs(client, caller, { conferenceID: 'scenarios' }), monitorPeerJs(client, callee, { conferenceID: 'scenarios' })];
  await Promise.all([opened(caller), opened(callee)]);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  return { client, caller, callee, errors, monitors, stream };
}

/** Per pc (by the tap's index): the fabrics added, to whom, and how many fabricTerminated. */
function fabricSummary(client: RecordingCallstats) {
  return client.fabrics.map((pc) => ({
    pc: tap.find(pc)?.index ?? -1,
    remote: client.callsOf('addNewFabric', pc)[0]?.args[1],
    usage: client.callsOf('addNewFabric', pc)[0]?.args[2],
    terminated: client.callsOf('sendFabricEvent', pc).filter((c) => c.args[1] === 'fabricTerminated').length,
  }));
}

/** Callee answers later (not inside the 'call' event); then the caller hangs up. */
async function answerLaterThenRemoteHangUp(Peer: PeerConstructor) {
  const { client, caller, callee, errors, stream } = await pair(Peer);
  const incoming = new Promise<Connection & { answer(s: MediaStream): void }>((resolve) => callee.on('call', resolve));
  const media = caller.call(callee.id, stream) as unknown as Connection;
  const call = await incoming;
  await sleep(200);
  const beforeAnswer = fabricSummary(client).length;
  call.answer(stream);
  const calleePcAddedAtAnswer = call.peerConnection !== null && client.fabrics.includes(call.peerConnection);
  await once(media, 'stream');
  const audio = await audioFlowing(call.peerConnection);
  const calleePc = call.peerConnection; // PeerJS drops its reference when it closes the connection
  let calleeClosed = false;
  const closed = new Promise((resolve) => call.on('close', resolve as never)).then(() => (calleeClosed = true));
  media.close();
  await Promise.race([closed, sleep(3_000)]);
  await sleep(300);
  // Read together: PeerJS closes the pc and emits 'close' in one step.
  const calleePcOpen = calleePc?.signalingState !== 'closed';
  const result = {
    beforeAnswer,
    calleePcAddedAtAnswer,
    audio,
    calleeClosed,
    calleePcOpen,
    fabrics: fabricSummary(client),
    errors,
    violations: client.violations,
  };
  caller.destroy();
  callee.destroy();
  await until(() => fabricSummary(client).every((f) => f.terminated > 0), 3_000);
  await sleep(100); // a second fabricTerminated would come in the same turn as the first
  return { ...result, afterDestroy: fabricSummary(client) };
}

/**
 * The remote peer leaves the PeerServer (destroy), then the app ends its Peer. Whether PeerJS
 * closes the caller's connection in between is PeerJS's business (1.5 does it when the server
 * relays the leave, not always; 1.4 never does): the shim's contract is that the caller's pc ends
 * with exactly one fabricTerminated, on whichever path ends it, and never while it is still open.
 */
async function remoteLeaves(Peer: PeerConstructor) {
  const { client, caller, callee, errors, stream } = await pair(Peer);
  callee.on('call', (call: { answer(s: MediaStream): void }) => call.answer(stream));
  const media = caller.call(callee.id, stream) as unknown as Connection;
  await once(media, 'stream');
  const callerPc = media.peerConnection; // PeerJS drops its reference when it closes the connection
  let callerClosed = false;
  const closed = new Promise((resolve) => media.on('close', resolve as never)).then(() => (callerClosed = true));
  callee.destroy();
  await Promise.race([closed, sleep(8_000)]);
  // Read together: PeerJS closes the pc and emits 'close' in one step.
  const beforeDestroy = { callerPcOpen: callerPc?.signalingState !== 'closed', fabrics: fabricSummary(client) };
  caller.destroy();
  await until(() => fabricSummary(client).every((f) => f.terminated > 0), 3_000);
  await sleep(100); // a second fabricTerminated would come in the same turn as the first
  return { callerClosed, beforeDestroy, fabrics: fabricSummary(client), errors, violations: client.violations };
}

/** Waits until `condition` holds, polling every 20 ms, or the deadline passes. */
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** destroy() right after call(), before anything connected. */
async function destroyWhileConnecting(Peer: PeerConstructor) {
  const { client, caller, callee, errors, stream } = await pair(Peer);
  let thrown: string | null = null;
  try {
    caller.call(callee.id, stream);
    caller.destroy();
  } catch (error) {
    thrown = String(error);
  }
  await sleep(1_000);
  const result = { thrown, fabrics: fabricSummary(client), errors, violations: client.violations };
  callee.destroy();
  return result;
}

/** 20 calls in a row on one pair of Peers: nothing the shim adds may pile up. */
async function manyCalls(Peer: PeerConstructor, count: number) {
  const { client, caller, callee, stream } = await pair(Peer);
  callee.on('call', (call: { answer(s: MediaStream): void }) => call.answer(stream));
  const listeners = (peer: TestPeer) => ['close', 'call', 'connection', 'error', 'open', 'disconnected'].map((e) => peer.listenerCount?.(e) ?? -1);
  const samples: Array<Array<number | string>> = [];
  for (let i = 0; i < count; i++) {
    const media = caller.call(callee.id, stream) as unknown as Connection;
    await once(media, 'stream');
    const pc = media.peerConnection!;
    const closed = new Promise((resolve) => media.on('close', resolve));
    media.close();
    await Promise.race([closed, sleep(5_000)]);
    // Only the shim's own wrappers count: webrtc-adapter keeps `_ontrack`-style fields on the pc.
    const wrappers = tap.instancePatches(pc).filter((name) => SHIM_WRAPPED.includes(name));
    samples.push([...listeners(caller), ...listeners(callee), wrappers.join(',')]);
  }
  // The callee side of a media call closes when PeerJS tells it (1.5, not always) or never (1.4);
  // destroying the Peers ends whatever is left, each fabric exactly once.
  caller.destroy();
  callee.destroy();
  await sleep(300);
  return { samples, fabrics: fabricSummary(client), violations: client.violations };
}

/** A monitoring client that throws on every call must not change the call. */
async function brokenClient(Peer: PeerConstructor) {
  const fail = () => {
    throw new Error('monitoring client bug');
  };
  const client = { addNewFabric: fail, reportError: fail, sendFabricEvent: fail, associateMstWithUserID: fail };
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) };
  const caller = new Peer(uniqueId('caller'), peerOptions());
  const callee = new Peer(uniqueId('callee'), peerOptions());
  const errors: string[] = [];
  for (const peer of [caller, callee]) {
    peer.on('error', (e: unknown) => errors.push(String(e)));
    monitorPeerJs(client, peer, { conferenceID: 'broken', logger });
  }
  await Promise.all([opened(caller), opened(callee)]);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  callee.on('call', (call: { answer(s: MediaStream): void }) => call.answer(stream));
  const received = new Promise((resolve) => callee.on('connection', (c: Connection) => c.on('data', resolve)));
  const media = caller.call(callee.id, stream) as unknown as Connection;
  await once(media, 'stream');
  const audio = await audioFlowing(media.peerConnection);
  const data = caller.connect(callee.id) as unknown as Connection & { send(d: unknown): void };
  await once(data, 'open');
  data.send('still works');
  const message = await Promise.race([received, sleep(5_000).then(() => null)]);
  caller.destroy();
  callee.destroy();
  return { audio, message, errors, warnings };
}

export function installScenarios(Peer: PeerConstructor): void {
  Object.assign(window, {
    scenarios: {
      answerLaterThenRemoteHangUp: () => answerLaterThenRemoteHangUp(Peer),
      remoteLeaves: () => remoteLeaves(Peer),
      destroyWhileConnecting: () => destroyWhileConnecting(Peer),
      manyCalls: (count: number) => manyCalls(Peer, count),
      brokenClient: () => brokenClient(Peer),
    },
  });
  markPageReady();
}
