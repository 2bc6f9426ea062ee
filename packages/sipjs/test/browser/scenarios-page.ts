// SIP.js-specific scenarios beyond the conformance suite: answer later, hold/unhold by re-INVITE
// and mute in a real call, a remote BYE (Terminated before the pc closes), a rejected call,
// getUserMedia failing, a broken monitoring client, and many calls on one pair of UserAgents.
import { SessionState, type Session, type Web } from 'sip.js';
import { installPeerConnectionTap, markPageReady, RecordingCallstats } from '@shims/testkit/page';
import { monitorSipJs } from '../../src/index.ts';
import { AUDIO_ONLY, asShimUA, audioFlowing, call, pcOf, reached, sleep, startUA, stopUAs, uniqueUser } from './sipjs-driver.ts';

const tap = installPeerConnectionTap();
const SHIM_WRAPPED = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'close'];

function fabricSummary(client: RecordingCallstats) {
  return client.fabrics.map((pc) => ({
    pc: tap.find(pc)?.index ?? -1,
    remote: client.callsOf('addNewFabric', pc)[0]?.args[1],
    usage: client.callsOf('addNewFabric', pc)[0]?.args[2],
    events: client.callsOf('sendFabricEvent', pc).map((c) => c.args[1]),
    errors: client.callsOf('reportError', pc).map((c) => c.args[2]),
  }));
}

async function pair(client: object = new RecordingCallstats(), logger?: { warn(message: string): void }) {
  const [caller, callee] = await Promise.all([startUA(uniqueUser('alice')), startUA(uniqueUser('bob'))]);
  const options = { conferenceID: 'scenarios', outgoingFabricUsage: 'audio' as const, ...(logger ? { logger } : {}) };
  const monitors = [monitorSipJs(client as never, asShimUA(caller), options), monitorSipJs(client as never, asShimUA(callee), options)];
  return { caller, callee, monitors };
}
const nextInvitation = (ua: Awaited<ReturnType<typeof startUA>>) =>
  new Promise<Session & { accept(o?: object): Promise<void>; reject(o?: object): Promise<void> }>((resolve) => (ua.onInvite = resolve as never));

/** Re-INVITE with or without hold, as SimpleUser.hold()/unhold() do; resolves at its 200 OK. */
function setHold(session: Session, hold: boolean): Promise<void> {
  session.sessionDescriptionHandlerOptionsReInvite = { hold } as object;
  return new Promise((resolve, reject) => {
    session.invite({ requestDelegate: { onAccept: () => resolve(), onReject: () => reject(new Error('re-INVITE rejected')) } }).catch(reject);
  });
}
const setMuted = (session: Session, muted: boolean) =>
  (session.sessionDescriptionHandler as Web.SessionDescriptionHandler).enableSenderTracks(!muted);

/** The callee accepts 200 ms later; the caller holds, resumes, mutes, unmutes; the callee hangs up. */
async function fullCall() {
  const client = new RecordingCallstats();
  const { caller, callee } = await pair(client);
  const incoming = nextInvitation(callee);
  const inviter = call(caller, callee);
  void inviter.invite();
  const invitation = await incoming;
  await sleep(200);
  const fabricsBeforeAccept = client.fabrics.length;
  const accepted = invitation.accept(AUDIO_ONLY);
  const calleePcAddedAtAccept = client.fabrics.includes(pcOf(invitation)!);
  await accepted;
  await reached(inviter, SessionState.Established);
  const audio = await audioFlowing(pcOf(inviter));
  await setHold(inviter, true);
  await sleep(300);
  await setHold(inviter, false);
  await sleep(300);
  const audioAfterResume = await audioFlowing(pcOf(invitation));
  setMuted(inviter, true);
  setMuted(inviter, false);
  // At Terminated, the fabric has ended while SIP.js has not closed the pc yet.
  const callerPc = pcOf(inviter)!;
  const atTerminated = new Promise<{ terminatedSent: boolean; pcState: string }>((resolve) =>
    inviter.stateChange.addListener((state) => {
      if (state !== SessionState.Terminated) return;
      const terminatedSent = client.callsOf('sendFabricEvent', callerPc).some((c) => c.args[1] === 'fabricTerminated');
      resolve({ terminatedSent, pcState: callerPc.signalingState });
    }),
  );
  await invitation.bye(); // BYE from the callee
  const callerAtTerminated = await atTerminated;
  await reached(invitation, SessionState.Terminated);
  await sleep(300);
  const result = {
    fabricsBeforeAccept,
    calleePcAddedAtAccept,
    audio,
    audioAfterResume,
    callerAtTerminated,
    callerUser: caller.user,
    calleeUser: callee.user,
    fabrics: fabricSummary(client),
    violations: client.violations,
  };
  await stopUAs(caller, callee);
  return result;
}

