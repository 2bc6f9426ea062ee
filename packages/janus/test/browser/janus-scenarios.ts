// janus.js scenarios beyond the conformance suite, on the real Janus the test started: an EchoTest
// call, hangup and re-offer on one handle, a VideoRoom with two subscribers, screen share, mute
// video, a getUserMedia failure in janus.js's own capture, and a monitoring client that throws.
import { installPeerConnectionTap, markPageReady, RecordingCallstats } from '@shims/testkit/page';
import { monitorJanus } from '../../src/index.ts';
import { attach, destroySession, inboundPackets, janusReady, newSession, sleep, waitFor, type Handle, type Session } from './janus-app.ts';
import { messages, publish, subscribe } from './janus-driver.ts';

const tap = installPeerConnectionTap();
const SHIM_WRAPPED = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'close'];

/** Per pc (by the tap's index): the fabric added, to whom, for what, its events and fabricTerminated count. */
function fabricSummary(client: RecordingCallstats) {
  return client.fabrics.map((pc) => ({
    pc: tap.find(pc)?.index ?? -1,
    remote: client.callsOf('addNewFabric', pc)[0]?.args[1] as string,
    usage: client.callsOf('addNewFabric', pc)[0]?.args[2] as string,
    events: client
      .callsOf('sendFabricEvent', pc)
      .map((c) => c.args[1] as string)
      .filter((e) => e !== 'fabricTerminated'),
    terminated: client.callsOf('sendFabricEvent', pc).filter((c) => c.args[1] === 'fabricTerminated').length,
  }));
}

async function monitoredSession<C extends Parameters<typeof monitorJanus>[0] = RecordingCallstats>(
  client: C = new RecordingCallstats() as unknown as C,
  logger?: { warn(m: string): void },
) {
  await janusReady;
  const errors: string[] = [];
  const fail = (e: unknown) => errors.push(String((e as { name?: string })?.name ?? e));
  const { session, connected } = newSession(fail);
  const monitor = monitorJanus(client, session, { conferenceID: 'scenarios', ...(logger ? { logger } : {}) });
  await connected;
  return { client, session, monitor, errors, fail };
}

/** Attaches to EchoTest and starts a call with `tracks`; resolves when the answer is applied. */
async function echoCall(session: Session, fail: (e: unknown) => void, tracks: object[], callbacks: Record<string, unknown> = {}): Promise<Handle> {
  const inbox = messages();
  const handle = await attach(session, 'janus.plugin.echotest', { onmessage: inbox.onmessage, ...callbacks });
  await offerEcho(handle, inbox, fail, tracks);
  return handle;
}

async function offerEcho(handle: Handle, inbox: ReturnType<typeof messages>, fail: (e: unknown) => void, tracks: object[]): Promise<void> {
  handle.createOffer({
    tracks,
    success: (jsep: unknown) => handle.send({ message: { audio: true, video: true }, jsep }),
    error: fail,
  });
  const { jsep, msg } = await inbox.next((m) => m.jsep?.type === 'answer' || m.msg.error !== undefined, 15_000);
  if (!jsep) throw new Error(`EchoTest refused the offer: ${String(msg.error)}`);
  await new Promise<void>((resolve) => handle.handleRemoteJsep({ jsep, error: fail, success: resolve } as never));
}

/** EchoTest with the fake camera and microphone: media flows back; mute video; hang up. */
async function echoTest() {
  const { client, session, errors, fail } = await monitoredSession();
  const handle = await echoCall(session, fail, [
    { type: 'audio', capture: true, recv: true },
    { type: 'video', capture: true, recv: true },
  ]);
  const audio = await inboundPackets(handle.webrtcStuff.pc, 'audio');
  const video = await inboundPackets(handle.webrtcStuff.pc, 'video');
  handle.muteVideo();
  handle.unmuteVideo();
  handle.hangup(true);
  await sleep(300);
  const result = { audio, video, fabrics: fabricSummary(client), errors, violations: client.violations };
  await destroySession(session);
  return result;
}

