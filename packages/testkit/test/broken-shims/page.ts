// Deliberately broken shims for a plain pc pair, each wrong in one way that the conformance suite
// must catch. The correct shim is exposed too, as the control.
import { exposeConformance } from '@shims/testkit/page';
import { createMonitor, FabricEvent, watchMediaDevices, wrapPeerConnection } from '@shims/core';
import { attachWithCore, plainPairDriver, type AttachPlainPairShim } from '../plain-pc/plain-driver.ts';

const terminatesTwice: AttachPlainPairShim = (client, conferenceID, pcs) => {
  const shim = attachWithCore(client, conferenceID, pcs);
  return { ...shim, hangingUp: () => void client.sendFabricEvent(pcs.caller, FabricEvent.fabricTerminated, conferenceID) };
};

// Registers without the method wrapper, so failures are swallowed; terminates by hand instead.
const swallowsFailures: AttachPlainPairShim = (client, conferenceID, { caller, callee }) => {
  const monitor = createMonitor({ client, conferenceID });
  const fabrics = [
    monitor.addFabric(caller, { remoteUserID: 'callee', fabricUsage: 'audio', wrapMethods: false }),
    monitor.addFabric(callee, { remoteUserID: 'caller', fabricUsage: 'audio', wrapMethods: false }),
  ];
  return {
    send: (event) => fabrics[0]?.send(event),
    hangingUp: () => fabrics.forEach((f) => f.terminate()),
    dispose: () => monitor.dispose(),
  };
};

// Adds the pcs a moment too late: after negotiation has begun.
const addsLate: AttachPlainPairShim = (client, conferenceID, pcs) => {
  let shim: ReturnType<AttachPlainPairShim> | undefined;
  setTimeout(() => (shim = attachWithCore(client, conferenceID, pcs)), 150);
  return { send: (e) => shim?.send(e), dispose: () => shim?.dispose() };
};

// Forgets one wrapper at dispose.
const leavesWrapper: AttachPlainPairShim = (client, conferenceID, pcs) => {
  const shim = attachWithCore(client, conferenceID, pcs);
  wrapPeerConnection(pcs.callee, {});
  return shim;
};

// Catches only the pcs of calls that begin after it: a call already running is never added.
const missesRunningCalls: AttachPlainPairShim = (client, conferenceID, pcs) =>
  pcs.caller.signalingState === 'stable' && !pcs.caller.remoteDescription
    ? attachWithCore(client, conferenceID, pcs)
    : { send: () => {}, dispose: () => {} };

// Treats the app's capture as an SDK's own: watches getUserMedia, as janus and twilio-video do.
const watchesMedia: AttachPlainPairShim = (client, conferenceID, pcs) => {
  const monitor = createMonitor({ client, conferenceID, source: 'plain-pc-test' });
  const unwatch = watchMediaDevices(navigator.mediaDevices, monitor);
  const shim = attachWithCore(client, conferenceID, pcs);
  return { ...shim, hangingUp: unwatch, dispose: () => (shim.dispose(), monitor.dispose()) };
};

exposeConformance(plainPairDriver(attachWithCore), 'correct');
exposeConformance(plainPairDriver(watchesMedia), 'watches-media');
exposeConformance(plainPairDriver(missesRunningCalls), 'misses-running-calls');
exposeConformance(plainPairDriver(terminatesTwice), 'terminates-twice');
exposeConformance(plainPairDriver(swallowsFailures), 'swallows-failures');
exposeConformance(plainPairDriver(addsLate), 'adds-late');
exposeConformance(plainPairDriver(leavesWrapper), 'leaves-wrapper');
