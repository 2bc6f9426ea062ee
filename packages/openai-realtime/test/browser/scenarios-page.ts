// The page of the openai-realtime scenarios: real sessions of @openai/agents-realtime against the
// testkit's realtime endpoint, with the shim on RecordingCallstats (or on a counting client that
// keeps no pc, for the run of twenty sessions), reported back to Node as plain data.
// No pc tap here: it would hold every pc, and so every transport, for the retention check.
import { markPageReady, RecordingCallstats } from '@shims/testkit/page';
import type { CallstatsClient } from '@shims/core';
import { OpenAIRealtimeWebRTC, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { monitorOpenAIRealtime } from '../../src/index.ts';
import { packetsOf, startSession, type AgentSession } from './openai-realtime-driver.ts';
import type { DescribedCall, ScenarioApi } from './scenarios-api.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A recorded client call as plain data: the pc as `session` (the session's pc) or `other`, errors as text. */
function describeCalls(client: RecordingCallstats, session = current): DescribedCall[] {
  return client.calls.map((call) => {
    const [pc, ...rest] = call.args;
    return {
      method: call.method,
      pc: pc === null ? null : pc === session?.pc() ? 'session' : 'other',
      rest: rest.map((arg) => (arg instanceof Error || arg instanceof DOMException ? `${arg.name}: ${arg.message}` : arg)),
    };
  });
}

const describeError = (error: unknown): string =>
  error instanceof Error || error instanceof DOMException ? `${error.name}: ${error.message}` : String(error);

/** Own function-valued properties of a pc or of navigator.mediaDevices: wrappers left behind. */
const ownFunctions = (object: object): string[] =>
  Object.getOwnPropertyNames(object).filter((name) => typeof (object as Record<string, unknown>)[name] === 'function');

let current: AgentSession | undefined;
let client: RecordingCallstats | undefined;

const api: ScenarioApi = {
  /** A session with the shim: connected, with audio both ways; returns what was seen so far. */
  async connect(baseUrl: string, conferenceID: string) {
    client = new RecordingCallstats();
    current = startSession({ baseUrl, client, conferenceID });
    await current.established;
    const pc = current.pc()!;
    // The endpoint hears the microphone once the browser has sent some packets.
    await sleep(300);
    return {
      callId: current.transport.callId,
      inbound: await packetsOf(pc, 'inbound-rtp'),
      outbound: await packetsOf(pc, 'outbound-rtp'),
      fabrics: current.monitor()!.fabrics().length,
      fabricFor: current.monitor()!.fabricFor(current.session)?.pc === pc,
      calls: describeCalls(client),
    };
  },
  /** Mutes, then unmutes, through the session; the track's state after each. */
  mute() {
    const pc = current!.pc()!;
    const enabled = () => pc.getSenders().map((s) => s.track?.enabled);
    current!.session.mute(true);
    current!.session.mute(true); // again: no second event
    const muted = enabled();
    current!.session.mute(false);
    return { muted, unmuted: enabled(), calls: describeCalls(client!) };
  },
  /** The model talks over the user and the app interrupts it: the SDK's `interrupt()`. */
  interrupt() {
    current!.session.interrupt();
    return describeCalls(client!);
  },
  /** Closes the session; what the client heard and what was left on the pc and mediaDevices. */
  async close() {
    const session = current!;
    const pc = session.pc()!;
    session.session.close();
    await session.disconnected;
    await sleep(50);
    return {
      signalingState: pc.signalingState,
      fabrics: session.monitor()!.fabrics().length,
      pcWrappers: ownFunctions(pc),
      mediaWrappers: ownFunctions(navigator.mediaDevices),
      calls: describeCalls(client!),
      appErrors: session.appErrors().map(describeError),
    };
  },
  /** The transport's 'error' events the app heard (e.g. the model's `error` event). */
  errorsHeard: [],
  listenForErrors() {
    current!.session.on('error', (event: { error: unknown }) => api.errorsHeard.push(JSON.stringify(event.error)));
  },
  /** A session against an endpoint that refuses the offer, with the shim or without. */
  async refused(baseUrl: string, conferenceID: string, withShim: boolean) {
    const recorder = withShim ? new RecordingCallstats() : null;
    const session = startSession({ baseUrl, client: recorder, conferenceID });
    let appError: unknown;
    await session.established.catch((error: unknown) => (appError = error));
    await session.disconnected;
    await sleep(50);
    const pc = session.pc()!;
    const reported = recorder?.callsOf('reportError') ?? [];
    return {
      appError: describeError(appError),
      appOutcome: session.appOutcome(),
      reportedIsAppError: reported.length === 1 && reported[0]!.args[3] === appError,
      signalingState: pc.signalingState,
      fabrics: session.monitor()?.fabrics().length ?? 0,
      pcWrappers: ownFunctions(pc),
      mediaWrappers: ownFunctions(navigator.mediaDevices),
      calls: recorder ? describeCalls(recorder, session) : [],
    };
  },
  /**
   * `count` sessions one after the other, as an app writes them: a RealtimeSession on an
   * OpenAIRealtimeWebRTC transport, the shim (on a client that counts and keeps no pc), connect,
   * close, dispose. Then, after garbage collections requested from Node over CDP (`alive`), how
   * many of the monitors (and of the transports, which Chromium keeps with or without the shim:
   * a closed pc holds its transport through the SDK's handlers) are still reachable.
   */
  async serial(baseUrl: string, count: number, withShim: boolean) {
    const tally = { addNewFabric: 0, fabricTerminated: 0, other: 0, failed: 0, fabricsLeft: 0 };
    const counting: CallstatsClient = {
      addNewFabric: () => (tally.addNewFabric++, { status: 'success' }),
      sendFabricEvent: (_pc, event) => (event === 'fabricTerminated' ? tally.fabricTerminated++ : tally.other++, { status: 'success' }),
      reportError: () => (tally.other++, { status: 'success' }),
      associateMstWithUserID: () => (tally.other++, { status: 'success' }),
    };
    let pcWrappers = 0;
    for (let i = 0; i < count; i++) {
      const transport = new OpenAIRealtimeWebRTC({ baseUrl });
      const session = new RealtimeSession(new RealtimeAgent({ name: 'assistant' }), { transport });
      const monitor = withShim ? monitorOpenAIRealtime(counting, session, { conferenceID: `serial-${i}` }) : null;
      await session.connect({ apiKey: 'ek_test_key' }).catch(() => tally.failed++);
      const pc = transport.connectionState.peerConnection;
      session.close();
      await sleep(10);
      tally.fabricsLeft += monitor?.fabrics().length ?? 0;
      pcWrappers += pc ? ownFunctions(pc).length : 0;
      monitor?.dispose();
      weak.transports.push(new WeakRef(transport));
      // The kernel's own dispose (the handle is a separate object): alive while anything holds the kernel.
      if (monitor) weak.monitors.push(new WeakRef(monitor.dispose));
    }
    return { tally, pcWrappers, mediaWrappers: ownFunctions(navigator.mediaDevices).length };
  },
  /** After `serial` and a collection: the transports and monitors still reachable; then forgets them. */
  alive() {
    const count = (refs: Array<WeakRef<object>>) => refs.filter((ref) => ref.deref() !== undefined).length;
    return { transports: count(weak.transports), monitors: count(weak.monitors) };
  },
  forget() {
    weak.transports.length = 0;
    weak.monitors.length = 0;
    current = undefined;
    client = undefined;
  },
};
const weak = { transports: [] as Array<WeakRef<object>>, monitors: [] as Array<WeakRef<object>> };

window.realtimeScenarios = api;
markPageReady();