/** hangup() then a new offer on the same handle: a second pc, a second fabric; oncleanup fires twice at detach. */
async function hangupAndReoffer() {
  const { client, session, errors, fail } = await monitoredSession();
  let cleanups = 0;
  const inbox = messages();
  const handle = await attach(session, 'janus.plugin.echotest', { onmessage: inbox.onmessage, oncleanup: () => cleanups++ });
  const tracks = () => [{ type: 'audio', capture: true, recv: true }];
  await offerEcho(handle, inbox, fail, tracks());
  const first = await inboundPackets(handle.webrtcStuff.pc);
  handle.hangup(true);
  await sleep(300);
  await offerEcho(handle, inbox, fail, tracks());
  const second = await inboundPackets(handle.webrtcStuff.pc);
  handle.detach();
  await sleep(300);
  const result = { first, second, cleanups, fabrics: fabricSummary(client), errors, violations: client.violations };
  await destroySession(session);
  return result;
}

/** One VideoRoom publisher and two subscribers to it (in the same session): three pcs. */
async function videoRoomTwoSubscribers() {
  const { client, session, errors, fail } = await monitoredSession();
  const pub = await publish(session, fail, [
    { type: 'audio', capture: true, recv: false },
    { type: 'video', capture: true, recv: false },
  ]);
  await pub.up;
  const subs = [await subscribe(session, fail, pub.feed), await subscribe(session, fail, pub.feed)];
  await waitFor(() => subs.every((s) => s.webrtcStuff.pc !== null), 5_000);
  const received = await Promise.all(subs.map((s) => inboundPackets(s.webrtcStuff.pc, 'video')));
  const live = fabricSummary(client).map((f) => f.terminated);
  for (const sub of subs) sub.detach();
  pub.handle.detach();
  await sleep(300);
  const result = { feed: pub.feed, received, live, fabrics: fabricSummary(client), errors, violations: client.violations };
  await destroySession(session);
  return result;
}

/**
 * janus.destroy() with a publisher and a subscriber live: with `cleanupHandles` janus.js closes the
 * pcs; without it it leaves them open, and the shim ends their fabrics. Either way, each once.
 */
async function destroyWithLiveHandles(cleanupHandles: boolean) {
  const { client, session, errors, fail } = await monitoredSession();
  const pub = await publish(session, fail, [{ type: 'audio', capture: true, recv: false }]);
  await pub.up;
  const sub = await subscribe(session, fail, pub.feed);
  await waitFor(() => sub.webrtcStuff.pc !== null, 5_000);
  const received = await inboundPackets(sub.webrtcStuff.pc);
  const pcs = [pub.handle.webrtcStuff.pc!, sub.webrtcStuff.pc!];
  await destroySession(session, cleanupHandles);
  await sleep(300);
  const closed = pcs.map((pc) => pc.signalingState === 'closed');
  pcs.forEach((pc) => pc.close());
  return { received, closed, fabrics: fabricSummary(client), errors, violations: client.violations };
}

/** A screen-share track (an app-provided canvas track, `type: 'screen'`), then removed with replaceTracks. */
async function screenShare() {
  const { client, session, errors, fail } = await monitoredSession();
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const context = canvas.getContext('2d')!;
  const timer = setInterval(() => context.fillRect(Math.random() * 300, Math.random() * 220, 20, 20), 50);
  const [screen] = canvas.captureStream(10).getVideoTracks();
  const local: string[] = [];
  const handle = await echoCall(session, fail, [{ type: 'screen', capture: screen, recv: true }], {
    onlocaltrack: (track: MediaStreamTrack, on: boolean) => local.push(`${track.kind}:${on}`),
  });
  await inboundPackets(handle.webrtcStuff.pc, 'video');
  await new Promise<void>((resolve) =>
    handle.replaceTracks!({ tracks: [{ type: 'screen', remove: true }], success: resolve, error: (e: unknown) => (fail(e), resolve()) }),
  );
  await sleep(100);
  handle.hangup(true);
  clearInterval(timer);
  await sleep(300);
  const result = { local, fabrics: fabricSummary(client), errors, violations: client.violations };
  await destroySession(session);
  return result;
}

/** janus.js's own getUserMedia fails (no such device): reported as getUserMedia; the app gets the same error. */
async function getUserMediaFails() {
  const { client, session, errors, fail } = await monitoredSession();
  const handle = await attach(session, 'janus.plugin.echotest', {});
  await new Promise<void>((resolve) =>
    handle.createOffer({
      tracks: [{ type: 'audio', capture: { deviceId: { exact: 'no-such-microphone' } }, recv: true }],
      success: () => resolve(),
      error: (e: unknown) => (fail(e), resolve()),
    }),
  );
  const reported = client.calls
    .filter((c) => c.method === 'reportError')
    .map((c) => ({ pc: c.args[0] === null ? null : 'pc', fn: c.args[2], name: (c.args[3] as { name?: string })?.name }));
  handle.detach();
  await sleep(200);
  const result = { reported, fabrics: fabricSummary(client), errors, violations: client.violations };
  await destroySession(session);
  return result;
}

