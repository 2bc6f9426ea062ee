// The real livekit-client 2.23 in headless Chromium against startLiveKitServer: a Room joins in
// single-pc mode (its offer inside the join request), media flows both ways, a server-side
// participant joins and leaves, the signaling drops and resumes, the server asks for a full
// reconnect, and with /rtc/v1 refused (404) the SDK falls back to two pcs.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, startLiveKitServer, type Harness, type LiveKitTestServer } from '@shims/testkit';

type PageApi = {
  events: string[];
  logs: string[];
  pcCalls: Array<{ pc: number; fn: string; detail?: string }>;
  connect(token: string): Promise<{ state: string; sid: string; micSid: string | null; pcs: number }>;
  pcs(): string[];
  remoteParticipants(): string[];
  state(): string | undefined;
  inboundAudioPackets(): Promise<number>;
  disconnect(): Promise<void>;
};
declare const livekitTest: PageApi;

const POLL = { timeout: 20_000, interval: 200 };

describe('startLiveKitServer with the real livekit-client 2.23 in Chromium', () => {
  let server: LiveKitTestServer;
  let harness: Harness;
  const events = () => harness.page.evaluate(() => livekitTest.events.slice());
  const pcs = () => harness.page.evaluate(() => livekitTest.pcs());

  beforeAll(async () => {
    server = await startLiveKitServer();
    harness = await openHarness({ entry: fileURLToPath(new URL('./page.ts', import.meta.url)), config: { url: server.url } });
  });

  afterAll(async () => {
    await harness?.close();
    await server?.close();
  });

  it('joins on /rtc/v1 with one pc whose offer came in the join request, and acknowledges the microphone with a track SID', async () => {
    const joined = await harness.page.evaluate(([token]) => livekitTest.connect(token!), [server.token('alice', 'room-a')]);
    expect(joined).toMatchObject({ state: 'connected', sid: expect.stringMatching(/^PA_/), micSid: expect.stringMatching(/^TR_/), pcs: 1 });
    expect(server.clients('room-a')).toEqual(['alice']);
    const types = server.log.filter((e) => e.identity === 'alice').map((e) => e.type);
    expect(types[0]).toBe('join');
    expect(types).toContain('addTrack');
    expect(server.log[0]!.path).toBe('/rtc/v1');
    const calls = await harness.page.evaluate(() => livekitTest.pcCalls.map((c) => `${c.pc}:${c.fn}${c.detail ? `:${c.detail}` : ''}`));
    expect(calls[0]).toBe('0:createOffer');
    expect(calls.indexOf('0:setLocalDescription:offer')).toBeLessThan(calls.indexOf('0:setRemoteDescription:answer'));
    expect(calls.some((c) => c.endsWith('addIceCandidate'))).toBe(true);
  });

  it("receives the Room's microphone on the server-side peer", async () => {
    await expect.poll(async () => (await server.mediaCounts('room-a', 'alice')).audioPacketsReceived, POLL).toBeGreaterThan(0);
  });

  it('adds a server-side participant: ParticipantConnected, TrackSubscribed, its audio received on the one pc', async () => {
    await server.addParticipant('room-a', 'bob');
    await expect.poll(events, POLL).toEqual(expect.arrayContaining(['participantConnected:bob', 'trackSubscribed:bob:audio']));
    await expect.poll(() => harness.page.evaluate(() => livekitTest.inboundAudioPackets()), POLL).toBeGreaterThan(0);
    expect(await pcs()).toEqual(['connected']);
  });

  it('removes it: ParticipantDisconnected', async () => {
    await server.removeParticipant('room-a', 'bob');
    await expect.poll(events, POLL).toContain('participantDisconnected:bob');
    expect(await harness.page.evaluate(() => livekitTest.remoteParticipants())).toEqual([]);
  });

  it('resumes after the signaling drops: same pc, reconnect response, ICE restart offer answered', async () => {
    server.dropSignaling('room-a');
    await expect.poll(events, POLL).toEqual(expect.arrayContaining(['signalReconnecting', 'reconnected']));
    expect(server.log.filter((e) => e.identity === 'alice').map((e) => e.type)).toContain('resume');
    expect(await pcs(), (await harness.page.evaluate(() => livekitTest.logs.slice(-20))).join('\n')).toEqual(['connected']);
  });

  it('reconnects fully when the server asks (LeaveRequest RECONNECT): the pc is closed and a new one joins', async () => {
    const before = server.log.filter((e) => e.type === 'join').length;
    server.requestReconnect('room-a');
    await expect.poll(() => server.log.filter((e) => e.type === 'join').length, POLL).toBe(before + 1);
    await expect.poll(pcs, POLL).toEqual(['closed', 'connected']);
    await expect.poll(async () => (await server.mediaCounts('room-a', 'alice')).audioPacketsReceived, POLL).toBeGreaterThan(0);
    await harness.page.evaluate(() => livekitTest.disconnect());
    await expect.poll(pcs, POLL).toEqual(['closed', 'closed']);
    await expect.poll(() => server.clients('room-a'), POLL).toEqual([]);
  });

  it('falls back to two pcs on /rtc when /rtc/v1 answers 404: the first pc is closed, publisher and subscriber connect', async () => {
    server.setSinglePeerConnection(false);
    await server.addParticipant('room-b', 'carol');
    const joined = await harness.page.evaluate(([token]) => livekitTest.connect(token!), [server.token('dave', 'room-b')]);
    expect(joined.state).toBe('connected');
    expect(server.log.filter((e) => e.identity === 'dave').map((e) => `${e.type} ${e.path}`)[0]).toBe('v1-refused /rtc/v1');
    expect(server.log.some((e) => e.identity === 'dave' && e.type === 'join' && e.path === '/rtc')).toBe(true);
    await expect.poll(events, POLL).toContain('trackSubscribed:carol:audio');
    expect(await harness.page.evaluate(() => livekitTest.remoteParticipants())).toEqual(['carol']);
    await expect.poll(() => harness.page.evaluate(() => livekitTest.inboundAudioPackets()), POLL).toBeGreaterThan(0);
    await expect.poll(async () => (await server.mediaCounts('room-b', 'dave')).audioPacketsReceived, POLL).toBeGreaterThan(0);
    const states = await pcs();
    expect(states.slice(-3)).toEqual(['closed', 'connected', 'connected']);
    expect(
      server
        .peerStates()
        .filter((p) => p.identity === 'dave')
        .map((p) => p.role),
    ).toEqual(['publisher', 'subscriber']);
    server.endRoom('room-b');
    await expect.poll(events, POLL).toEqual(expect.arrayContaining([expect.stringMatching(/^disconnected:/)]));
  });
});
