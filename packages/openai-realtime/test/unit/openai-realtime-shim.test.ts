import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordingCallstats } from '@shims/testkit/recording-callstats';
import { monitorOpenAIRealtime, type OpenAIRealtimeMonitor } from '../../src/index.ts';
import { FakeSession, FakeTransport, flush } from './fakes.ts';

const monitors: OpenAIRealtimeMonitor[] = [];
afterEach(() => {
  monitors.splice(0).forEach((m) => m.dispose());
  vi.unstubAllGlobals();
});

function setup(options: Parameters<typeof monitorOpenAIRealtime>[2] = { conferenceID: 'conf' }) {
  const client = new RecordingCallstats();
  const transport = new FakeTransport();
  const session = new FakeSession(transport);
  const monitor = monitorOpenAIRealtime(client, session, options);
  monitors.push(monitor);
  const summary = () =>
    client.calls.map((c) => [c.method, ...c.args.slice(1).map((a) => (a instanceof Error ? `Error: ${a.message}` : a))].join(' '));
  return { client, transport, session, monitor, summary };
}

describe('monitorOpenAIRealtime: arguments', () => {
  it('throws a TypeError naming `session` for anything but a RealtimeSession or the WebRTC transport', () => {
    const client = new RecordingCallstats();
    // The last: the WebSocket transport's shape (a connectionState without a peerConnection).
    const webSocket = { connectionState: { status: 'disconnected', websocket: undefined }, on() {}, off() {}, mute() {} };
    for (const bad of [null, undefined, {}, 'session', { transport: {} }, { on() {}, off() {}, mute() {} }, webSocket, { transport: webSocket }]) {
      expect(() => monitorOpenAIRealtime(client, bad as never, { conferenceID: 'c' })).toThrow(TypeError);
      expect(() => monitorOpenAIRealtime(client, bad as never, { conferenceID: 'c' })).toThrow(/monitorOpenAIRealtime: session/);
    }
  });

  it('throws core TypeErrors naming the option for bad options or client, and changes nothing', () => {
    const transport = new FakeTransport();
    expect(() => monitorOpenAIRealtime(new RecordingCallstats(), transport, { conferenceID: '' })).toThrow(/options\.conferenceID/);
    expect(() => monitorOpenAIRealtime(new RecordingCallstats(), transport, null as never)).toThrow(/@shims\/openai-realtime: options/);
    expect(() => monitorOpenAIRealtime({} as never, transport, { conferenceID: 'c' })).toThrow(TypeError);
    expect(() => monitorOpenAIRealtime(new RecordingCallstats(), transport, { conferenceID: 'c', remoteUserID: 42 as never })).toThrow(
      /options\.remoteUserID/,
    );
    expect(transport.listenerCount('connection_change')).toBe(0);
    expect(Object.hasOwn(transport, 'mute')).toBe(false);
  });
});