/** Ten hangup/re-offer rounds on one handle: nothing the shim adds piles up, each fabric ends once. */
async function manyRounds(count: number) {
  const { client, session, errors, fail } = await monitoredSession();
  const inbox = messages();
  // Janus's `hangup` event (webrtcState false) says the server let go of the round's PeerConnection.
  let serverHungUp = (): void => {};
  const handle = await attach(session, 'janus.plugin.echotest', {
    onmessage: inbox.onmessage,
    webrtcState: (on: boolean) => on || serverHungUp(),
  });
  const patches: string[] = [];
  for (let i = 0; i < count; i++) {
    const hungUp = new Promise<void>((resolve) => (serverHungUp = resolve));
    await offerEcho(handle, inbox, fail, [{ type: 'audio', capture: true, recv: true }]).catch((e: unknown) => {
      throw new Error(`round ${i}: ${String(e)}; app errors: ${errors.join(', ')}`);
    });
    await waitFor(() => ['connected', 'completed'].includes(handle.webrtcStuff.pc?.iceConnectionState ?? ''), 5_000);
    const pc = handle.webrtcStuff.pc!;
    handle.hangup(true);
    patches.push(
      tap
        .instancePatches(pc)
        .filter((name) => SHIM_WRAPPED.includes(name))
        .join(','),
    );
    // Janus takes a new offer on the handle only once it has ended the last PeerConnection: wait
    // for its word (a fixed pause lost that race on a loaded machine), at most 5 s.
    await Promise.race([hungUp, sleep(5_000)]);
  }
  handle.detach();
  await sleep(300);
  const result = { patches, fabrics: fabricSummary(client), errors, violations: client.violations };
  await destroySession(session);
  return result;
}

/** A monitoring client that throws on every call must not change the call. */
async function brokenClient() {
  const fail = () => {
    throw new Error('monitoring client bug');
  };
  const client = { addNewFabric: fail, reportError: fail, sendFabricEvent: fail, associateMstWithUserID: fail };
  const warnings: string[] = [];
  const { session, errors, fail: appFail } = await monitoredSession(client, { warn: (m: string) => warnings.push(m) });
  const handle = await echoCall(session, appFail, [{ type: 'audio', capture: true, recv: true }]);
  const audio = await inboundPackets(handle.webrtcStuff.pc);
  handle.muteAudio();
  handle.detach();
  await sleep(200);
  await destroySession(session);
  return { audio, errors, warnings };
}

const SHIM_HANDLE_WRAPPERS = [
  'negotiateCaptured',
  'replaceTracksWatched',
  'sendWatched',
  'muteMapped',
  'localTrackWatched',
  'cleanupWatched',
  'detachWatched',
];
const shimWrappersOn = (handle: object): string[] =>
  Object.entries(handle)
    .filter(([, v]) => typeof v === 'function' && SHIM_HANDLE_WRAPPERS.includes((v as { name: string }).name))
    .map(([k]) => k)
    .sort();

/** dispose() while a handle is live: its methods are the janus.js ones again and nothing more is sent. */
async function disposeRestoresHandle() {
  const { client, session, monitor, errors, fail } = await monitoredSession();
  const handle = await echoCall(session, fail, [{ type: 'audio', capture: true, recv: true }]);
  const wrapped = shimWrappersOn(handle);
  monitor.dispose();
  const callsAtDispose = client.calls.length;
  const left = shimWrappersOn(handle);
  handle.muteAudio();
  handle.hangup(true);
  await sleep(300);
  const result = { wrapped, left, callsAfter: client.calls.length - callsAtDispose, errors };
  await destroySession(session);
  return result;
}

Object.assign(window, {
  scenarios: {
    destroyWithLiveHandles,
    echoTest,
    hangupAndReoffer,
    videoRoomTwoSubscribers,
    screenShare,
    getUserMediaFails,
    manyRounds,
    brokenClient,
    disposeRestoresHandle,
  },
});
markPageReady();
