// simple-peer 9.11.1 in Node with @roamhq/wrtc: real peers, real pcs, data only (a process that
// made an RTCAudioSource crashes at exit, so no media here; media is tested in Chromium).
import wrtc from '@roamhq/wrtc';
import SimplePeer, { type Instance } from 'simple-peer';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { monitorSimplePeer, type SimplePeerMonitor } from '../../src/index.ts';

const config = { iceServers: [] };
const peers: Instance[] = [];
const handles: SimplePeerMonitor[] = [];

afterEach(async () => {
  for (const handle of handles.splice(0)) handle.dispose();
  for (const peer of peers.splice(0)) peer.destroy();
  await new Promise((resolve) => setTimeout(resolve, 20));
});

function track<P extends Instance>(peer: P): P {
  peers.push(peer);
  peer.on('error', () => {}); // an unheard 'error' would throw out of the emitter
  return peer;
}

function once(peer: Instance, event: string, timeoutMs = 10_000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    peer.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

function wire(a: Instance, b: Instance): void {
  a.on('signal', (data) => b.destroyed || b.signal(data));
  b.on('signal', (data) => a.destroyed || a.signal(data));
}

/** The pc simple-peer built, read before it nulls `_pc` at destroy. */
const pcOf = (peer: Instance): object => (peer as unknown as { _pc: object })._pc;

const terminations = (client: RecordingCallstats, pc: object) =>
  client.callsOf('sendFabricEvent', pc).filter((c) => c.args[1] === 'fabricTerminated');

describe('simple-peer in Node with @roamhq/wrtc', () => {
  it('two data-only peers: one data fabric each, a message exchanged, one fabricTerminated each after destroy', async () => {
    const client = new RecordingCallstats();
    // The caller through the wrtc hook (options), the callee as an existing instance.
    const caller = monitorSimplePeer(client, { initiator: true, wrtc, config }, { conferenceID: 'node-1', remoteUserID: 'bob', SimplePeer });
    handles.push(caller);
    const a = track(caller.peer);
    const b = track(new SimplePeer({ wrtc, config }));
    const callee = monitorSimplePeer(client, b, { conferenceID: 'node-1', remoteUserID: 'alice' });
    handles.push(callee);
    const [pcA, pcB] = [pcOf(a), pcOf(b)];

    // Both are added before any signaling, each once, as data fabrics.
    expect(client.fabrics).toEqual([pcA, pcB]);
    expect(client.callsOf('addNewFabric').map((c) => c.args.slice(1))).toEqual([
      ['bob', 'data', 'node-1'],
      ['alice', 'data', 'node-1'],
    ]);

    wire(a, b);
    const received = once(b, 'data');
    await once(a, 'connect');
    a.send('hello from a');
    expect(String((await received)[0])).toBe('hello from a');
    expect(caller.monitoring && callee.monitoring).toBe(true);

    // The caller hangs up; the callee closes when its data channel does.
    const closed = Promise.all([once(a, 'close'), once(b, 'close')]);
    a.destroy();
    await closed;
    expect(terminations(client, pcA)).toHaveLength(1);
    expect(terminations(client, pcB)).toHaveLength(1);
    expect(client.callsOf('reportError')).toEqual([]);
    expect(client.violations).toEqual([]);
    expect(caller.monitoring || callee.monitoring).toBe(false);
    // The shim let go of both peers at their close: no wrapper, no listener of its own left.
    for (const peer of [a, b]) expect(Object.hasOwn(peer, 'destroy')).toBe(false);
  });

  it("reports the app's sdpTransform failure once as createOffer, with the error the app sees", async () => {
    const client = new RecordingCallstats();
    const failure = new Error('sdpTransform broke');
    const handle = monitorSimplePeer(
      client,
      {
        initiator: true,
        wrtc,
        config,
        sdpTransform: () => {
          throw failure;
        },
      },
      { conferenceID: 'node-2', remoteUserID: 'bob', SimplePeer },
    );
    handles.push(handle);
    const peer = track(handle.peer);
    const pc = pcOf(peer);
    const closed = once(peer, 'close'); // emitted right after 'error'
    const [error] = (await once(peer, 'error')) as [Error & { code?: string }];
    expect(error).toBe(failure);
    expect(error.code).toBe('ERR_CREATE_OFFER');
    await closed;
    const reports = client.callsOf('reportError');
    expect(reports.map((c) => [c.args[0], c.args[2], c.args[3]])).toEqual([[pc, 'createOffer', failure]]);
    // Reported while the fabric was open, then terminated once.
    expect(reports[0]!.seq).toBeLessThan(terminations(client, pc)[0]!.seq);
    expect(terminations(client, pc)).toHaveLength(1);
    expect(client.violations).toEqual([]);
  });

  it('reports invalid signal data as signalingError, with SDP only when collectSDP is on', async () => {
    for (const collectSDP of [false, true]) {
      const client = new RecordingCallstats();
      const handle = monitorSimplePeer(
        client,
        { initiator: true, wrtc, config },
        { conferenceID: 'node-3', remoteUserID: 'bob', SimplePeer, collectSDP },
      );
      handles.push(handle);
      const peer = track(handle.peer);
      const pc = pcOf(peer);
      await once(peer, 'signal'); // the offer is set locally: there is SDP to attach
      const closed = once(peer, 'close');
      peer.signal({});
      const [error] = (await once(peer, 'error')) as [Error & { code?: string }];
      expect(error.code).toBe('ERR_SIGNALING');
      await closed;
      const [report, ...more] = client.callsOf('reportError');
      expect(more).toEqual([]);
      expect(report!.args.slice(0, 4)).toEqual([pc, 'node-3', 'signalingError', error]);
      if (collectSDP) expect(report!.args[4]).toMatch(/^v=0/);
      else expect(report!.args).toHaveLength(4);
      expect(terminations(client, pc)).toHaveLength(1);
      expect(client.violations).toEqual([]);
    }
  });

  it('a client that throws on every call never breaks the call, and is warned about once per kind', async () => {
    const broken = {
      addNewFabric: () => {
        throw new Error('addNewFabric broke');
      },
      reportError: () => {
        throw new Error('reportError broke');
      },
      sendFabricEvent: () => {
        throw new Error('sendFabricEvent broke');
      },
      associateMstWithUserID: () => {
        throw new Error('associateMstWithUserID broke');
      },
    };
    const [callerLog, calleeLog] = [{ warn: vi.fn() }, { warn: vi.fn() }];
    const caller = monitorSimplePeer(
      broken,
      { initiator: true, wrtc, config },
      { conferenceID: 'node-4', remoteUserID: 'bob', SimplePeer, logger: callerLog },
    );
    const a = track(caller.peer);
    const b = track(new SimplePeer({ wrtc, config }));
    handles.push(caller, monitorSimplePeer(broken, b, { conferenceID: 'node-4', remoteUserID: 'alice', logger: calleeLog }));
    wire(a, b);
    const received = once(b, 'data');
    await once(a, 'connect');
    caller.setMuted('audio', true);
    a.send('still here');
    expect(String((await received)[0])).toBe('still here');
    const closed = Promise.all([once(a, 'close'), once(b, 'close')]);
    a.destroy();
    await closed;
    // The caller sent audioMute and fabricTerminated, the callee fabricTerminated: one warning each kind.
    for (const logger of [callerLog, calleeLog]) {
      const messages = logger.warn.mock.calls.map(([message]) => String(message));
      expect(messages.filter((m) => m.includes('addNewFabric threw'))).toHaveLength(1);
      expect(messages.filter((m) => m.includes('sendFabricEvent threw'))).toHaveLength(1);
      expect(messages.every((m) => m.startsWith('[@shims/simple-peer]'))).toBe(true);
    }
  });

  it('dispose stops monitoring: nothing sent after it, its destroy wrapper and close listener removed', async () => {
    const client = new RecordingCallstats();
    const peer = track(new SimplePeer({ initiator: true, wrtc, config }));
    const pc = pcOf(peer);
    const closeListeners = peer.listenerCount('close');
    const handle = monitorSimplePeer(client, peer, { conferenceID: 'node-5', remoteUserID: 'bob' });
    expect(Object.hasOwn(peer, 'destroy')).toBe(true);
    expect(peer.listenerCount('close')).toBe(closeListeners + 1);
    handle.dispose();
    handle.dispose();
    expect(handle.monitoring).toBe(false);
    expect(Object.hasOwn(peer, 'destroy')).toBe(false);
    expect(peer.listenerCount('close')).toBe(closeListeners);
    const before = client.calls.length;
    handle.setMuted('audio', true);
    peer.destroy(new Error('after dispose'));
    await once(peer, 'close');
    expect(client.calls.length).toBe(before);
    // The pc's methods are its prototype's again.
    const wrapped = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'close'];
    expect(Object.getOwnPropertyNames(pc).filter((name) => wrapped.includes(name))).toEqual([]);
  });

  it('[Symbol.dispose] is dispose', () => {
    const client = new RecordingCallstats();
    const peer = track(new SimplePeer({ wrtc, config }));
    {
      using handle = monitorSimplePeer(client, peer, { conferenceID: 'node-6', remoteUserID: 'bob' });
      expect(handle.monitoring).toBe(true);
    }
    expect(Object.hasOwn(peer, 'destroy')).toBe(false);
  });
});

