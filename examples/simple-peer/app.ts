// A simple-peer call between two peers in one Node process (WebRTC from @roamhq/wrtc), each
// monitored through @shims/simple-peer. The callstats.js client is the testkit's
// RecordingCallstats, which checks every call as callstats.js would and keeps a record of it:
// the script prints that record. `--check` fails unless the call went as it should.
import wrtc from '@roamhq/wrtc';
import SimplePeer from 'simple-peer';
import { monitorSimplePeer } from '@shims/simple-peer';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';

const callstats = new RecordingCallstats(); // in a real app: new callstats(), initialized
const conferenceID = 'example-room';
const config = { iceServers: [] }; // loopback only: no STUN server is asked

// The caller: the shim creates the peer from simple-peer's options, registering its pc the
// moment simple-peer builds it.
const { peer: alice } = monitorSimplePeer(
  callstats,
  { initiator: true, wrtc, config },
  {
    conferenceID,
    remoteUserID: 'bob',
    SimplePeer,
  },
);

// The callee: a peer the app made itself, monitored right after construction.
const bob = new SimplePeer({ wrtc, config });
monitorSimplePeer(callstats, bob, { conferenceID, remoteUserID: 'alice' });

// Signaling: in one process, each peer's signal goes straight to the other.
alice.on('signal', (data: unknown) => bob.signal(data));
bob.on('signal', (data: unknown) => alice.signal(data));

const message = await new Promise<string>((resolve, reject) => {
  bob.on('data', (data: Uint8Array) => resolve(String(data)));
  alice.on('connect', () => alice.send('hello, bob'));
  for (const peer of [alice, bob]) peer.on('error', reject);
  setTimeout(() => reject(new Error('the call did not connect within 10 s')), 10_000).unref();
});
console.log(`bob received: ${message}`);

// Alice hangs up; bob's peer closes by itself when the data channel does.
await new Promise<void>((resolve) => {
  bob.on('close', resolve);
  alice.destroy();
});

const pcName = new Map(callstats.fabrics.map((pc, i) => [pc, i === 0 ? "alice's pc" : "bob's pc"]));
console.log('\nWhat @shims/simple-peer told callstats.js:');
for (const { method, args, status } of callstats.calls) {
  const [pc, ...rest] = args;
  const shown = rest.map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg));
  console.log(`  ${method}(${[pcName.get(pc as object) ?? String(pc), ...shown].join(', ')}) → ${status.status}`);
}

if (process.argv.includes('--check')) {
  const added = callstats.callsOf('addNewFabric').length;
  const terminated = callstats.callsOf('sendFabricEvent').filter((c) => c.args[1] === 'fabricTerminated').length;
  const problems = [
    added !== 2 && `${added} fabrics added, not 2`,
    terminated !== 2 && `${terminated} fabricTerminated, not 2`,
    callstats.callsOf('reportError').length > 0 && 'errors were reported',
    ...callstats.violations,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`example check failed: ${problems.join('; ')}`);
  console.log('\nexample check: 2 data fabrics added, 2 terminated, nothing reported as an error or refused');
}
// @roamhq/wrtc keeps native threads alive for a while after the last pc closes.
process.exit(0);
