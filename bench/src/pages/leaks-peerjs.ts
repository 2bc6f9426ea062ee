// 100 real PeerJS calls on two Peers, through @shims/peerjs or without it, against a real PeerServer.
import './timers.ts';
import { monitorPeerJs, type PeerJsMonitor, type PeerJsPeer } from '@shims/peerjs';
import { Peer } from 'peerjs';
import { cycleRecordingClient, exposeBench, type ClientTally } from './common.ts';
import { liveTimers, sleep } from './timers.ts';

interface Connection {
  close(): void;
  answer?(stream: MediaStream): void;
  on(event: string, listener: (...args: never[]) => void): void;
}

interface Loop {
  caller: Peer;
  callee: Peer;
  monitors: PeerJsMonitor[];
  recording: ReturnType<typeof cycleRecordingClient>;
  stream: MediaStream;
  errors: string[];
  calls: number;
}

let loop: Loop | undefined;
let counter = 0;

function peerOptions(): object {
  const { peerServerPort } = (window.__shimsConfig ?? {}) as { peerServerPort?: number };
  return { host: '127.0.0.1', port: peerServerPort, path: '/', key: 'peerjs', secure: false, config: { iceServers: [] }, debug: 0 };
}

function opened(peer: Peer): Promise<void> {
  return peer.open ? Promise.resolve() : new Promise((resolve) => peer.on('open', () => resolve()));
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what}: nothing after ${ms} ms`)))]);
}

async function startLoop(options: { withShim: boolean }): Promise<void> {
  const recording = cycleRecordingClient();
  const tag = `${options.withShim ? 'shim' : 'bare'}-${++counter}-${Date.now().toString(36)}`;
  const caller = new Peer(`caller-${tag}`, peerOptions());
  const callee = new Peer(`callee-${tag}`, peerOptions());
  const errors: string[] = [];
  for (const peer of [caller, callee]) peer.on('error', (error: unknown) => errors.push(String(error)));
  const monitors = options.withShim
    ? [caller, callee].map((peer) => monitorPeerJs(recording.client, peer as unknown as PeerJsPeer, { conferenceID: 'bench-leaks-peerjs' }))
    : [];
  await within(Promise.all([opened(caller), opened(callee)]), 10_000, 'PeerServer open');
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  loop = { caller, callee, monitors, recording, stream, errors, calls: 0 };
}

/** One call: dial, answer with the fake microphone, both sides receive the stream, both hang up. */
async function call(current: Loop): Promise<void> {
  const incoming = new Promise<Connection>((resolve) => current.callee.once('call', resolve as never));
  const outgoing = current.caller.call(current.callee.id, current.stream) as unknown as Connection;
  const answered = await within(incoming, 10_000, 'incoming call');
  answered.answer?.(current.stream);
  await within(
    Promise.all([
      new Promise((resolve) => outgoing.on('stream', resolve as never)),
      new Promise((resolve) => answered.on('stream', resolve as never)),
    ]),
    10_000,
    'media on both sides',
  );
  const closed = Promise.all([
    new Promise((resolve) => outgoing.on('close', resolve as never)),
    new Promise((resolve) => answered.on('close', resolve as never)),
  ]);
  outgoing.close();
  answered.close();
  await within(closed, 10_000, 'close on both sides');
}

async function runCalls(options: { count: number }): Promise<number> {
  const current = loop;
  if (!current) throw new Error('startLoop first');
  for (let i = 0; i < options.count; i++) {
    await call(current);
    current.calls++;
    current.recording.endCycle();
  }
  return current.calls;
}

/** Ends the loop: monitors disposed, Peers destroyed, the microphone stopped. */
async function endLoop(): Promise<{ calls: number; tally: ClientTally; errors: string[] }> {
  const current = loop;
  if (!current) throw new Error('startLoop first');
  loop = undefined;
  for (const monitor of current.monitors) monitor.dispose();
  current.caller.destroy();
  current.callee.destroy();
  for (const track of current.stream.getTracks()) track.stop();
  await sleep(200);
  return { calls: current.calls, tally: current.recording.tally, errors: current.errors };
}

exposeBench({ startLoop, runCalls, endLoop, liveTimers });
