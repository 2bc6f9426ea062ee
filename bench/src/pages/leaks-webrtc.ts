// Local pc pairs built through the global RTCPeerConnection, negotiated, connected and closed,
// under @shims/webrtc's global tap (monitorPeerConnections) or without it.
import './timers.ts';
import { monitorPeerConnections, type PeerConnectionsMonitor } from '@shims/webrtc';
import { cycleRecordingClient, exposeBench, pairCall, runWaves, type ClientTally, type PairLoop } from './common.ts';
import { liveTimers } from './timers.ts';

// The constructor before any tap: dispose() must put exactly this back.
const NATIVE = window.RTCPeerConnection;

interface Loop extends PairLoop {
  tap: PeerConnectionsMonitor | undefined;
}

let loop: Loop | undefined;

function startLoop(options: { withShim: boolean }): void {
  const recording = cycleRecordingClient();
  const tap = options.withShim ? monitorPeerConnections(recording.client, { conferenceID: 'bench-leaks-webrtc', remoteUserID: 'peer' }) : undefined;
  loop = { tap, recording, cycles: 0 };
}

/** Runs `count` more cycles, `parallel` calls at a time, each wave checked by its own recorder. */
function runCycles(options: { count: number; parallel: number }): Promise<number> {
  if (!loop) throw new Error('startLoop first');
  // Each call's pcs go through the global: the tap's, when installed.
  return runWaves(loop, options.count, options.parallel, () => pairCall());
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
