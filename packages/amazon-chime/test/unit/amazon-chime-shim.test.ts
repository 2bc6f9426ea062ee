import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ShimMonitor, ShimMonitorOptions } from '@shims/core';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import {
  monitorAmazonChime,
  type AmazonChimeMonitor,
  type AmazonChimeRemote,
  type ChimeMeetingSession,
  type MonitorAmazonChimeOptions,
} from '../../src/index.ts';
import { asSession, FakeSession, tile, videoStream } from './fakes.ts';

const flush = () => new Promise((resolve) => setImmediate(resolve));
const events = (client: RecordingCallstats, pc?: object) => client.callsOf('sendFabricEvent', pc).map((c) => c.args[1]);
const OPTIONS = { conferenceID: 'conf', watchMediaDevices: false } as const;

function monitored(session = new FakeSession(), client = new RecordingCallstats(), options: MonitorAmazonChimeOptions = OPTIONS) {
  const monitor = monitorAmazonChime(client, asSession(session), options);
  return { session, client, monitor };
}

const plain = (target: object, name: string) => 'value' in (Object.getOwnPropertyDescriptor(target, name) ?? {});

afterEach(() => vi.useRealTimers());

describe('the @shims shape', () => {
  it('takes the base options and returns the common monitor', () => {
    expectTypeOf<MonitorAmazonChimeOptions>().toExtend<ShimMonitorOptions<AmazonChimeRemote>>();
    expectTypeOf<AmazonChimeMonitor>().toExtend<ShimMonitor<ChimeMeetingSession>>();
    const { monitor } = monitored();
    expect(Object.keys(monitor).sort()).toEqual(['dispose', 'fabricFor', 'fabrics']);
    expect(monitor[Symbol.dispose]).toBe(monitor.dispose);
    monitor.dispose();
  });

  it('throws a TypeError naming the argument for a bad session or options, changing nothing', () => {
    const client = new RecordingCallstats();
    const session = new FakeSession();
    expect(() => monitorAmazonChime(client, null as unknown as ChimeMeetingSession, OPTIONS)).toThrow(/monitorAmazonChime: meetingSession/);
    expect(() => monitorAmazonChime(client, {} as ChimeMeetingSession, OPTIONS)).toThrow(TypeError);
    expect(() => monitorAmazonChime(client, asSession(session), null as unknown as MonitorAmazonChimeOptions)).toThrow(/options/);
    expect(() => monitorAmazonChime(client, asSession(session), { ...OPTIONS, attendeeUserID: 'name' as 'attendeeId' })).toThrow(
      /options\.attendeeUserID must be one of externalUserId, attendeeId/,
    );
    expect(() => monitorAmazonChime(client, asSession(session), { conferenceID: 'c', remoteUserID: 42 as unknown as string })).toThrow(
      /remoteUserID/,
    );
    expect(session.observers()).toBe(0);
    expect(plain(session.audioVideoController, 'meetingSessionContext')).toBe(true);
  });
});

