// 1,000 set-up/hang-up cycles of a real local pc pair, through @shims/core or without it.
import './timers.ts';
import { createMonitor, type Monitor } from '@shims/core';
import { cycleRecordingClient, exposeBench, pairCall, runWaves, type ClientTally, type PairLoop } from './common.ts';
import { liveTimers } from './timers.ts';

interface Loop extends PairLoop {
  withShim: boolean;
  monitor: Monitor | undefined;
}

let loop: Loop | undefined;

function startLoop(options: { withShim: boolean }): void {
  const recording = cycleRecordingClient();
  const monitor = options.withShim ? createMonitor({ client: recording.client, conferenceID: 'bench-leaks-core' }) : undefined;
  loop = { withShim: options.withShim, monitor, recording, cycles: 0 };
}

/** One call: two pcs registered (with the shim), offer/answer, connected, both hung up. */
async function cycle(current: Loop, index: number): Promise<void> {
  await pairCall((a, b) => {
    current.monitor?.addFabric(a, { remoteUserID: `callee-${index}` });
    current.monitor?.addFabric(b, { remoteUserID: `caller-${index}` });
  });
}

/** Runs `count` more cycles, `parallel` calls at a time (a wave), each wave checked by its own recorder. */
function runCycles(options: { count: number; parallel: number }): Promise<number> {
  const current = loop;
  if (!current) throw new Error('startLoop first');
  return runWaves(current, options.count, options.parallel, (index) => cycle(current, index));
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
