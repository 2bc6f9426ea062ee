// The pc tap seen from the page: the constructor keeps the browser's prototype (so SDK wrappers
// that read it work, Twilio's ChromeRTCPeerConnection here), and every tap feature still works.
import { NativePeerConnection, nativeOwnNames, nativePrototype, tap } from './install-tap.ts';
import { wrapPeerConnection } from '@shims/core';
// Twilio's Chrome wrapper: it proxies every own property of RTCPeerConnection.prototype onto the
// native pc it builds, and delegates the prototype's methods to it.
// @ts-expect-error: a CommonJS module of twilio-video without types
import ChromeRTCPeerConnection from 'twilio-video/es5/webrtc/rtcpeerconnection/chrome.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await sleep(50);
  }
  return false;
}

function introspection() {
  const pc = new RTCPeerConnection();
  const result = {
    samePrototype: RTCPeerConnection.prototype === nativePrototype,
    sameOwnNames: JSON.stringify(Object.getOwnPropertyNames(RTCPeerConnection.prototype).sort()) === JSON.stringify(nativeOwnNames),
    instanceOfGlobal: pc instanceof RTCPeerConnection,
    instanceOfNative: pc instanceof NativePeerConnection,
    prototypeOfPc: Object.getPrototypeOf(pc) === nativePrototype,
    isEventTarget: pc instanceof EventTarget,
    name: RTCPeerConnection.name,
    generateCertificate: typeof RTCPeerConnection.generateCertificate,
    recorded: tap.find(pc)?.index === tap.peerConnections.length - 1 && tap.peerConnections.at(-1)?.pc === pc,
    instancePatches: tap.instancePatches(pc),
  };
  pc.close();
  return result;
}

async function subclass() {
  let overrideRan = 0;
  class AppPeerConnection extends RTCPeerConnection {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- overrides every overload of the DOM's createOffer
    override createOffer(...args: unknown[]): Promise<any> {
      overrideRan++;
      return (super.createOffer as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    }
  }
  const pc = new AppPeerConnection();
  const failure = tap.armFailure('createOffer');
  const error = await pc.createOffer().then(
    () => null,
    (e: unknown) => e,
  );
  const result = {
    instanceOfSubclass: pc instanceof AppPeerConnection,
    instanceOfGlobal: pc instanceof RTCPeerConnection,
    overrideRan,
    injected: error === failure.error,
    consumedByThisPc: failure.consumedBy?.pc === pc,
  };
  pc.close();
  return result;
}

function listeners() {
  const pc = new RTCPeerConnection();
  const a = (): void => {};
  const b = { handleEvent: (): void => {} };
  pc.addEventListener('icecandidate', a);
  pc.addEventListener('track', b);
  pc.addEventListener('track', b);
  const counts = [tap.listenerCount(pc)];
  pc.removeEventListener('icecandidate', a);
  counts.push(tap.listenerCount(pc));
  pc.close();
  return counts;
}

async function failureBelowAWrapper() {
  const pc = new RTCPeerConnection();
  const heard: unknown[] = [];
  const unwrap = wrapPeerConnection(pc, { onFailure: (fn, error) => heard.push([fn, error]) });
  const wrapped = tap.instancePatches(pc);
  const failure = tap.armFailure('setRemoteDescription');
  const error = await pc.setRemoteDescription({ type: 'offer', sdp: 'v=0' }).then(
    () => null,
    (e: unknown) => e,
  );
  unwrap();
  const result = {
    wrapped,
    injected: error === failure.error,
    wrapperHeard: heard.length === 1 && (heard[0] as unknown[])[0] === 'setRemoteDescription' && (heard[0] as unknown[])[1] === failure.error,
    consumedByThisPc: failure.consumedBy?.pc === pc,
    afterUnwrap: tap.instancePatches(pc),
  };
  pc.close();
  return result;
}

/** A real call between Twilio's wrapper (answering) and a plain pc (offering audio). */
async function twilioWrapperCall() {
  const created = tap.peerConnections.length;
  const twilio = new ChromeRTCPeerConnection({ iceServers: [] }) as RTCPeerConnection;
  const native = tap.peerConnections[created]?.pc;
  const offerer = new RTCPeerConnection({ iceServers: [] });
  const tracks: string[] = [];
  twilio.addEventListener('track', (event) => tracks.push(event.track.kind));
  const [audio] = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks();
  offerer.addTrack(audio!);
  await offerer.setLocalDescription(await offerer.createOffer());
  await until(() => offerer.iceGatheringState === 'complete');
  await twilio.setRemoteDescription(offerer.localDescription!);
  await twilio.setLocalDescription(await twilio.createAnswer());
  const gathered = await until(() => twilio.iceGatheringState === 'complete');
  await offerer.setRemoteDescription(twilio.localDescription!);
  const connected = await until(() => twilio.connectionState === 'connected');
  const result = {
    wrapperIsNotThePc: native !== undefined && native !== (twilio as unknown),
    nativeRecorded: tap.find(native)?.index === created,
    gathered,
    connected,
    tracks,
    receivers: twilio.getReceivers().map((r) => r.track.kind),
    nativeListeners: native ? tap.listenerCount(native) > 0 : false,
  };
  audio!.stop();
  twilio.close();
  offerer.close();
  return result;
}

Object.assign(window, { tapChecks: { introspection, subclass, listeners, failureBelowAWrapper, twilioWrapperCall } });
(window as { __shimsReady?: boolean }).__shimsReady = true;
