// The scenarios page: the real amazon-chime-sdk-js with the shim attached to RecordingCallstats,
// driven by scenarios.test.ts. No conformance tap here: the page records on its own, in one
// sequence, when the shim added each pc (through the client) and when the SDK first called a pc
// function on it.
import type { CallstatsClient } from '@shims/core';
import type { ChimeJoinInfo } from '@shims/testkit';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorAmazonChime, type AmazonChimeMonitor } from '../../src/index.ts';
import { createSession, pageSdk, remoteAudioPackets, started, stopSession, type MeetingSession } from './chime-app.ts';

/** One sequence for the shim's calls and the SDK's first pc function call per pc. */
let seq = 0;
const pcs: RTCPeerConnection[] = [];
const firstCall = new Map<RTCPeerConnection, number>();
const indexOf = (pc: RTCPeerConnection): number => {
  if (!pcs.includes(pc)) pcs.push(pc);
  return pcs.indexOf(pc);
};

export interface ScenarioCall {
  seq: number;
  method: string;
  pc: number | null;
  /** fabric event, or `userID usage`, or the failed function. */
  detail: string;
}

interface Session {
  session: MeetingSession;
  client: RecordingCallstats;
  monitor: AmazonChimeMonitor;
  calls: ScenarioCall[];
  /** How many observers the shim added to the SDK's controllers. */
  observersAdded: number;
}
const sessions: Array<Session | undefined> = [];
const at = (id: number): Session => sessions[id]!;

function recordingClient(calls: ScenarioCall[]): RecordingCallstats {
  const record =
    (method: string, detail: (args: unknown[]) => string) =>
    (...args: unknown[]) => {
      const pc = args[0] as RTCPeerConnection | null;
      calls.push({ seq: ++seq, method, pc: pc ? indexOf(pc) : null, detail: detail(args) });
      return { status: 'success' as const };
    };
  const delegate = {
    addNewFabric: record('addNewFabric', (a) => `${String(a[1])} ${String(a[2])}`),
    sendFabricEvent: record('sendFabricEvent', (a) => String(a[1])),
    reportError: record('reportError', (a) => String(a[2])),
    associateMstWithUserID: record('associateMstWithUserID', (a) => `${String(a[1])} ${String(a[4])}`),
  } as unknown as CallstatsClient;
  return new RecordingCallstats({ delegate });
}

/** What the SDK's controllers hold of observers (internals: only read here, to prove the shim's are gone). */
function observers(session: MeetingSession): number {
  const internals = session as unknown as {
    audioVideoController: { observerQueue: Set<unknown> };
    contentShareController: { observerQueue: Set<unknown> };
  };
  return internals.audioVideoController.observerQueue.size + internals.contentShareController.observerQueue.size;
}

/** Whether the fields the shim turns into accessors are plain data fields again. */
function plainFields(session: MeetingSession): boolean {
  const controller = (session as unknown as { audioVideoController: { meetingSessionContext: object } }).audioVideoController;
  const plain = (target: object, name: string) => 'value' in (Object.getOwnPropertyDescriptor(target, name) ?? {});
  return plain(controller, 'meetingSessionContext') && plain(controller.meetingSessionContext, 'peer');
}

function canvasStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const timer = setInterval(() => context.fillRect(0, 0, ++frame % 320, 180), 100);
  const stream = canvas.captureStream(5);
  stream.getVideoTracks()[0]!.addEventListener('ended', () => clearInterval(timer));
  return stream;
}

const observed = (session: MeetingSession, callback: 'contentShareDidStart' | 'contentShareDidStop'): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    const observer = {
      [callback]: () => {
        clearTimeout(timer);
        session.audioVideo.removeContentShareObserver(observer);
        resolve(true);
      },
    };
    session.audioVideo.addContentShareObserver(observer);
  });

/** What scenarios.test.ts calls in the page (`window.chimeScenarios`). */
export interface ChimeScenarios {
  join(join: ChimeJoinInfo): Promise<number>;
  calls(id: number): ScenarioCall[];
  violations(id: number): string[];
  order(id: number): Array<{ index: number; added: number | null; firstCall: number | null }>;
  remoteAudioPackets(id: number): Promise<number>;
  tiles(id: number): string[];
  mute(id: number, muted: boolean): void;
  camera(id: number, on: boolean): Promise<void>;
  contentShare(id: number): Promise<{ started: boolean; stopped: boolean }>;
  leave(id: number, dispose?: boolean): Promise<number>;
  sessionsInARow(
    joins: ChimeJoinInfo[],
  ): Promise<Array<{ added: number; terminated: number; violations: number; observersLeft: number; plainFields: boolean }>>;
}