describe('monitorSimplePeer arguments', () => {
  const client = new RecordingCallstats();
  const options = { conferenceID: 'args', remoteUserID: 'bob' };

  it('throws a TypeError naming the bad argument, before touching the peer', () => {
    const peer = track(new SimplePeer({ wrtc, config }));
    const call =
      (...args: unknown[]) =>
      () =>
        (monitorSimplePeer as (...a: unknown[]) => unknown)(...args);
    expect(call(undefined, peer, options)).toThrow(
      new TypeError('monitorSimplePeer: client must have addNewFabric, reportError, sendFabricEvent, associateMstWithUserID(), got undefined'),
    );
    expect(call({ addNewFabric() {} }, peer, options)).toThrow(/client must have reportError, sendFabricEvent, associateMstWithUserID\(\)/);
    expect(call(client, undefined, options)).toThrow(/peer must be a simple-peer instance .* got undefined/);
    expect(call(client, new wrtc.RTCPeerConnection(), options)).toThrow(/peer must be a simple-peer instance .* got RTCPeerConnection/);
    expect(call(client, peer, undefined)).toThrow(/options must be an object with conferenceID and remoteUserID/);
    expect(call(client, peer, { remoteUserID: 'bob' })).toThrow(/options.conferenceID must be a non-empty string, got undefined/);
    expect(call(client, peer, { conferenceID: 'c', remoteUserID: '' })).toThrow(/options.remoteUserID must be a non-empty string, got ""/);
    expect(call(client, peer, { ...options, fabricUsage: 'speech' })).toThrow(
      /fabricUsage must be one of audio, video, screen, data, multiplex, unbundled, got "speech"/,
    );
    expect(call(client, peer, { ...options, collectSDP: 'yes' })).toThrow(/collectSDP must be a boolean/);
    expect(call(client, { initiator: true, wrtc }, options)).toThrow(/pass the SimplePeer class as options.SimplePeer/);
    for (const make of [call(undefined, peer, options), call(client, peer, {})]) expect(make).toThrow(TypeError);
    // Nothing was registered or wrapped by the failed calls.
    expect(client.calls).toEqual([]);
    expect(Object.hasOwn(peer, 'destroy')).toBe(false);
  });

  it('setMuted checks its arguments and sends only changes', () => {
    const recorder = new RecordingCallstats();
    const handle = monitorSimplePeer(recorder, track(new SimplePeer({ wrtc, config })), options);
    handles.push(handle);
    expect(() => handle.setMuted('screen' as 'audio', true)).toThrow(/setMuted kind must be audio or video/);
    expect(() => handle.setMuted('audio', 1 as unknown as boolean)).toThrow(/setMuted muted must be a boolean/);
    handle.setMuted('audio', false);
    handle.setMuted('audio', true);
    handle.setMuted('audio', true);
    handle.setMuted('video', true);
    handle.setMuted('audio', false);
    handle.setMuted('video', false);
    expect(recorder.callsOf('sendFabricEvent').map((c) => c.args[1])).toEqual(['audioMute', 'videoPause', 'audioUnmute', 'videoResume']);
  });

  it('a destroyed peer or one without _pc is warned about, not thrown; the handle is inert', async () => {
    const logger = { warn: vi.fn() };
    const peer = track(new SimplePeer({ wrtc, config }));
    peer.destroy();
    await once(peer, 'close');
    const handle = monitorSimplePeer(client, peer, { ...options, logger });
    expect(handle.monitoring).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith('[@shims/simple-peer] the peer is already destroyed; nothing to monitor', undefined);

    const moved = { destroyed: false, signal() {}, destroy() {}, on() {}, removeListener() {} };
    const other = monitorSimplePeer(client, moved, { ...options, logger });
    expect(other.monitoring).toBe(false);
    expect(logger.warn).toHaveBeenLastCalledWith(expect.stringContaining('peer._pc not found'), undefined);
    expect(client.calls).toEqual([]);
  });

  it('a second handle on a monitored peer stays inert (no second fabric, no double reports) until the first is disposed', async () => {
    const recorder = new RecordingCallstats();
    const logger = { warn: vi.fn() };
    const peer = track(new SimplePeer({ initiator: true, wrtc, config }));
    const first = monitorSimplePeer(recorder, peer, options);
    const second = monitorSimplePeer(recorder, peer, { ...options, logger });
    handles.push(first, second);
    expect([first.monitoring, second.monitoring]).toEqual([true, false]);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('already monitored by another handle'), undefined);
    expect(recorder.callsOf('addNewFabric')).toHaveLength(1);
    first.dispose();
    const third = monitorSimplePeer(recorder, peer, options);
    handles.push(third);
    expect(third.monitoring).toBe(true);
    const closed = once(peer, 'close');
    peer.destroy(new Error('app gave up'));
    await closed;
    expect(recorder.callsOf('addNewFabric')).toHaveLength(2);
    expect(recorder.callsOf('reportError').map((c) => c.args[2])).toEqual(['applicationError']);
    expect(recorder.callsOf('sendFabricEvent').map((c) => c.args[1])).toEqual(['fabricTerminated']);
  });

  it('without any WebRTC, simple-peer throws its own error through the shim, and nothing is left', () => {
    const recorder = new RecordingCallstats();
    expect(() => monitorSimplePeer(recorder, { initiator: true }, { ...options, SimplePeer })).toThrow(
      expect.objectContaining({ code: 'ERR_WEBRTC_SUPPORT' }),
    );
    expect(recorder.calls).toEqual([]);
  });
});
