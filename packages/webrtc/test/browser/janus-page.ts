// The cases against the real Janus: medooze's WHIP client (whip-whep 1.2.0) publishes Chromium's
// fake microphone and camera to Debian's simple-whip-server (Janus VideoRoom behind it), with the
// pc monitored through the global tap or handed to monitorPeerConnection; and janus.js (no shim)
// with adapter.js loaded after the tap, in Janus's EchoTest. On the testkit's pc tap, as the
// conformance pages are.
import { installPeerConnectionTap, markPageReady, pageConfig, RecordingCallstats } from '@shims/testkit/page';
import { WHIPClient } from 'whip-whep/whip.js';
import { monitorPeerConnection, monitorPeerConnections } from '../../src/index.ts';
import { audioFlowing } from './pair-driver.ts';
import type { JanusEchoResult, WhipPublishResult } from './scenario-cases.ts';

installPeerConnectionTap();

async function bytesSent(pc: RTCPeerConnection, timeoutMs = 10_000): Promise<{ audio: number; video: number }> {
  const until = Date.now() + timeoutMs;
  const sent = { audio: 0, video: 0 };
  while (Date.now() < until) {
    for (const stats of (await pc.getStats()).values()) {
      if (stats.type === 'outbound-rtp' && (stats.kind === 'audio' || stats.kind === 'video'))
        sent[stats.kind as 'audio' | 'video'] = stats.bytesSent as number;
    }
    if (sent.audio > 0 && sent.video > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return sent;
}

async function whipPublish(entry: 'global' | 'pc', endpoint: string): Promise<WhipPublishResult> {
  const recorder = new RecordingCallstats();
  const tap = entry === 'global' ? monitorPeerConnections(recorder, { conferenceID: 'whip', remoteUserID: 'whip-server' }) : undefined;
  const pc = new RTCPeerConnection({ iceServers: [] });
  const single =
    entry === 'pc' ? monitorPeerConnection(recorder, pc, { conferenceID: 'whip', remoteUserID: 'whip-server', fabricUsage: 'multiplex' }) : undefined;
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
  for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
  // The client's HTTP requests, as the page made them (method, path, status).
  const requests: string[] = [];
  const pageFetch = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await pageFetch(input, init);
    requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname.replace(/[^/]+$/, ':id')} ${response.status}`);
    return response;
  };
  const client = new WHIPClient();
  await client.publish(pc, endpoint);
  const sent = await bytesSent(pc);
  const connectionState = pc.connectionState;
  await client.stop(); // closes the pc, then DELETE of the resource
  window.fetch = pageFetch;
  stream.getTracks().forEach((t) => t.stop());
  tap?.dispose();
  single?.dispose();
  return {
    sent,
    connectionState,
    requests,
    calls: recorder.calls.map((c) => `${c.method} ${String(c.args[1])}${c.method === 'addNewFabric' ? ` (${String(c.args[2])})` : ''}`),
    violations: recorder.violations.map(String),
  };
}

interface JanusHandle {
  webrtcStuff: { pc: RTCPeerConnection | null };
  send(callbacks: { message: object; jsep?: unknown }): void;
  createOffer(callbacks: { tracks: object[]; success(jsep: unknown): void; error(error: unknown): void }): void;
  handleRemoteJsep(callbacks: { jsep: unknown; error?: (e: unknown) => void }): void;
  hangup(sendRequest?: boolean): void;
}
interface JanusSession {
  attach(callbacks: Record<string, unknown>): void;
  destroy(callbacks: { success?: () => void; error?: () => void }): void;
}
interface JanusClass {
  init(options: object): void;
  useDefaultDependencies(deps: object): object;
  new (options: object): JanusSession;
}

/** janus.js 1.4.2 with webrtc-adapter 9.0.6, both loaded after the tap, in Janus's EchoTest. */
async function janusEchoTest(): Promise<JanusEchoResult> {
  const { janusUrl } = pageConfig() as { janusUrl: string };
  const recorder = new RecordingCallstats();
  const monitoring = monitorPeerConnections(recorder, { conferenceID: 'janus', remoteUserID: 'janus.plugin.echotest' });
  // adapter.js patches RTCPeerConnection.prototype (and may wrap the global) on top of the tap.
  const { default: adapter } = await import('webrtc-adapter');
  const Janus = (await import('janus-gateway')).default as unknown as JanusClass;
  await new Promise<void>((resolve) => Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: resolve }));
  const session = await new Promise<JanusSession>((resolve, reject) => {
    const created: JanusSession = new Janus({ server: janusUrl, iceServers: [], success: () => resolve(created), error: reject });
  });
  let up: () => void = () => {};
  const webrtcUp = new Promise<void>((resolve) => (up = resolve));
  const holder: { handle?: JanusHandle } = {};
  const handle = await new Promise<JanusHandle>((resolve, reject) =>
    session.attach({
      plugin: 'janus.plugin.echotest',
      success: resolve,
      error: reject,
      webrtcState: (on: boolean) => on && up(),
      onmessage: (_msg: unknown, jsep?: unknown) => jsep && holder.handle?.handleRemoteJsep({ jsep }),
    }),
  );
  holder.handle = handle;
  const failed: unknown[] = [];
  handle.createOffer({
    tracks: [{ type: 'audio', capture: true, recv: true }],
    success: (jsep) => handle.send({ message: { audio: true, video: false }, jsep }),
    error: (error) => failed.push(error),
  });
  await Promise.race([webrtcUp, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  const pc = handle.webrtcStuff.pc;
  const audio = pc ? await audioFlowing(pc) : false;
  handle.hangup(); // janus.js closes the pc
  await new Promise((resolve) => setTimeout(resolve, 300));
  await new Promise<void>((resolve) => session.destroy({ success: resolve, error: resolve }));
  monitoring.dispose();
  return {
    audio,
    errors: failed.length,
    calls: recorder.calls.map((c) => `${c.method} ${String(c.args[1])}${c.method === 'addNewFabric' ? ` (${String(c.args[2])})` : ''}`),
    violations: recorder.violations.map(String),
  };
}

declare global {
  interface Window {
    __whipPublish?: typeof whipPublish;
    __janusEchoTest?: typeof janusEchoTest;
  }
}

window.__whipPublish = whipPublish;
window.__janusEchoTest = janusEchoTest;
markPageReady();