const api: ChimeScenarios = {
  /** A session with the shim, started (the microphone captured by the SDK). Returns its id. */
  async join(join: ChimeJoinInfo): Promise<number> {
    const sdk = pageSdk();
    const calls: ScenarioCall[] = [];
    const client = recordingClient(calls);
    const session = createSession(sdk, join);
    const before = observers(session);
    const monitor = monitorAmazonChime(client, session, { conferenceID: join.meetingId });
    sessions.push({ session, client, monitor, calls, observersAdded: observers(session) - before });
    await session.audioVideo.startAudioInput('default');
    const up = started(sdk, session);
    session.audioVideo.start();
    await up;
    return sessions.length - 1;
  },
  calls: (id: number): ScenarioCall[] => at(id).calls.slice(),
  violations: (id: number): string[] => at(id).client.violations.slice(),
  /** For each pc: when the shim added it, and when the SDK first called a pc function on it. */
  order: (id) =>
    pcs.map((pc, index) => ({
      index,
      added: at(id).calls.find((c) => c.method === 'addNewFabric' && c.pc === index)?.seq ?? null,
      firstCall: firstCall.get(pc) ?? null,
    })),
  remoteAudioPackets: (id: number) => remoteAudioPackets(at(id).session),
  /** Remote tiles the SDK shows: `<externalUserId> <camera|content>`. */
  tiles: (id: number): string[] =>
    at(id)
      .session.audioVideo.getAllRemoteVideoTiles()
      .map((tile) => tile.state())
      .filter((state) => state.boundVideoStream)
      .map((state) => `${state.boundExternalUserId} ${state.isContent ? 'content' : 'camera'}`)
      .sort(),
  mute(id: number, muted: boolean) {
    if (muted) at(id).session.audioVideo.realtimeMuteLocalAudio();
    else at(id).session.audioVideo.realtimeUnmuteLocalAudio();
  },
  async camera(id: number, on: boolean) {
    const { audioVideo } = at(id).session;
    if (on) {
      await audioVideo.startVideoInput(await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 180 } }));
      audioVideo.startLocalVideoTile();
    } else {
      audioVideo.stopLocalVideoTile();
    }
  },
  /** Shares a canvas (headless Chromium has no screen) until the SDK says it started, then stops. */
  async contentShare(id: number): Promise<{ started: boolean; stopped: boolean }> {
    const { session } = at(id);
    const didStart = observed(session, 'contentShareDidStart');
    await session.audioVideo.startContentShare(canvasStream());
    const startedShare = await didStart;
    const didStop = observed(session, 'contentShareDidStop');
    session.audioVideo.stopContentShare();
    return { started: startedShare, stopped: await didStop };
  },
  /** Stops the session, then disposes the monitor; returns how many observers the dispose removed. */
  async leave(id: number, dispose = true): Promise<number> {
    const { session, monitor } = at(id);
    await stopSession(session);
    await session.audioVideo.stopAudioInput();
    await session.audioVideo.stopVideoInput();
    const before = observers(session);
    if (dispose) monitor.dispose();
    return before - observers(session);
  },
  /**
   * `joins.length` sessions in a row, each started, stopped and its monitor disposed. Returns, per
   * session, its fabrics added and terminated, and what the shim left on it after dispose.
   */
  async sessionsInARow(joins) {
    const results = [];
    for (const join of joins) {
      const id = await api.join(join);
      const { session, calls, client, observersAdded } = at(id);
      const observersRemoved = await api.leave(id);
      results.push({
        added: calls.filter((c) => c.method === 'addNewFabric').length,
        terminated: calls.filter((c) => c.detail === 'fabricTerminated').length,
        violations: client.violations.length,
        observersLeft: observersAdded - observersRemoved,
        plainFields: plainFields(session),
      });
      await session.destroy();
      // Let go of the session, as an app does.
      sessions[id] = undefined;
    }
    return results;
  },
};

/** Called by the entry chime-bundle.ts writes, once the SDK is in place. */
export function main(): void {
  // The SDK's first call of a pc function on each pc, in the same sequence as the shim's calls.
  const proto = RTCPeerConnection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const fn of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
    const original = proto[fn]!;
    proto[fn] = function (this: RTCPeerConnection, ...args: unknown[]) {
      if (!firstCall.has(this)) firstCall.set(this, ++seq);
      return original.apply(this, args);
    };
  }
  (window as unknown as { chimeScenarios: ChimeScenarios }).chimeScenarios = api;
  (window as unknown as { __shimsReady: boolean }).__shimsReady = true;
}
