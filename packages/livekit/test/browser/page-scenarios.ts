// The scenarios page (page-scenarios.ts): the real livekit-client with the shim attached to RecordingCallstats, driven
// by scenarios.test.ts. No conformance tap here: the page records on its own, in one sequence,
// when the shim added each pc (through the client) and when the SDK first called a pc function.
import * as LivekitClient from 'livekit-client-2.23';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import type { CallstatsClient } from '@shims/core';
import { monitorLivekit, type LivekitMonitor } from '../../src/index.ts';
import { CONNECT_OPTIONS, config, remoteAudioPackets, waitFor } from './livekit-app.ts';

const { Room, RoomEvent, Track, LocalVideoTrack } = LivekitClient;
type Room = LivekitClient.Room;

/** One sequence for the shim's calls and the SDK's first pc function call per pc. */
let seq = 0;
const pcs: RTCPeerConnection[] = [];
const firstCall = new Map<RTCPeerConnection, number>();
const indexOf = (pc: RTCPeerConnection): number => {
  if (!pcs.includes(pc)) pcs.push(pc);
  return pcs.indexOf(pc);
};
const proto = RTCPeerConnection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const fn of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
  const original = proto[fn]!;
  proto[fn] = function (this: RTCPeerConnection, ...args: unknown[]) {
    if (!firstCall.has(this)) firstCall.set(this, ++seq);
    return original.apply(this, args);
  };
}

export interface ScenarioCall {
  seq: number;
  method: string;
  pc: number | null;
  /** fabric event, or `userID ssrc usage`, or the failed function. */
  detail: string;
}

const WATCHED_EVENTS = ['trackMuted', 'trackUnmuted', 'trackSubscribed', 'localTrackPublished', 'localTrackUnpublished'] as const;
const roomListeners = (room: Room): number => WATCHED_EVENTS.reduce((n, event) => n + room.listenerCount(event), 0);

interface Session {
  /** The Room's own listeners of the events the shim watches, before the shim. */
  listenersBefore: number;
  room: Room;
  client: RecordingCallstats;
  monitor: LivekitMonitor;
  calls: ScenarioCall[];
  events: string[];
}
const sessions: Session[] = [];

function recordingClient(calls: ScenarioCall[]): RecordingCallstats {
  // The delegate sees each call in order, in the page's sequence.
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
    associateMstWithUserID: record('associateMstWithUserID', (a) => `${String(a[1])} ${String(a[3])} ${String(a[4])}`),
  } as unknown as CallstatsClient;
  return new RecordingCallstats({ delegate });
}

function canvasTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  context.fillRect(0, 0, 320, 180);
  return canvas.captureStream(5).getVideoTracks()[0]!;
}

const api = {
  /** A Room with the shim, joined with `token`; the microphone published. Returns the session id. */
  async join(token: string, microphone = true): Promise<number> {
    const calls: ScenarioCall[] = [];
    const client = recordingClient(calls);
    const room = new Room();
    const listenersBefore = roomListeners(room);
    const monitor = monitorLivekit(client, room, { conferenceID: 'scenario' });
    const events: string[] = [];
    room
      .on(RoomEvent.Reconnected, () => events.push('reconnected'))
      .on(RoomEvent.SignalReconnecting, () => events.push('signalReconnecting'))
      .on(RoomEvent.Reconnecting, () => events.push('reconnecting'))
      .on(RoomEvent.Disconnected, () => events.push('disconnected'));
    sessions.push({ listenersBefore, room, client, monitor, calls, events });
    await room.connect(config().url, token, CONNECT_OPTIONS);
    if (microphone) await room.localParticipant.setMicrophoneEnabled(true);
    return sessions.length - 1;
  },
  calls: (id: number): ScenarioCall[] => sessions[id]!.calls.slice(),
  events: (id: number): string[] => sessions[id]!.events.slice(),
  violations: (id: number): string[] => sessions[id]!.client.violations.slice(),
  /** For each pc: when the shim added it, and when the SDK first called a pc function on it. */
  order: (id: number) =>
    pcs.map((pc, index) => ({
      index,
      added: sessions[id]!.calls.find((c) => c.method === 'addNewFabric' && c.pc === index)?.seq ?? null,
      firstCall: firstCall.get(pc) ?? null,
    })),
  remoteAudioPackets: (id: number) => remoteAudioPackets(sessions[id]!.room),
  async setCamera(id: number, enabled: boolean) {
    await sessions[id]!.room.localParticipant.setCameraEnabled(enabled);
  },
  async setMicrophone(id: number, enabled: boolean) {
    await sessions[id]!.room.localParticipant.setMicrophoneEnabled(enabled);
  },
  /** Publishes a canvas track as a screen share (headless Chromium has no screen), then unpublishes it. */
  async screenShare(id: number) {
    const { localParticipant } = sessions[id]!.room;
    const track = new LocalVideoTrack(canvasTrack());
    await localParticipant.publishTrack(track, { source: Track.Source.ScreenShare });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await localParticipant.unpublishTrack(track);
  },
  async leave(id: number, dispose = true) {
    const session = sessions[id]!;
    await session.room.disconnect();
    if (dispose) session.monitor.dispose();
  },
  /** Starts `connect()` and disconnects while it is under way; returns what connect() did. */
  async disconnectWhileConnecting(token: string): Promise<{ id: number; connect: string; states: string[] }> {
    const calls: ScenarioCall[] = [];
    const client = recordingClient(calls);
    const room = new Room();
    const listenersBefore = roomListeners(room);
    const monitor = monitorLivekit(client, room, { conferenceID: 'scenario' });
    sessions.push({ listenersBefore, room, client, monitor, calls, events: [] });
    const connecting = room.connect(config().url, token, CONNECT_OPTIONS).then(
      () => 'resolved',
      (error: unknown) => `rejected: ${(error as Error).name}`,
    );
    await waitFor(() => calls.some((c) => c.method === 'addNewFabric'), 5_000);
    await room.disconnect();
    const result = await connecting;
    await new Promise((resolve) => setTimeout(resolve, 300));
    monitor.dispose();
    const states = calls.filter((c) => c.method === 'addNewFabric').map((c) => pcs[c.pc!]!.signalingState);
    return { id: sessions.length - 1, connect: result, states };
  },
  /**
   * `rooms` Rooms in a row, each joined, left and its monitor disposed. Returns, per Room, its
   * fabrics added and terminated, and what the shim left on it after dispose.
   */
  async roomsInARow(tokens: string[]) {
    const results = [];
    for (const token of tokens) {
      const id = await api.join(token, false);
      const { room, calls, client, listenersBefore } = sessions[id]!;
      await api.leave(id);
      const engine = Object.getOwnPropertyDescriptor(room, 'engine');
      results.push({
        added: calls.filter((c) => c.method === 'addNewFabric').length,
        terminated: calls.filter((c) => c.detail === 'fabricTerminated').length,
        violations: client.violations.length,
        engineIsPlainField: engine !== undefined && 'value' in engine,
        listenersLeft: roomListeners(room) - listenersBefore,
      });
      // Let go of the Room, as an app does.
      sessions[id] = undefined as unknown as Session;
    }
    return results;
  },
};

(window as unknown as { livekitScenarios: typeof api }).livekitScenarios = api;
(window as unknown as { __shimsReady: boolean }).__shimsReady = true;
