// A fake peerconnection (Step 1-bis) under the real callstats.js polling: how often the source is asked.
import './timers.ts';
import { createFakePeerConnection, createMonitor } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { connectPair, exposeBench } from './common.ts';
import { sleep } from './timers.ts';

async function callstatsReady(timeoutMs: number): Promise<string> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const init = (window as unknown as { __shimsCallstatsInit?: { status: string } }).__shimsCallstatsInit;
    if (init) return init.status;
    if (performance.now() > until) return 'no answer';
    await sleep(50);
  }
}

async function polling(options: { idleMs: number; monitoredMs: number; afterMs: number }) {
  // Nobody asks: a fake pc must not poll its source by itself.
  let idleSourceCalls = 0;
  const idle = createFakePeerConnection({ getStats: () => (idleSourceCalls++, []) });
  idle.update({ iceConnectionState: 'connected', connectionState: 'connected' });
  await sleep(options.idleMs);
  idle.close();

  const real = window.__shimsRealCallstats;
  if (!real) throw new Error('no real callstats.js in the page');
  const initStatus = await callstatsReady(10_000);
  // The SDK's stats come from a real, connected pc, as an SDK's own stats API would give them.
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.createDataChannel('sdk');
  await connectPair(a, b);

  let sourceCalls = 0;
  const fake = createFakePeerConnection({ getStats: () => (sourceCalls++, a.getStats()) });
  let clientCalls = 0;
  const getStats = fake.pc.getStats.bind(fake.pc);
  Object.defineProperty(fake.pc, 'getStats', { value: () => (clientCalls++, getStats()), configurable: true });
  const client = new RecordingCallstats({ delegate: real });
  const monitor = createMonitor({ client, conferenceID: 'bench-fake-pc' });
  const fabric = monitor.addFabric(fake.pc, { remoteUserID: 'sdk-remote', wrapMethods: false });
  fake.update({
    signalingState: 'stable',
    iceGatheringState: 'complete',
    localDescription: a.localDescription,
    remoteDescription: a.remoteDescription,
  });
  fake.update({ iceConnectionState: 'checking', connectionState: 'connecting' });
  fake.update({ iceConnectionState: 'connected', connectionState: 'connected' });
  await sleep(options.monitoredMs);
  const whileMonitored = { clientCalls, sourceCalls };

  fabric.terminate();
  fake.close();
  monitor.dispose();
  await sleep(options.afterMs);
  a.close();
  b.close();
  return {
    initStatus,
    idleSourceCalls,
    clientPolls: whileMonitored.clientCalls,
    sourceCalls: whileMonitored.sourceCalls,
    sourceCallsAfterTerminate: sourceCalls - whileMonitored.sourceCalls,
    clientPollsAfterTerminate: clientCalls - whileMonitored.clientCalls,
    violations: client.violations,
  };
}

exposeBench({ polling });
