// 1,000 set-up/hang-up cycles of a real local pc pair, through @shims/core or without it.
import './timers.ts';
import { createMonitor, type Monitor } from '@shims/core';
import { connectPair, cycleRecordingClient, exposeBench, type ClientTally } from './common.ts';
import { liveTimers } from './timers.ts';

interface Loop {
  withShim: boolean;
  monitor: Monitor | undefined;
  recording: ReturnType<typeof cycleRecordingClient>;
  cycles: number;
}

let loop: Loop | undefined;

function startLoop(options: { withShim: boolean }): void {
  const recording = cycleRecordingClient();
  const monitor = options.withShim ? createMonitor({ client: recording.client, conferenceID: 'bench-leaks-core' }) : undefined;
  loop = { withShim: options.withShim, monitor, recording, cycles: 0 };
}

/** One call: two pcs registered (with the shim), offer/answer, connected, both hung up. */
async function cycle(current: Loop, index: number): Promise<void> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  current.monitor?.addFabric(a, { remoteUserID: `callee-${index}` });
  current.monitor?.addFabric(b, { remoteUserID: `caller-${index}` });
  a.createDataChannel('call');
  try {
    await connectPair(a, b);
  } finally {
    a.close();
    b.close();
  }
}

/** Runs `count` more cycles, `parallel` calls at a time (a wave), each wave checked by its own recorder. */
async function runCycles(options: { count: number; parallel: number }): Promise<number> {
  const current = loop;
  if (!current) throw new Error('startLoop first');
  for (let done = 0; done < options.count; done += options.parallel) {
    const wave = Math.min(options.parallel, options.count - done);
    await Promise.all(Array.from({ length: wave }, (_, i) => cycle(current, current.cycles + i)));
    current.cycles += wave;
    current.recording.endCycle();
  }
  return current.cycles;
}

/** Ends the loop: the monitor is disposed (the app is done with it); returns what the recorders saw. */
function endLoop(): { cycles: number; tally: ClientTally } {
  const current = loop;
  if (!current) throw new Error('startLoop first');
  current.monitor?.dispose();
  loop = undefined;
  return { cycles: current.cycles, tally: current.recording.tally };
}

exposeBench({ startLoop, runCycles, endLoop, liveTimers });
