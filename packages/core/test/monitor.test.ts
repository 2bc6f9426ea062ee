import { describe, expect, it, vi } from 'vitest';
import { createMonitor, createShimMonitor, FabricEvent, watchMediaDevices, watchPageMediaDevices, type CallstatsClient } from '../src/index.js';
import { recordingClient, ScriptedPeerConnection } from './fakes.js';

const setup = (options: { includeSdp?: boolean } = {}) => {
  const client = recordingClient();
  const logger = { warn: vi.fn() };
  const monitor = createMonitor({ client, conferenceID: 'conf-1', logger, ...options });
  return { client, logger, monitor };
};
const methods = (client: ReturnType<typeof recordingClient>) => client.calls.map((c) => c.method);

describe('createMonitor', () => {
  it('rejects bad arguments with a TypeError naming the argument', () => {
    const client = recordingClient();
    expect(() => createMonitor({ client: {} as CallstatsClient, conferenceID: 'c' })).toThrow(/client must have addNewFabric/);
    expect(() => createMonitor({ client, conferenceID: '' })).toThrow(TypeError);
    expect(() => createMonitor(undefined as never)).toThrow(TypeError);
    const monitor = createMonitor({ client, conferenceID: 'c' });
    expect(() => monitor.addFabric({} as never, { remoteUserID: 'bob' })).toThrow(/pc must have getStats/);
    const pc = new ScriptedPeerConnection();
    expect(() => monitor.addFabric(pc, { remoteUserID: '' })).toThrow(/remoteUserID/);
    expect(() => monitor.addFabric(pc, { remoteUserID: 'bob', fabricUsage: 'audiovideo' as never })).toThrow(
      /fabricUsage must be one of audio, video, screen, data, multiplex, unbundled/,
    );
    expect(client.calls).toEqual([]);
  });

  it('adds the fabric at once, with multiplex as the default usage', () => {
    const { client, monitor } = setup();
    const pc = new ScriptedPeerConnection();
    monitor.addFabric(pc, { remoteUserID: 'bob' });
    expect(client.calls).toEqual([{ method: 'addNewFabric', args: [pc, 'bob', 'multiplex', 'conf-1'] }]);
  });

  it('lists the active fabrics, without the terminated ones', () => {
    const { monitor } = setup();
    const [a, b] = [new ScriptedPeerConnection(), new ScriptedPeerConnection()];
    const first = monitor.addFabric(a, { remoteUserID: 'bob' });
    const second = monitor.addFabric(b, { remoteUserID: 'carol' });
    expect(monitor.fabrics()).toEqual([first, second]);
    a.close();
    expect(monitor.fabrics()).toEqual([second]);
  });

  it('returns the live handle when the same pc is added again', () => {
    const { client, monitor } = setup();
    const pc = new ScriptedPeerConnection();
    const handle = monitor.addFabric(pc, { remoteUserID: 'bob', fabricUsage: 'audio' });
    expect(monitor.addFabric(pc, { remoteUserID: 'bob' })).toBe(handle);
    expect(methods(client)).toEqual(['addNewFabric']);
  });

  it('attaches late to a pc that is already connected, the same way', () => {
    const { client, monitor } = setup();
    const pc = new ScriptedPeerConnection();
    pc.iceConnectionState = 'connected';
    pc.connectionState = 'connected';
    const handle = monitor.addFabric(pc, { remoteUserID: 'bob', fabricAttributes: { remoteEndpointType: 'peer' } });
    expect(client.calls[0]?.args).toEqual([pc, 'bob', 'multiplex', 'conf-1', { remoteEndpointType: 'peer' }]);
    pc.close();
    expect(handle.active).toBe(false);
  });

  it('reports pc failures without SDP unless the app opted in', async () => {
    for (const includeSdp of [false, true]) {
      const { client, monitor } = setup({ includeSdp });
      const pc = new ScriptedPeerConnection();
      monitor.addFabric(pc, { remoteUserID: 'bob' });
      const error = new DOMException('no', 'InvalidStateError');
      pc.failures.set('setLocalDescription', error);
      await expect(pc.setLocalDescription({})).rejects.toBe(error);
      const sdp = includeSdp ? ['v=0 local', 'v=0 remote'] : [];
      expect(client.calls[1]).toEqual({ method: 'reportError', args: [pc, 'conf-1', 'setLocalDescription', error, ...sdp] });
    }
  });

  it('sends exactly one fabricTerminated, however the call ends', () => {
    const { client, monitor } = setup();
    const pc = new ScriptedPeerConnection();
    const handle = monitor.addFabric(pc, { remoteUserID: 'bob' });
    pc.close();
    pc.close();
    handle.terminate();
    const terminated = client.calls.filter((c) => c.args[1] === FabricEvent.fabricTerminated);
    expect(terminated).toEqual([{ method: 'sendFabricEvent', args: [pc, 'fabricTerminated', 'conf-1'] }]);
    expect(pc.closed).toBe(2);
    expect(Object.hasOwn(pc, 'close')).toBe(false);
  });

  it('sends lifecycle events and stream associations while active, nothing after terminate', () => {
    const { client, monitor } = setup();
    const pc = new ScriptedPeerConnection();
    const handle = monitor.addFabric(pc, { remoteUserID: 'bob' });
    handle.send('audioMute');
    handle.send('fabricHold');
    handle.associateStream('bob', '1234', 'microphone');
    handle.terminate();
    handle.send('audioUnmute');
    handle.reportError('createOffer', new Error('late'));
    expect(client.calls.slice(1).map((c) => [c.method, ...c.args.slice(1)])).toEqual([
      ['sendFabricEvent', 'audioMute', 'conf-1'],
      ['sendFabricEvent', 'fabricHold', 'conf-1'],
      ['associateMstWithUserID', 'bob', 'conf-1', '1234', 'microphone'],
      ['sendFabricEvent', 'fabricTerminated', 'conf-1'],
    ]);
  });

  it('sends nothing after dispose and leaves no wrapper behind', async () => {
    const { client, monitor } = setup();
    const pc = new ScriptedPeerConnection();
    const handle = monitor.addFabric(pc, { remoteUserID: 'bob' });
    const mediaDevices = { getUserMedia: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) };
    const original = mediaDevices.getUserMedia;
    watchMediaDevices(mediaDevices, monitor);
    monitor.dispose();
    monitor.dispose();

    expect(monitor.disposed).toBe(true);
    expect(handle.active).toBe(false);
    expect(Object.getOwnPropertyNames(pc).filter((n) => typeof (pc as never)[n] === 'function')).toEqual([]);
    expect(mediaDevices.getUserMedia).toBe(original);
    pc.failures.set('createOffer', new DOMException('x', 'OperationError'));
    await pc.createOffer().catch(() => {});
    pc.close();
    handle.send('audioMute');
    monitor.reportMediaError(new Error('late'));
    monitor.addFabric(new ScriptedPeerConnection(), { remoteUserID: 'carol' });
    expect(methods(client)).toEqual(['addNewFabric']);
  });

  it('reports getUserMedia failures with no pc, and passes streams and errors through', async () => {
    const { client, monitor } = setup();
    const error = new DOMException('denied', 'NotAllowedError');
    const stream = { id: 'stream' };
    let fail = true;
    const mediaDevices = {
      getUserMedia: async () => {
        if (fail) throw error;
        return stream as unknown as MediaStream;
      },
    };
    const unwatch = watchMediaDevices(mediaDevices, monitor);
    await expect(mediaDevices.getUserMedia()).rejects.toBe(error);
    fail = false;
    await expect(mediaDevices.getUserMedia()).resolves.toBe(stream);
    expect(client.calls).toEqual([{ method: 'reportError', args: [null, 'conf-1', 'getUserMedia', error] }]);
    unwatch();
    expect(Object.hasOwn(mediaDevices, 'getUserMedia')).toBe(true); // own property restored, not deleted
  });

  it("watches the page's navigator.mediaDevices unless watchMediaDevices is false, and does nothing without one", async () => {
    const error = new DOMException('denied', 'NotAllowedError');
    const mediaDevices = { getUserMedia: () => Promise.reject(error) };
    const original = mediaDevices.getUserMedia;
    vi.stubGlobal('navigator', { mediaDevices });
    try {
      const { client, monitor } = setup();
      watchPageMediaDevices({ watchMediaDevices: false }, monitor);
      expect(mediaDevices.getUserMedia).toBe(original);
      watchPageMediaDevices({}, monitor);
      await expect(mediaDevices.getUserMedia()).rejects.toBe(error);
      expect(client.calls).toEqual([{ method: 'reportError', args: [null, 'conf-1', 'getUserMedia', error] }]);
      monitor.dispose();
      expect(mediaDevices.getUserMedia).toBe(original);
      vi.stubGlobal('navigator', undefined);
      expect(() => watchPageMediaDevices({}, setup().monitor)).not.toThrow();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('never throws into the app when the client throws or fails; it warns once per kind', async () => {
    const logger = { warn: vi.fn() };
    const client = recordingClient();
    client.addNewFabric = () => {
      throw new Error('client bug');
    };
    client.sendFabricEvent = () => ({ status: 'failure', message: 'pc not found' });
    const monitor = createMonitor({ client, conferenceID: 'c', logger, source: '@shims/test' });
    const pc = new ScriptedPeerConnection();
    const handle = monitor.addFabric(pc, { remoteUserID: 'bob' });
    handle.send('audioMute');
    handle.send('audioUnmute');
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[0]?.[0]).toBe('[@shims/test] callstats addNewFabric threw');
    expect(logger.warn.mock.calls[1]?.[0]).toMatch(/sendFabricEvent answered failure: pc not found/);
  });

  it('survives a logger that throws', () => {
    const client = recordingClient();
    client.addNewFabric = () => {
      throw new Error('client bug');
    };
    const logger = {
      warn: () => {
        throw new Error('logger bug');
      },
    };
    const monitor = createMonitor({ client, conferenceID: 'c', logger });
    expect(() => monitor.addFabric(new ScriptedPeerConnection(), { remoteUserID: 'bob' })).not.toThrow();
  });

  it('runs dispose cleanups once, at dispose or when removed early', () => {
    const { monitor } = setup();
    const early = vi.fn();
    const late = vi.fn();
    const runEarly = monitor.onDispose(early);
    monitor.onDispose(late);
    runEarly();
    runEarly();
    monitor.dispose();
    expect(early).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledTimes(1);
    const afterwards = vi.fn();
    monitor.onDispose(afterwards);
    expect(afterwards).toHaveBeenCalledTimes(1);
  });

  it("builds a monitor from a shim's options: collectSDP and the log source mapped", async () => {
    const client = recordingClient();
    client.addNewFabric = () => ({ status: 'failure', message: 'no' });
    const logger = { warn: vi.fn() };
    const monitor = createShimMonitor(client, { conferenceID: 'c', collectSDP: true, logger }, '@shims/x');
    const pc = new ScriptedPeerConnection();
    monitor.addFabric(pc, { remoteUserID: 'bob' });
    const error = new DOMException('no', 'OperationError');
    pc.failures.set('createOffer', error);
    await expect(pc.createOffer()).rejects.toBe(error);
    expect(client.calls.at(-1)?.args).toEqual([pc, 'c', 'createOffer', error, 'v=0 local', 'v=0 remote']);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/^\[@shims\/x\] callstats addNewFabric answered failure: no/);
    expect(() => createShimMonitor(client, { conferenceID: '' }, '@shims/x')).toThrow(/conferenceID/);
  });

  it('takes a logger function (console.warn) as well as an object; errors name the option the app passed', () => {
    const client = recordingClient();
    client.addNewFabric = () => ({ status: 'failure', message: 'no' });
    const logged: unknown[][] = [];
    const monitor = createShimMonitor(client, { conferenceID: 'c', logger: (...args: unknown[]) => void logged.push(args) }, '@shims/x');
    monitor.addFabric(new ScriptedPeerConnection(), { remoteUserID: 'bob' });
    expect(logged.map(([message]) => message)).toEqual(['[@shims/x] callstats addNewFabric answered failure: no']);
    expect(() => createShimMonitor(client, { conferenceID: 'c', logger: console.warn }, '@shims/x')).not.toThrow();
    expect(() => createShimMonitor(client, { conferenceID: 'c', logger: {} as never }, '@shims/x')).toThrow(
      new TypeError('@shims/x: options.logger must have warn(), got Object'),
    );
    expect(() => createShimMonitor(client, { conferenceID: '' }, '@shims/x')).toThrow(
      new TypeError('@shims/x: options.conferenceID must be a non-empty string, got ""'),
    );
    expect(() => createMonitor({ client, conferenceID: 'c', logger: 'warn' as never })).toThrow(
      /^createMonitor: options.logger must have warn\(\), got "warn"/,
    );
  });

  it('supports `using` through Symbol.dispose', () => {
    const { monitor } = setup();
    monitor[Symbol.dispose]();
    expect(monitor.disposed).toBe(true);
  });
});

describe('enum lists', () => {
  it('FABRIC_USAGES holds exactly the FabricUsage values', async () => {
    const { FABRIC_USAGES, FabricUsage } = await import('../src/index.js');
    expect([...FABRIC_USAGES].sort()).toEqual(Object.values(FabricUsage).sort());
  });
});
