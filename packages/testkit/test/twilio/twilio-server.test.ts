// The real twilio-video SDK in headless Chromium against startTwilioServer: a Room connects to a
// server-side wrtc peer, media flows both ways, a server-side participant joins and leaves, the
// signaling drops and comes back, and the room ends.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, startTwilioServer, type Harness, type TwilioTestServer } from '@shims/testkit';

type PageApi = {
  events: string[];
  pcCalls: Array<{ pc: number; fn: string; detail?: string }>;
  connect(
    token: string,
    name: string,
    withTracks?: boolean,
  ): Promise<{ state: string; sid: string; participantSid: string; publications: Array<{ kind: string; trackSid: string }> }>;
  publications(): Promise<Array<{ kind: string; trackSid: string }>>;
  publishAudio(): Promise<{ kind: string; trackSid: string }>;
  subscribedTracks(): string[];
  remoteParticipants(): string[];
  state(): string | undefined;
  inboundAudioPackets(): Promise<number>;
  disconnect(): void;
};
declare const twilioTest: PageApi;

const POLL = { timeout: 20_000, interval: 200 };

describe('startTwilioServer with the real twilio-video 2.36 in Chromium', () => {
  let server: TwilioTestServer;
  let harness: Harness;
  const events = () => harness.page.evaluate(() => twilioTest.events.slice());

  beforeAll(async () => {
    // A short heartbeat timeout so that the heartbeat test sees the SDK outlive 3 x timeout.
    server = await startTwilioServer({ negotiatedTimeoutMs: 1000 });
    harness = await openHarness({ entry: fileURLToPath(new URL('./page.ts', import.meta.url)), config: { wsServer: server.wsServer } });
  });

  afterAll(async () => {
    await harness?.close();
    await server?.close();
  });

  it('connects a Room whose offer the server answers, and acknowledges each published track with a SID', async () => {
    const joined = await harness.page.evaluate(([token]) => twilioTest.connect(token!, 'room-a'), [server.token('alice', 'room-a')]);
    expect(joined.state).toBe('connected');
    expect(joined.sid).toMatch(/^RM[0-9a-f]{32}$/);
    expect(joined.participantSid).toMatch(/^PA[0-9a-f]{32}$/);
    await expect
      .poll(() => harness.page.evaluate(() => twilioTest.publications()), POLL)
      .toEqual(
        expect.arrayContaining([
          { kind: 'audio', trackSid: expect.stringMatching(/^MT/) },
          { kind: 'video', trackSid: expect.stringMatching(/^MT/) },
        ]),
      );
    expect(server.clients('room-a')).toEqual(['alice']);
    expect(
      server.log
        .filter((entry) => entry.identity === 'alice')
        .map((entry) => entry.type)
        .slice(0, 2),
    ).toEqual(['hello', 'connect']);
  });

  it("receives the Room's audio and video on the server-side peer", async () => {
    await expect.poll(async () => (await server.mediaCounts('room-a', 'alice')).audioPacketsReceived, POLL).toBeGreaterThan(0);
    await expect.poll(async () => (await server.mediaCounts('room-a', 'alice')).videoPacketsReceived, POLL).toBeGreaterThan(0);
  });

  it("trickles ICE both ways: the SDK's pc calls addIceCandidate", async () => {
    const calls = await harness.page.evaluate(() => twilioTest.pcCalls.slice());
    expect(calls.filter((call) => call.fn === 'addIceCandidate').length).toBeGreaterThan(0);
    expect(server.log.some((entry) => entry.identity === 'alice' && entry.type === 'update')).toBe(true);
  });

  it('adds a server-side participant: participantConnected, trackSubscribed, audio received, via createAnswer', async () => {
    await server.addParticipant('room-a', 'bob');
    await expect.poll(events, POLL).toEqual(expect.arrayContaining(['participantConnected:bob', 'trackSubscribed:bob:audio']));
    await expect.poll(() => harness.page.evaluate(() => twilioTest.inboundAudioPackets()), POLL).toBeGreaterThan(0);
    await expect.poll(async () => (await server.mediaCounts('room-a', 'alice')).audioPacketsSent, POLL).toBeGreaterThan(0);
    const calls = await harness.page.evaluate(() => twilioTest.pcCalls.slice());
    const sequence = calls
      .filter((call) => call.fn !== 'addIceCandidate')
      .map((call) => `${call.pc}:${call.fn}${call.detail ? `(${call.detail})` : ''}`);
    // The SDK's one pc in a group room: its offer answered, then our offer answered by it.
    expect(sequence).toEqual([
      '0:createOffer',
      '0:setLocalDescription(offer)',
      '0:setRemoteDescription(answer)',
      '0:setRemoteDescription(offer)',
      '0:createAnswer',
      '0:setLocalDescription(answer)',
    ]);
    for (const fn of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
      expect(calls.map((call) => call.fn)).toContain(fn);
    }
    expect(calls.some((call) => call.detail?.includes('failed'))).toBe(false);
  });

  it('removes it again: participantDisconnected', async () => {
    await server.removeParticipant('room-a', 'bob');
    await expect.poll(events, POLL).toContain('participantDisconnected:bob');
    expect(await harness.page.evaluate(() => twilioTest.remoteParticipants())).toEqual([]);
  });

  it('answers the offer of a track published after connecting, and gives it a SID', async () => {
    const offersBefore = (await harness.page.evaluate(() => twilioTest.pcCalls.slice())).filter((call) => call.fn === 'createOffer').length;
    const publication = await harness.page.evaluate(() => twilioTest.publishAudio());
    expect(publication).toEqual({ kind: 'audio', trackSid: expect.stringMatching(/^MT[0-9a-f]{32}$/) });
    const offersAfter = (await harness.page.evaluate(() => twilioTest.pcCalls.slice())).filter((call) => call.fn === 'createOffer').length;
    expect(offersAfter).toBeGreaterThan(offersBefore);
  });

  it('keeps the connection alive with heartbeats both ways', async () => {
    // The SDK sends a heartbeat after 800 ms of silence, and would close the socket after 3000 ms
    // without one from us: five of its heartbeats in a row span more than that.
    const before = server.log.length;
    const heartbeats = () =>
      server.log
        .slice(before)
        .filter((entry) => entry.identity === 'alice')
        .map((entry) => entry.type);
    await expect.poll(() => heartbeats().filter((type) => type === 'heartbeat').length, POLL).toBeGreaterThanOrEqual(5);
    // No new hello (with a sync): the SDK never lost the socket.
    expect(heartbeats().filter((type) => type === 'hello' || type === 'sync')).toEqual([]);
    expect(await events()).not.toContain('reconnecting');
    expect(await harness.page.evaluate(() => twilioTest.state())).toBe('connected');
  });

  it('reconnects after the signaling socket drops: reconnecting, then reconnected (sync / synced)', async () => {
    await server.dropSignaling('room-a');
    await expect.poll(events, POLL).toEqual(expect.arrayContaining(['reconnecting', 'reconnected']));
    expect(server.log.some((entry) => entry.identity === 'alice' && entry.type === 'sync')).toBe(true);
    expect(await harness.page.evaluate(() => twilioTest.state())).toBe('connected');
  });

  it('handles room.disconnect(): the server hears disconnect and closes its peer', async () => {
    await harness.page.evaluate(() => twilioTest.disconnect());
    await expect.poll(() => server.clients('room-a'), POLL).toEqual([]);
    expect(server.log.some((entry) => entry.identity === 'alice' && entry.type === 'disconnect')).toBe(true);
    const peers = server.peerStates().filter((peer) => peer.identity === 'alice');
    expect(peers.length).toBeGreaterThan(0);
    expect(peers.map((peer) => peer.connectionState)).toEqual(peers.map(() => 'closed'));
    expect(await events()).toContain('disconnected:none');
  });

  it('ends the room from the server: the Room (joined with no tracks, a guest already there) disconnects with 53118', async () => {
    await server.addParticipant('room-b', 'dave');
    const joined = await harness.page.evaluate(([token]) => twilioTest.connect(token!, 'room-b', false), [server.token('carol', 'room-b')]);
    expect(joined.state).toBe('connected');
    // Already in the room at connect: in room.participants, with no participantConnected event.
    expect(await harness.page.evaluate(() => twilioTest.remoteParticipants())).toEqual(['dave']);
    await expect.poll(() => harness.page.evaluate(() => twilioTest.subscribedTracks()), POLL).toEqual(['dave:audio']);
    await server.endRoom('room-b');
    await expect.poll(events, POLL).toContain('disconnected:53118');
  });
});
