// JsSIP-specific scenarios beyond the conformance suite: answer later, hold/unhold and mute in a
// real call, a remote BYE, a rejected call, getUserMedia failing, a broken monitoring client,
// and many calls on one pair of UAs.
import { installPeerConnectionTap, markPageReady, RecordingCallstats } from '@shims/testkit/page';
import { monitorJsSip } from '../../src/index.ts';
import { asShimUA, audioFlowing, callOptions, DOMAIN, endOf, sleep, startUA, stopUAs, uniqueUser, type Session, type UA } from './jssip-driver.ts';

const tap = installPeerConnectionTap();
const SHIM_WRAPPED = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'close'];

/** Per fabric, in the order added: its pc (tap index), remote user, usage, events and errors. */
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
  const callerUser = uniqueUser('alice');
  const calleeUser = uniqueUser('bob');
  const [caller, callee] = await Promise.all([startUA(callerUser), startUA(calleeUser)]);
  const options = { conferenceID: 'scenarios', outgoingFabricUsage: 'audio' as const, ...(logger ? { logger } : {}) };
  const monitors = [monitorJsSip(client as never, asShimUA(caller), options), monitorJsSip(client as never, asShimUA(callee), options)];
  const incoming = new Promise<Session>((resolve) =>
    callee.on('newRTCSession', (e: { originator: string; session: Session }) => {
      if (e.originator === 'remote') resolve(e.session);
    }),
  );
  const call = (extra: object = {}) => caller.call(`sip:${calleeUser}@${DOMAIN}`, callOptions(extra));
  return { caller, callee, callerUser, calleeUser, monitors, incoming, call };
}

const confirmedOf = (session: Session) => new Promise<void>((resolve) => session.once('confirmed', () => resolve()));
const done = (run: (cb: () => void) => unknown) => new Promise<void>((resolve) => run(resolve));

/** The callee answers 200 ms later; the caller holds, resumes, mutes, unmutes; the callee hangs up. */
async function fullCall() {
  const client = new RecordingCallstats();
  const { caller, callee, callerUser, calleeUser, incoming, call } = await pair(client);
  const outgoing = call();
  const session = await incoming;
  await sleep(200);
  const fabricsBeforeAnswer = client.fabrics.length;
  session.answer(callOptions());
  const calleePcAddedAtAnswer = client.fabrics.includes(session.connection);
  await confirmedOf(outgoing);
  const audio = await audioFlowing(outgoing.connection);
  await done((cb) => outgoing.hold({}, cb));
  const heldBothSides = { local: outgoing.isOnHold().local, remote: session.isOnHold().remote };
  await done((cb) => outgoing.unhold({}, cb));
  const audioAfterResume = await audioFlowing(session.connection);
  outgoing.mute({ audio: true });
  outgoing.unmute({ audio: true });
  const ends = Promise.all([endOf(outgoing), endOf(session)]);
  session.terminate(); // BYE from the callee
  const how = await ends;
  await sleep(200);
  const result = {
    fabricsBeforeAnswer,
    calleePcAddedAtAnswer,
    audio,
    heldBothSides,
    audioAfterResume,
    how,
    callerUser,
    calleeUser,
    fabrics: fabricSummary(client),
    violations: client.violations,
  };
  await stopUAs(caller, callee);
  return result;
}

/** The callee rejects the call before answering: only the caller's pc existed. */
async function rejected() {
  const client = new RecordingCallstats();
  const { caller, callee, incoming, call } = await pair(client);
  const outgoing = call();
  const session = await incoming;
  const ends = Promise.all([endOf(outgoing), endOf(session)]);
  session.terminate({ status_code: 486 });
  const how = await ends;
  await sleep(200);
  const result = { how, fabrics: fabricSummary(client), violations: client.violations };
  await stopUAs(caller, callee);
  return result;
}

/** getUserMedia fails inside ua.call(): reported for the session's pc, which then ends once. */
async function getUserMediaFails() {
  const client = new RecordingCallstats();
  const { caller, callee, call } = await pair(client);
  const appErrors: string[] = [];
  const outgoing = call({ mediaConstraints: { audio: { deviceId: { exact: 'no-such-microphone' } }, video: false } });
  outgoing.on('getusermediafailed', (error: unknown) => appErrors.push((error as Error).name));
  const how = await endOf(outgoing);
  await sleep(200);
  const reported = client
    .callsOf('reportError')
    .map((c) => ({ pc: tap.find(c.args[0])?.index ?? null, fn: c.args[2], name: (c.args[3] as Error).name }));
  const result = { how, appErrors, reported, fabrics: fabricSummary(client), violations: client.violations };
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
  const { caller, callee, incoming, call } = await pair(client, { warn: (message) => warnings.push(message) });
  const outgoing = call();
  (await incoming).answer(callOptions());
  await confirmedOf(outgoing);
  const audio = await audioFlowing(outgoing.connection);
  outgoing.mute({ audio: true });
  const ended = endOf(outgoing);
  outgoing.terminate();
  const how = await ended;
  await stopUAs(caller, callee);
  return { audio, how, warnings };
}

/** Many calls in a row on one pair of UAs: nothing the shim adds may pile up. */
async function manyCalls(count: number) {
  const client = new RecordingCallstats();
  const { caller, callee, call } = await pair(client);
  callee.on('newRTCSession', (e: { originator: string; session: Session }) => {
    if (e.originator === 'remote') e.session.answer(callOptions());
  });
  const listeners = (ua: UA) => ['newRTCSession', 'connected', 'disconnected'].map((e) => ua.listenerCount(e));
  const samples: Array<Array<number | string>> = [];
  for (let i = 0; i < count; i++) {
    const outgoing = call();
    await confirmedOf(outgoing);
    const pc = outgoing.connection;
    const ended = endOf(outgoing);
    outgoing.terminate();
    await ended;
    const wrappers = tap.instancePatches(pc).filter((name) => SHIM_WRAPPED.includes(name));
    samples.push([...listeners(caller), ...listeners(callee), outgoing.listenerCount('ended'), wrappers.join(',')]);
  }
  await sleep(300);
  const result = { samples, fabrics: fabricSummary(client), violations: client.violations };
  await stopUAs(caller, callee);
  return result;
}

Object.assign(window, { scenarios: { fullCall, rejected, getUserMediaFails, brokenClient, manyCalls } });
markPageReady();
