// A WHEP player (medooze's whip-whep) plays a stream from a WHEP endpoint, in one Node process
// (WebRTC from @roamhq/wrtc, installed as the global RTCPeerConnection as a browser has it).
// The app never hands its pc to the shim: @shims/webrtc's global tap registers every pc the
// page builds. The callstats.js client is the testkit's RecordingCallstats, which checks every
// call as callstats.js would and keeps a record: the script prints it. `--check` fails unless the
// playback went as it should.
import wrtc from '@roamhq/wrtc';
import { monitorPeerConnections } from '@shims/webrtc';
import { startWhepServer } from '@shims/testkit';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { WHEPClient } from 'whip-whep/whep.js';

// What a browser page has; in Node, @roamhq/wrtc's class.
(globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection = wrtc.RTCPeerConnection;

const whep = await startWhepServer(); // a WHEP endpoint sending a 440 Hz tone
const callstats = new RecordingCallstats(); // in a real app: new callstats(), initialized

// The one line: every pc built from now on is registered at its first negotiation.
const monitoring = monitorPeerConnections(callstats, { conferenceID: 'example-stream', remoteUserID: 'whep-server' });

// The app's player, unchanged.
const pc = new RTCPeerConnection({ iceServers: [] });
pc.addTransceiver('audio', { direction: 'recvonly' });
const player = new WHEPClient();
await player.view(pc, whep.endpoint);

let packets = 0;
for (let tries = 0; tries < 100 && packets === 0; tries++) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  (await pc.getStats()).forEach((s: { type: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp') packets = s.packetsReceived ?? 0;
  });
}
console.log(`the player received ${packets} audio packets`);

await player.stop(); // closes the pc (one fabricTerminated), then DELETEs the WHEP resource
monitoring.dispose(); // the global constructor is back as it was
const [session] = whep.sessions();
console.log(`the WHEP endpoint saw ${session?.patches ?? 0} trickle PATCH request(s), DELETE: ${String(session?.deleted)}`);
await whep.close();

console.log('\nWhat @shims/webrtc told callstats.js:');
for (const { method, args, status } of callstats.calls) {
  const [, ...rest] = args;
  const shown = rest.map((arg) => (typeof arg === 'string' ? arg : typeof arg));
  console.log(`  ${method}(the player's pc, ${shown.join(', ')}) → ${status.status}`);
}

if (process.argv.includes('--check')) {
  const added = callstats.callsOf('addNewFabric').length;
  const terminated = callstats.callsOf('sendFabricEvent').filter((c) => c.args[1] === 'fabricTerminated').length;
  const problems = [
    packets === 0 && 'no audio packets arrived',
    added !== 1 && `${added} fabrics added, not 1`,
    terminated !== 1 && `${terminated} fabricTerminated, not 1`,
    callstats.callsOf('reportError').length > 0 && 'errors were reported',
    session?.deleted !== true && 'the WHEP resource was not deleted',
    globalThis.RTCPeerConnection !== wrtc.RTCPeerConnection && 'the global constructor was not restored',
    ...callstats.violations,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`example check failed: ${problems.join('; ')}`);
  console.log('\nexample check: audio arrived, 1 audio fabric added and terminated, nothing reported as an error or refused, the global restored');
}
// @roamhq/wrtc keeps native threads alive for a while after the last pc closes.
process.exit(0);
