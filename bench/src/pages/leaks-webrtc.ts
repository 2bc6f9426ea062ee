// Local pc pairs built through the global RTCPeerConnection, negotiated, connected and closed,
// under @shims/webrtc's global tap (monitorPeerConnections) or without it.
import './timers.ts';
import { monitorPeerConnections, type PeerConnectionsMonitor } from '@shims/webrtc';
import { connectPair, cycleRecordingClient, exposeBench, type ClientTally } from './common.ts';
import { liveTimers } from './timers.ts';

// The constructor before any tap: dispose() must put exactly this back.
const NATIVE = window.RTCPeerConnection;

interface Loop {
  tap: PeerConnectionsMonitor | undefined;
  recording: ReturnType<typeof cycleRecordingClient>;
  cycles: number;
}

let loop: Loop | undefined;

function startLoop(options: { withShim: boolean }): void {
  const recording = cycleRecordingClient();
  const tap = options.withShim ? monitorPeerConnections(recording.client, { conferenceID: 'bench-leaks-webrtc', remoteUserID: 'peer' }) : undefined;
  loop = { tap, recording, cycles: 0 };
}

/** One call: two pcs built through the global (the tap's, when installed), connected, both closed. */
async function cycle(): Promise<void> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.createDataChannel('call');
  try {
    await connectPair(a, b);
  } finally {
    a.close();
    b.close();
  }
}

/** Runs `count` more cycles, `parallel` calls at a time, each wave checked by its own recorder. */
async function runCycles(options: { count: number; parallel: number }): Promise<number> {
  const current = loop;
  if (!current) throw new Error('startLoop first');
  for (let done = 0; done < options.count; done += options.parallel) {
    const wave = Math.min(options.parallel, options.count - done);
    await Promise.all(Array.from({ length: wave }, () => cycle()));
    current.cycles += wave;
    current.recording.endCycle();
  }
  return current.cycles;
}

/** Ends the loop: the tap is disposed, and the global must be the page's own constructor again. */
function endLoop(): { cycles: number; tally: ClientTally } {
  const current = loop;
  if (!current) throw new Error('startLoop first');
  current.tap?.dispose();
  loop = undefined;
  const tally = current.recording.tally;
  if (window.RTCPeerConnection !== NATIVE) tally.violations.push('the global RTCPeerConnection was not restored at dispose()');
  return { cycles: current.cycles, tally };
}

exposeBench({ startLoop, runCycles, endLoop, liveTimers });