describe('monitorOpenAIRealtime: a session', () => {
  it('adds the pc when the transport says connecting, before anything else, as a multiplex fabric of the model', () => {
    const { client, transport, session, monitor } = setup();
    const pc = transport.startConnect();
    expect(client.callsOf('addNewFabric').map((c) => c.args)).toEqual([[pc, 'gpt-realtime-2.1', 'multiplex', 'conf']]);
    expect(monitor.fabricFor(session)?.pc).toBe(pc);
    expect(monitor.fabricFor(transport)?.pc).toBe(pc);
    expect(monitor.fabricFor(new FakeTransport())).toBeUndefined();
    transport.connected();
    expect(client.calls).toHaveLength(1);
  });

  it('takes remoteUserID as a user ID or as a function of the model', () => {
    const named = setup({ conferenceID: 'conf', remoteUserID: 'agent' });
    named.transport.startConnect();
    const byModel = setup({ conferenceID: 'conf', remoteUserID: (model) => `model:${model}` });
    byModel.transport.currentModel = 'gpt-realtime-mini';
    byModel.transport.startConnect();
    expect(named.client.callsOf('addNewFabric')[0]!.args[1]).toBe('agent');
    expect(byModel.client.callsOf('addNewFabric')[0]!.args[1]).toBe('model:gpt-realtime-mini');
  });

  it('maps mute(true)/mute(false) to one audioMute/audioUnmute per change, through the session or the transport', () => {
    const { transport, session, summary } = setup();
    session.mute(true); // before any pc: nothing to tell
    transport.mute(false);
    transport.startConnect();
    session.mute(true);
    session.mute(true);
    transport.mute(false);
    expect(transport.muted).toBe(false);
    expect(summary()).toEqual(['addNewFabric gpt-realtime-2.1 multiplex conf', 'sendFabricEvent audioMute conf', 'sendFabricEvent audioUnmute conf']);
  });

  it('close(): one fabricTerminated, after which nothing is sent and the pc is unwrapped', async () => {
    const { client, transport, session, monitor, summary } = setup();
    const pc = transport.startConnect();
    transport.connected();
    expect(Object.hasOwn(pc, 'close')).toBe(true);
    transport.close();
    await flush();
    session.mute(true);
    expect(summary()).toEqual(['addNewFabric gpt-realtime-2.1 multiplex conf', 'sendFabricEvent fabricTerminated conf']);
    expect(client.violations).toEqual([]);
    expect(monitor.fabrics()).toEqual([]);
    expect(Object.getOwnPropertyNames(pc).filter((n) => typeof (pc as unknown as Record<string, unknown>)[n] === 'function')).toEqual([]);
  });

  it('close() then dispose() at once, as apps write it: the fabricTerminated still goes out, and the exchange failure before it', async () => {
    const { transport, monitor, summary } = setup();
    transport.startConnect();
    transport.close();
    monitor.dispose();
    const failing = setup();
    const pc = failing.transport.startConnect();
    await pc.setLocalDescription();
    failing.transport.failConnect(new Error('status 500'));
    failing.monitor.dispose();
    await flush();
    expect(summary()).toEqual(['addNewFabric gpt-realtime-2.1 multiplex conf', 'sendFabricEvent fabricTerminated conf']);
    expect(failing.summary()).toEqual([
      'addNewFabric gpt-realtime-2.1 multiplex conf',
      'reportError conf setRemoteDescription Error: status 500',
      'sendFabricEvent fabricTerminated conf',
    ]);
  });

  it('a second connect() of the same session is a second fabric', async () => {
    const { client, transport } = setup();
    const first = transport.startConnect();
    transport.close();
    await flush();
    const second = transport.startConnect();
    transport.close();
    await flush();
    expect(client.fabrics).toEqual([first, second]);
    expect(client.callsOf('sendFabricEvent').map((c) => [c.args[0], c.args[1]])).toEqual([
      [first, 'fabricTerminated'],
      [second, 'fabricTerminated'],
    ]);
  });
});

describe('monitorOpenAIRealtime: failures', () => {
  it('a failing pc call is reported once with the original error, not again when the transport repeats it', async () => {
    const { transport, summary } = setup();
    const pc = transport.startConnect();
    const error = new Error('createOffer failed');
    pc.failNext = { method: 'createOffer', error };
    await expect(pc.createOffer()).rejects.toBe(error);
    transport.failConnect(error);
    await flush();
    expect(summary()).toEqual([
      'addNewFabric gpt-realtime-2.1 multiplex conf',
      'reportError conf createOffer Error: createOffer failed',
      'sendFabricEvent fabricTerminated conf',
    ]);
  });

  it('the SDP exchange failing (offer out, no answer set) is reported as setRemoteDescription with the error, then fabricTerminated', async () => {
    const { client, transport, summary } = setup();
    const pc = transport.startConnect();
    await pc.setLocalDescription();
    const error = new Error('Realtime call request failed with status 503');
    transport.failConnect(error);
    await flush();
    expect(summary()).toEqual([
      'addNewFabric gpt-realtime-2.1 multiplex conf',
      'reportError conf setRemoteDescription Error: Realtime call request failed with status 503',
      'sendFabricEvent fabricTerminated conf',
    ]);
    expect(client.callsOf('reportError')[0]!.args[3]).toBe(error);
  });

  it('an error before the offer, or after the answer (a data channel error, the model`s error event), is not reported', async () => {
    const { transport, summary } = setup();
    transport.startConnect();
    transport.failConnect(new Error('before the offer'));
    await flush();
    const pc = transport.startConnect();
    await pc.setLocalDescription();
    await pc.setRemoteDescription();
    transport.connected();
    transport.emit('error', { type: 'error', error: { type: 'error', error: { message: 'from the model' } } });
    transport.failConnect(new Event('error'));
    await flush();
    expect(summary().filter((line) => line.startsWith('reportError'))).toEqual([]);
    expect(summary().filter((line) => line.endsWith('fabricTerminated conf'))).toHaveLength(2);
  });

  it('the app closing during the exchange (no error event) is no failure', async () => {
    const { transport, summary } = setup();
    const pc = transport.startConnect();
    await pc.setLocalDescription();
    transport.close();
    await flush();
    expect(summary()).toEqual(['addNewFabric gpt-realtime-2.1 multiplex conf', 'sendFabricEvent fabricTerminated conf']);
  });

  it('a remoteUserID function that throws does not reach the SDK: a warning, no fabric', () => {
    const warn = vi.fn();
    const { client, transport } = setup({
      conferenceID: 'conf',
      logger: warn,
      remoteUserID: () => {
        throw new Error('no user');
      },
    });
    expect(() => transport.startConnect()).not.toThrow();
    expect(client.calls).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not monitored'), new Error('no user'));
  });

  it('a client that throws does not reach the app', async () => {
    const transport = new FakeTransport();
    const warn = vi.fn();
    const throwing = new RecordingCallstats();
    throwing.addNewFabric = () => {
      throw new Error('client broke');
    };
    monitors.push(monitorOpenAIRealtime(throwing, transport, { conferenceID: 'c', logger: warn }));
    expect(() => transport.startConnect()).not.toThrow();
    expect(() => transport.mute(true)).not.toThrow();
    transport.close();
    await flush();
    expect(warn).toHaveBeenCalled();
  });
});

