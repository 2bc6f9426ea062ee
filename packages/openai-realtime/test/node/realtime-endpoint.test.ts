// The testkit's local realtime endpoint (startRealtimeServer), in Node: first a plain
// @roamhq/wrtc client speaking the protocol by hand (offer over HTTP, `oai-events`, audio both
// ways), then the real OpenAIRealtimeWebRTC transport pointed at it with wrtc's globals.
import wrtc from '@roamhq/wrtc';
import { OpenAIRealtimeWebRTC } from '@openai/agents-realtime';
import { startRealtimeServer, type RealtimeTestServer } from '@shims/testkit';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorOpenAIRealtime } from '../../src/index.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const POLL = { timeout: 10_000, interval: 100 };
const SAMPLE_RATE = 48_000;

/** A microphone for Node: a wrtc audio source fed silence-free noise every 10 ms. */
function fakeMicrophone(): { stream: MediaStream; stop(): void } {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const samples = new Int16Array(SAMPLE_RATE / 100).map(() => Math.round((Math.random() - 0.5) * 4000));
  const timer = setInterval(
    () => source.onData({ samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: samples.length }),
    10,
  );
  return {
    stream: new wrtc.MediaStream([track]),
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

async function inboundAudioPackets(pc: RTCPeerConnection): Promise<number> {
  let packets = 0;
  (await pc.getStats()).forEach((stat: { type: string; kind?: string; mediaType?: string; packetsReceived?: number }) => {
    if (stat.type === 'inbound-rtp' && (stat.kind ?? stat.mediaType) === 'audio') packets += stat.packetsReceived ?? 0;
  });
  return packets;
}

describe('startRealtimeServer', () => {
  let server: RealtimeTestServer;
  const cleanups: Array<() => void> = [];
  beforeAll(async () => {
    server = await startRealtimeServer();
  });
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
  afterAll(() => server?.close());

  it('answers an application/sdp offer with 201, a Location and the answer; sends session.created on oai-events, answers session.update, plays audio back and hears the microphone', async () => {
    const mic = fakeMicrophone();
    const pc: RTCPeerConnection = new wrtc.RTCPeerConnection({ iceServers: [] });
    cleanups.push(() => pc.close(), mic.stop);
    const channel = pc.createDataChannel('oai-events');
    pc.addTrack(mic.stream.getAudioTracks()[0]!, mic.stream);
    const received: Array<{ type: string; event_id: string; session?: { id: string } }> = [];
    channel.addEventListener('message', (event: MessageEvent) => received.push(JSON.parse(String(event.data)) as (typeof received)[number]));
    await pc.setLocalDescription(await pc.createOffer());

    const response = await fetch(server.baseUrl, {
      method: 'POST',
      body: pc.localDescription!.sdp,
      headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer ek_test' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/sdp');
    const callId = response.headers.get('location')?.split('/').pop();
    expect(callId).toMatch(/^rtc_[0-9a-f]{32}$/);
    const answer = await response.text();
    expect(answer).toMatch(/^a=candidate:.* 127\.0\.0\.1 /m);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });

    await expect.poll(() => received.map((e) => e.type), POLL).toEqual(['session.created']);
    expect(received[0]).toMatchObject({ event_id: expect.any(String), session: { id: `sess_${callId}` } });
    channel.send(JSON.stringify({ type: 'session.update', session: { instructions: 'hi' } }));
    await expect.poll(() => received.map((e) => e.type), POLL).toEqual(['session.created', 'session.updated']);
    expect(received[1]).toMatchObject({ session: { instructions: 'hi' } });

    await expect.poll(() => inboundAudioPackets(pc), POLL).toBeGreaterThan(0);
    await expect.poll(async () => (await server.mediaCounts(callId!)).audioPacketsReceived, POLL).toBeGreaterThan(0);
    expect(server.calls().find((c) => c.id === callId)).toMatchObject({
      authorization: 'Bearer ek_test',
      channelOpen: true,
      clientEvents: ['session.update'],
    });

    // The client hanging up closes the channel: the server ends its side of the call.
    pc.close();
    await expect.poll(() => server.calls().find((c) => c.id === callId)?.state, POLL).toBe('closed');
  });

  it('refuses an offer of another content type with 415', async () => {
    const response = await fetch(server.baseUrl, { method: 'POST', body: 'v=0', headers: { 'Content-Type': 'text/plain' } });
    expect(response.status).toBe(415);
  });

  it('with failCalls, refuses every offer with that status and a JSON error the SDK reads', async () => {
    const failing = await startRealtimeServer({ failCalls: 503 });
    try {
      const response = await fetch(failing.baseUrl, { method: 'POST', body: 'v=0\r\n', headers: { 'Content-Type': 'application/sdp' } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('503') } });
      expect(failing.posts).toBe(1);
      expect(failing.calls()).toEqual([]);
    } finally {
      await failing.close();
    }
  });

  it('connects the real OpenAIRealtimeWebRTC transport (wrtc globals), monitored: connect() resolves on session.updated, audio flows both ways, close() ends the fabric and the server side', async () => {
    const globals = globalThis as Record<string, unknown>;
    const saved = globals.RTCPeerConnection;
    globals.RTCPeerConnection = wrtc.RTCPeerConnection;
    cleanups.push(() => (globals.RTCPeerConnection = saved));
    const mic = fakeMicrophone();
    cleanups.push(mic.stop);
    const audioElement = { autoplay: false, srcObject: null } as unknown as HTMLAudioElement;
    const transport = new OpenAIRealtimeWebRTC({ baseUrl: server.baseUrl, mediaStream: mic.stream, audioElement });
    const client = new RecordingCallstats();
    const monitor = monitorOpenAIRealtime(client, transport, { conferenceID: 'node' });
    cleanups.push(monitor.dispose);
    const events: string[] = [];
    transport.on('*', (event: { type: string }) => events.push(event.type));
    const started = Date.now();
    await transport.connect({ apiKey: 'ek_test', model: 'gpt-realtime' });
    // Well before the SDK's 5 s fallback: the acknowledgement resolved connect().
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(transport.status).toBe('connected');
    expect(events).toEqual(expect.arrayContaining(['session.created', 'session.updated']));
    const pc = transport.connectionState.peerConnection!;
    const callId = transport.callId!;
    expect(server.calls().find((c) => c.id === callId)?.clientEvents[0]).toBe('session.update');
    await expect.poll(() => inboundAudioPackets(pc), POLL).toBeGreaterThan(0);
    await expect.poll(async () => (await server.mediaCounts(callId)).audioPacketsReceived, POLL).toBeGreaterThan(0);
    transport.close();
    expect(pc.signalingState).toBe('closed');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(client.calls.map((c) => [c.args[0] === pc, ...c.args.slice(1)])).toEqual([
      [true, 'gpt-realtime', 'multiplex', 'node'],
      [true, 'fabricTerminated', 'node'],
    ]);
    expect(client.violations).toEqual([]);
    await expect.poll(() => server.calls().find((c) => c.id === callId)?.state, POLL).toBe('closed');
  });
});
