import { describe, expect, it, vi } from 'vitest';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import type { FakePeerConnection } from '@shims/core';
import { monitorTwilioVideo, type TwilioRoom } from '../../src/index.ts';
import { statsFromTwilioReports } from '../../src/map-twilio-stats.ts';
import { FakeRoom, FakeTrack } from './fakes.ts';

const asRoom = (room: FakeRoom) => room as unknown as TwilioRoom;
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Way (b): a Room connected without the shim's constructor, attached afterwards. */
function attachedLate(room = new FakeRoom()) {
  const client = new RecordingCallstats();
  const monitoring = monitorTwilioVideo(client, { conferenceID: 'conf' });
  monitoring.attach(asRoom(room));
  const pc = client.fabrics[0] as FakePeerConnection | undefined;
  return { client, monitoring, room, pc: pc! };
}

const TWILIO_REPORT = {
  peerConnectionId: 'PC1',
  localAudioTrackStats: [
    {
      trackId: 'a1',
      trackSid: 'MT1',
      timestamp: 10,
      ssrc: '111',
      codec: 'opus',
      packetsLost: 2,
      bytesSent: 900,
      packetsSent: 30,
      roundTripTime: 40,
      jitter: 5,
      audioLevel: 32767,
    },
  ],
  localVideoTrackStats: [],
  remoteAudioTrackStats: [
    {
      trackId: 'r1',
      trackSid: 'MT7',
      timestamp: 10,
      ssrc: '222',
      codec: null,
      packetsLost: 1,
      bytesReceived: 800,
      packetsReceived: 25,
      jitter: 12,
      audioLevel: 0,
    },
  ],
  remoteVideoTrackStats: [],
};

describe('way (b): a Room attached after connect() gets a fake pc', () => {
  it('adds one fake pc as a server fabric and walks it to connected, as a pc that just set up', () => {
    const { client, pc } = attachedLate();
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1))).toEqual([
      ['twilio-media-server', 'multiplex', 'conf', { remoteEndpointType: 'server' }],
    ]);
    expect([pc.iceConnectionState, pc.connectionState, pc.iceGatheringState, pc.signalingState]).toEqual([
      'connected',
      'connected',
      'complete',
      'stable',
    ]);
    // No SDP is reachable: the fake pc has none to give, whatever collectSDP says.
    expect([pc.localDescription, pc.remoteDescription]).toEqual([null, null]);
  });

  it("answers getStats from room.getStats(), in RTCStats' units", async () => {
    const room = new FakeRoom();
    room.stats = [TWILIO_REPORT];
    const { pc } = attachedLate(room);
    const stats = [...(await pc.getStats()).values()] as Array<RTCStats & Record<string, unknown>>;
    expect(stats.map((s) => s.type)).toEqual(['outbound-rtp', 'remote-inbound-rtp', 'codec', 'inbound-rtp']);
    expect(stats[0]).toMatchObject({ ssrc: 111, kind: 'audio', bytesSent: 900, packetsSent: 30, codecId: stats[2]!.id });
    expect(stats[1]).toMatchObject({ ssrc: 111, roundTripTime: 0.04, jitter: 0.005, packetsLost: 2, localId: stats[0]!.id });
    expect(stats[2]).toMatchObject({ mimeType: 'audio/opus' });
    expect(stats[3]).toMatchObject({ ssrc: 222, bytesReceived: 800, packetsReceived: 25, packetsLost: 1, jitter: 0.012, audioLevel: 0 });
    expect(stats[3]).not.toHaveProperty('codecId');
  });

  it("associates a remote track by the SSRC Twilio's stats give for its SID", async () => {
    const room = new FakeRoom();
    room.stats = [TWILIO_REPORT];
    const { client } = attachedLate(room);
    room.join('bob', new FakeTrack('audio', 'bob-mic'), 'MT7');
    await flush();
    expect(client.callsOf('associateMstWithUserID').map((c) => c.args.slice(1))).toEqual([['bob', 'conf', '222', 'microphone']]);
    expect(client.callsOf('associateMstWithUserID')[0]!.args[0]).toBe(client.fabrics[0]);
  });

  it('moves the ICE state on a media reconnection, not on a signaling one', () => {
    const { client, room, pc } = attachedLate();
    const seen: string[] = [];
    pc.addEventListener('iceconnectionstatechange', () => seen.push(pc.iceConnectionState));
    room.emit('reconnecting', { code: 53001 });
    room.emit('reconnected');
    room.emit('reconnecting', { code: 53405 });
    room.emit('reconnected');
    expect(seen).toEqual(['disconnected', 'connected']);
    expect(client.callsOf('sendFabricEvent')).toEqual([]);
  });

  it.each([
    [53400, 'setLocalDescription'],
    [53402, 'setRemoteDescription'],
  ])('reports a disconnect with error %i as a %s failure, then ends the fake pc once', (code, fn) => {
    const { client, room, pc } = attachedLate();
    const error = Object.assign(new Error('Twilio media error'), { code });
    room.disconnect(error);
    room.disconnect(error);
    expect(client.calls.slice(1).map((c) => [c.method, c.args[1], c.args[2]])).toEqual([
      ['reportError', 'conf', fn],
      ['sendFabricEvent', 'fabricTerminated', 'conf'],
    ]);
    expect(client.callsOf('reportError')[0]!.args[3]).toBe(error);
    expect(pc.signalingState).toBe('closed');
    expect(client.violations).toEqual([]);
  });

  it('reports nothing for an ordinary end (room completed, local disconnect)', () => {
    const { client, room } = attachedLate();
    room.disconnect({ code: 53118 });
    expect(client.calls.map((c) => c.method)).toEqual(['addNewFabric', 'sendFabricEvent']);
  });

  it('lets go of the Room at dispose: no listener, and the fake pc no longer asks it for stats', async () => {
    const room = new FakeRoom();
    room.stats = [TWILIO_REPORT];
    const { client, monitoring, pc } = attachedLate(room);
    monitoring.dispose();
    expect(room.listenersLeft()).toBe(0);
    const calls = room.statsCalls;
    expect([...(await pc.getStats()).values()]).toEqual([]);
    expect(room.statsCalls).toBe(calls);
    room.disconnect({ code: 53400 });
    expect(client.calls.map((c) => c.method)).toEqual(['addNewFabric']);
  });

  it('answers an empty report when room.getStats() fails (a Room that just disconnected)', async () => {
    const room = new FakeRoom();
    room.getStats = vi.fn(async () => {
      throw new Error('disconnected');
    });
    const { pc } = attachedLate(room);
    expect([...(await pc.getStats()).values()]).toEqual([]);
  });
});

describe('statsFromTwilioReports', () => {
  it('skips the fields Twilio left null and keeps video sizes', () => {
    const [outbound] = statsFromTwilioReports(
      [
        {
          localVideoTrackStats: [
            { ssrc: '9', timestamp: 1, bytesSent: null, packetsSent: 3, frameRate: 15, dimensions: { width: 320, height: 240 } },
          ],
        },
      ],
      5,
    ) as Array<RTCStats & Record<string, unknown>>;
    expect(outbound).toEqual({
      id: 'twilio-outbound-0-video-9',
      type: 'outbound-rtp',
      timestamp: 1,
      ssrc: 9,
      kind: 'video',
      mediaType: 'video',
      packetsSent: 3,
      framesPerSecond: 15,
      frameWidth: 320,
      frameHeight: 240,
    });
  });

  it('ignores what is not a report', () => {
    expect(statsFromTwilioReports([null as never, {}])).toEqual([]);
  });
});