describe('monitorOpenAIRealtime: the microphone', () => {
  function stubMediaDevices(error: Error) {
    const mediaDevices = { getUserMedia: vi.fn(() => Promise.reject(error)) };
    vi.stubGlobal('navigator', { mediaDevices });
    return mediaDevices;
  }

  it('reports a getUserMedia failure while the session connects, once, with no pc; stops watching once connected', async () => {
    const error = new Error('NotAllowedError');
    const mediaDevices = stubMediaDevices(error);
    const original = mediaDevices.getUserMedia;
    const { client, transport } = setup();
    await expect(mediaDevices.getUserMedia()).rejects.toBe(error); // before connect(): the app's
    transport.startConnect();
    expect(mediaDevices.getUserMedia, 'watched while connecting').not.toBe(original);
    await expect(mediaDevices.getUserMedia()).rejects.toBe(error);
    transport.connected();
    expect(mediaDevices.getUserMedia, 'unwatched once connected').toBe(original);
    await expect(mediaDevices.getUserMedia()).rejects.toBe(error);
    expect(client.callsOf('reportError').map((c) => c.args)).toEqual([[null, 'conf', 'getUserMedia', error]]);
    expect(mediaDevices.getUserMedia).toHaveBeenCalledTimes(3);
  });

  it('with watchMediaDevices: false, leaves getUserMedia alone', async () => {
    const mediaDevices = stubMediaDevices(new Error('denied'));
    const original = mediaDevices.getUserMedia;
    const { client, transport } = setup({ conferenceID: 'conf', watchMediaDevices: false });
    transport.startConnect();
    expect(mediaDevices.getUserMedia).toBe(original);
    await expect(mediaDevices.getUserMedia()).rejects.toThrow('denied');
    expect(client.callsOf('reportError')).toEqual([]);
  });
});

describe('monitorOpenAIRealtime: attachment and dispose', () => {
  it('attached mid-session: adds the pc the transport holds at once; a closed one is not added', () => {
    const transport = new FakeTransport();
    const pc = transport.startConnect();
    transport.connected();
    const client = new RecordingCallstats();
    monitors.push(monitorOpenAIRealtime(client, transport, { conferenceID: 'late' }));
    expect(client.fabrics).toEqual([pc]);
    pc.close();
    const other = new RecordingCallstats();
    monitors.push(monitorOpenAIRealtime(other, transport, { conferenceID: 'late' }));
    expect(other.fabrics).toEqual([]);
  });

  it('dispose(): removes every listener and wrapper, sends nothing more', async () => {
    const original = () => Promise.resolve({});
    const mediaDevices = { getUserMedia: original };
    vi.stubGlobal('navigator', { mediaDevices });
    const { client, transport, session, monitor } = setup();
    const pc = transport.startConnect();
    monitor.dispose();
    expect(transport.listenerCount('connection_change')).toBe(0);
    expect(transport.listenerCount('error')).toBe(0);
    expect(Object.hasOwn(transport, 'mute')).toBe(false);
    expect(mediaDevices.getUserMedia).toBe(original);
    expect(Object.getOwnPropertyNames(pc)).toEqual(expect.not.arrayContaining(['close', 'createOffer']));
    const calls = client.calls.length;
    session.mute(true);
    transport.close();
    transport.startConnect();
    await flush();
    expect(client.calls).toHaveLength(calls);
    expect(monitor.fabrics()).toEqual([]);
  });
});