describe('monitorAmazonChime', () => {
  it('adds the pc each start() builds, when the SDK stores it, before anything is called on it: the media server as remote', () => {
    const { session, client } = monitored(new FakeSession(), new RecordingCallstats(), { ...OPTIONS, remoteUserID: (r) => `media-${r.role}` });
    const pc = session.audioVideoController.start();
    expect(client.callsOf('addNewFabric')).toHaveLength(1);
    expect(client.calls[0]!.args).toEqual([pc, 'media-attendee', 'multiplex', 'conf', { remoteEndpointType: 'server' }]);
    expect(client.violations).toEqual([]);
  });

  it('a reconnection: the old pc ends once at its close, the new one is added; the content share pc is a fabric too', () => {
    const { session, client, monitor } = monitored();
    const first = session.audioVideoController.start();
    const second = session.audioVideoController.reconnect();
    expect(client.callsOf('addNewFabric').map((c) => c.args[0])).toEqual([first, second]);
    expect(events(client, first)).toEqual(['fabricTerminated']);
    const content = session.contentShareController.contentAudioVideo.start();
    expect(client.callsOf('addNewFabric', content)[0]!.args[1]).toBe('chime-media-server');
    expect(monitor.fabricFor(asSession(session))?.pc).toBe(second);
    second.close();
    content.close();
    expect(events(client)).toEqual(['fabricTerminated', 'fabricTerminated', 'fabricTerminated']);
  });

  it('ends a pc the SDK drops without closing it', () => {
    const { session, client } = monitored();
    const pc = session.audioVideoController.start();
    session.audioVideoController.meetingSessionContext.peer = null;
    expect(events(client, pc)).toEqual(['fabricTerminated']);
  });

  it('reports a failing pc function once with the original error; the SDK gets that error', async () => {
    const { session, client } = monitored();
    const pc = session.audioVideoController.start();
    const error = new DOMException('no', 'OperationError');
    pc.failNext = error;
    await expect(pc.createOffer()).rejects.toBe(error);
    expect(client.callsOf('reportError').map((c) => c.args.slice(2, 4))).toEqual([['createOffer', error]]);
  });

  it('maps local mute, camera stop and start, and a content share onto the attendee pc, once each', () => {
    const { session, client } = monitored();
    const pc = session.audioVideoController.start();
    session.contentShareController.contentAudioVideo.start();
    session.setMuted(true);
    session.setMuted(false);
    const { stream } = videoStream();
    session.notify('videoTileDidUpdate', tile({ localTile: true }));
    session.notify('videoTileDidUpdate', tile({ localTile: true, boundVideoStream: stream }));
    session.notify('videoTileDidUpdate', tile({ localTile: true }));
    session.notify('videoTileDidUpdate', tile({ localTile: true }));
    session.notify('videoTileDidUpdate', tile({ localTile: true, boundVideoStream: stream }));
    session.notify('contentShareDidStart');
    session.notify('contentShareDidStart');
    session.notify('contentShareDidStop');
    expect(events(client, pc)).toEqual(['audioMute', 'audioUnmute', 'videoPause', 'videoResume', 'screenShareStart', 'screenShareStop']);
  });

  it("associates a remote attendee's camera and content share by its user ID once the SSRC shows, and the mix with the media server", async () => {
    vi.useFakeTimers();
    const { session, client } = monitored(new FakeSession(), new RecordingCallstats(), { ...OPTIONS, attendeeUserID: 'attendeeId' });
    const pc = session.audioVideoController.start();
    const camera = videoStream();
    const share = videoStream();
    pc.receive({ kind: 'audio' }, 11);
    pc.receive(camera.track, 22);
    pc.receive(share.track, 33);
    const bob = { boundAttendeeId: 'att-bob', boundExternalUserId: 'bob' };
    session.notify('videoTileDidUpdate', tile({ ...bob, boundVideoStream: camera.stream }));
    session.notify('videoTileDidUpdate', tile({ ...bob, boundVideoStream: camera.stream }));
    session.notify(
      'videoTileDidUpdate',
      tile({ boundAttendeeId: 'att-bob#content', boundExternalUserId: 'bob', isContent: true, boundVideoStream: share.stream }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.callsOf('associateMstWithUserID').map((c) => c.args.slice(1))).toEqual([
      ['att-bob', 'conf', '22', 'camera'],
      ['att-bob', 'conf', '33', 'screen'],
      ['chime-media-server', 'conf', '11', 'mixed-audio'],
    ]);
    expect(client.violations).toEqual([]);
  });

  it('looks the SSRC up again until media flows (every second, 20 times at most)', async () => {
    vi.useFakeTimers();
    const { session, client } = monitored();
    const pc = session.audioVideoController.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(client.callsOf('associateMstWithUserID')).toEqual([]);
    pc.receive({ kind: 'audio' }, 7);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.callsOf('associateMstWithUserID').map((c) => c.args[3])).toEqual(['7']);
  });

  it('attached mid-call: adds the live pcs, sends a mute already on and a running share, associates the tiles shown', async () => {
    const session = new FakeSession();
    const pc = session.audioVideoController.start();
    const content = session.contentShareController.contentAudioVideo.start();
    const camera = videoStream();
    pc.receive(camera.track, 5);
    session.remoteTiles = [tile({ boundAttendeeId: 'a', boundExternalUserId: 'carol', boundVideoStream: camera.stream })];
    session.muted = true;
    const { client } = monitored(session);
    expect(client.callsOf('addNewFabric').map((c) => c.args[0])).toEqual([pc, content]);
    expect(events(client, pc)).toEqual(['audioMute', 'screenShareStart']);
    await flush();
    expect(client.callsOf('associateMstWithUserID').map((c) => c.args[1])).toEqual(['carol']);
  });

  it('removes every observer, callback, accessor and timer at dispose; sends nothing more; a pc closed later is not ended', async () => {
    vi.useFakeTimers();
    const { session, client, monitor } = monitored();
    const pc = session.audioVideoController.start();
    expect(session.observers()).toBe(2);
    expect(session.muteCallbacks.size).toBe(1);
    monitor.dispose();
    expect(session.observers()).toBe(0);
    expect(session.muteCallbacks.size).toBe(0);
    expect(plain(session.audioVideoController, 'meetingSessionContext')).toBe(true);
    expect(plain(session.audioVideoController.meetingSessionContext, 'peer')).toBe(true);
    expect(session.audioVideoController.meetingSessionContext.peer).toBe(pc);
    expect(vi.getTimerCount()).toBe(0);
    const before = client.calls.length;
    pc.close();
    session.audioVideoController.reconnect();
    session.setMuted(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(client.calls.length).toBe(before);
  });

  it('warns once through the logger when the SDK moved its controllers; the content share pc is still added', () => {
    const warn = vi.fn();
    const session = new FakeSession();
    Object.assign(session, { audioVideoController: undefined });
    const { client, monitor } = monitored(session, new RecordingCallstats(), { ...OPTIONS, logger: warn });
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('the session has no attendee controller')]);
    session.contentShareController.contentAudioVideo.start();
    expect(client.callsOf('addNewFabric')).toHaveLength(1);
    monitor.dispose();
    expect(session.observers()).toBe(0);
  });
});
