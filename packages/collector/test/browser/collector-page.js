// The page of the end-to-end test: the REAL callstats.js (npm callstats-js, bundled by the
// testkit harness) pointed at @shims/collector, monitoring a loopback call between two pcs.
// Plain JavaScript on purpose: the package's tsconfig has no DOM types.
import 'callstats-js/callstats.min.js'; // its UMD tail sets window.callstats

const config = window.__shimsConfig;
const { proxyConfig, appID, secret, userID, conferenceID } = config;

// Read by setProxyConfig: without it the library talks to callstats.io hosts.
window.csioproxy = true;
const cs = new window.callstats();
cs.setProxyConfig(proxyConfig);

const initialized = new Promise((resolve) => {
  cs.initialize(appID, secret, userID, (status, message) => resolve({ status, message }), null, {
    disablePrecalltest: true,
    collectIP: false,
    collectHeadsetStats: false,
    collectLegacyStats: false,
  });
});

const pcs = {};

async function connect(caller, callee) {
  caller.onicecandidate = (e) => e.candidate && callee.addIceCandidate(e.candidate);
  callee.onicecandidate = (e) => e.candidate && caller.addIceCandidate(e.candidate);
  await caller.setLocalDescription(await caller.createOffer());
  await callee.setRemoteDescription(caller.localDescription);
  await callee.setLocalDescription(await callee.createAnswer());
  await caller.setRemoteDescription(callee.localDescription);
  const connected = (pc) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') resolve();
        if (pc.iceConnectionState === 'failed') reject(new Error('ICE failed'));
      };
      pc.addEventListener('iceconnectionstatechange', check);
      check();
    });
  await Promise.all([connected(caller), connected(callee)]);
}

window.collectorE2E = {
  initialized: () => initialized,
  /** A call with fake audio and video: both pcs monitored, as the local user talking to bob. */
  async call() {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const caller = new RTCPeerConnection();
    const callee = new RTCPeerConnection();
    callee.ontrack = () => {};
    for (const track of stream.getTracks()) caller.addTrack(track, stream);
    cs.addNewFabric(caller, 'bob', 'multiplex', conferenceID);
    cs.addNewFabric(callee, 'bob-echo', 'multiplex', conferenceID);
    pcs.caller = caller;
    pcs.callee = callee;
    await connect(caller, callee);
  },
  /** A pc whose offer failed, as a shim reports it. */
  failSetup() {
    const pc = new RTCPeerConnection();
    cs.addNewFabric(pc, 'dave', 'multiplex', conferenceID);
    cs.reportError(pc, conferenceID, cs.webRTCFunctions.createOffer, new DOMException('no offer today', 'OperationError'));
  },
  /** What a shim reports when the user puts the call on hold and mutes: hold, resume, mute, unmute. */
  holdAndMute() {
    for (const event of ['fabricHold', 'fabricResume', 'audioMute', 'audioUnmute']) {
      cs.sendFabricEvent(pcs.caller, cs.fabricEvent[event], conferenceID);
    }
  },
  hangUp() {
    cs.sendFabricEvent(pcs.caller, cs.fabricEvent.fabricTerminated, conferenceID);
    pcs.caller.close();
  },
};

window.__shimsReady = true;