/** The callee rejects the call: only the caller's pc existed. */
async function rejected() {
  const client = new RecordingCallstats();
  const { caller, callee } = await pair(client);
  const incoming = nextInvitation(callee);
  const inviter = call(caller, callee);
  void inviter.invite();
  await (await incoming).reject({ statusCode: 486 });
  await reached(inviter, SessionState.Terminated);
  await sleep(300);
  const result = { fabrics: fabricSummary(client), violations: client.violations };
  await stopUAs(caller, callee);
  return result;
}

/** getUserMedia fails inside invite(): reported once with no pc, then the session's pc ends once. */
async function getUserMediaFails() {
  const client = new RecordingCallstats();
  const { caller, callee } = await pair(client);
  const inviter = call(caller, callee, {
    sessionDescriptionHandlerOptions: { constraints: { audio: { deviceId: { exact: 'no-such-microphone' } }, video: false } },
  });
  let appError = '';
  await inviter.invite().catch((error: Error) => (appError = error.name));
  await reached(inviter, SessionState.Terminated);
  await sleep(300);
  const reported = client
    .callsOf('reportError')
    .map((c) => ({ pc: tap.find(c.args[0])?.index ?? null, fn: c.args[2], name: (c.args[3] as Error).name }));
  const result = { appError, reported, fabrics: fabricSummary(client), violations: client.violations };
  await stopUAs(caller, callee);
  return result;
}

/** A monitoring client that throws on every call must not change the call. */
async function brokenClient() {
  const fail = () => {
    throw new Error('monitoring client bug');
  };
  const client = { addNewFabric: fail, reportError: fail, sendFabricEvent: fail, associateMstWithUserID: fail };
  const warnings: string[] = [];
  const { caller, callee } = await pair(client, { warn: (message) => warnings.push(message) });
  callee.onInvite = (invitation) => void invitation.accept(AUDIO_ONLY);
  const inviter = call(caller, callee);
  void inviter.invite();
  await reached(inviter, SessionState.Established);
  const audio = await audioFlowing(pcOf(inviter));
  setMuted(inviter, true);
  await inviter.bye();
  await Promise.all([reached(inviter, SessionState.Terminated), reached(callee.invitations[0]!, SessionState.Terminated)]);
  await stopUAs(caller, callee);
  return { audio, warnings };
}

/** Many calls in a row on one pair of UserAgents: nothing the shim adds may pile up. */
async function manyCalls(count: number) {
  const client = new RecordingCallstats();
  const { caller, callee } = await pair(client);
  callee.onInvite = (invitation) => void invitation.accept(AUDIO_ONLY);
  const samples: string[] = [];
  for (let i = 0; i < count; i++) {
    const inviter = call(caller, callee);
    void inviter.invite();
    await reached(inviter, SessionState.Established);
    const pc = pcOf(inviter)!;
    await inviter.bye();
    await reached(inviter, SessionState.Terminated);
    await sleep(100);
    samples.push(
      `${tap
        .instancePatches(pc)
        .filter((name) => SHIM_WRAPPED.includes(name))
        .join(',')}|${tap.listenerCount(pc)}`,
    );
  }
  await sleep(300);
  const result = {
    samples,
    factoryIsOurs: caller.ua.configuration.sessionDescriptionHandlerFactory.name,
    fabrics: fabricSummary(client),
    violations: client.violations,
  };
  await stopUAs(caller, callee);
  return result;
}

/** dispose() puts the UserAgent's factory back. */
async function disposeRestoresFactory() {
  const ua = await startUA(uniqueUser('carol'));
  const original = ua.ua.configuration.sessionDescriptionHandlerFactory;
  const monitor = monitorSipJs(new RecordingCallstats(), asShimUA(ua), { conferenceID: 'scenarios' });
  const wrapped = ua.ua.configuration.sessionDescriptionHandlerFactory !== original;
  monitor.dispose();
  const restored = ua.ua.configuration.sessionDescriptionHandlerFactory === original;
  await stopUAs(ua);
  return { wrapped, restored };
}

Object.assign(window, { scenarios: { fullCall, rejected, getUserMediaFails, brokenClient, manyCalls, disposeRestoresFactory } });
markPageReady();
