import { describe, expect, it, vi } from 'vitest';
import { createMonitor, createScope, createShimMonitor, listenOn, patchMethod, shimMonitor, type FabricPeerConnection } from '../src/index.js';
import { recordingClient, ScriptedPeerConnection } from './fakes.js';

const monitorOf = () => createMonitor({ client: recordingClient(), conferenceID: 'c' });

describe('the monitor records what a shim changes (patchMethod, listenOn, onDispose, createScope)', () => {
  it('undoes replaced methods, listeners and cleanups in reverse at dispose', () => {
    const monitor = monitorOf();
    const order: string[] = [];
    const sdk = { call: () => 'original' };
    const original = sdk.call;
    expect(patchMethod(monitor, sdk, 'call', (call) => () => `wrapped ${call()}`)).toBe(true);
    expect(patchMethod(monitor, sdk, 'missing', (f) => f)).toBe(false);
    expect(sdk.call()).toBe('wrapped original');
    const emitter = new EventTarget();
    const listener = vi.fn();
    listenOn(monitor, emitter, 'x', listener);
    monitor.onDispose(() => order.push('first'));
    monitor.onDispose(() => order.push('second'));
    emitter.dispatchEvent(new Event('x'));
    expect(listener).toHaveBeenCalledTimes(1);
    monitor.dispose();
    expect(order).toEqual(['second', 'first']);
    expect(sdk.call).toBe(original);
    emitter.dispatchEvent(new Event('x'));
    expect(listener).toHaveBeenCalledTimes(1);
    patchMethod(monitor, sdk, 'call', (call) => () => `late ${call()}`);
    expect(sdk.call).toBe(original);
  });

  it('never removes a wrapper someone put on top', () => {
    const monitor = monitorOf();
    const sdk = { call: () => 1 };
    patchMethod(monitor, sdk, 'call', (call) => () => call() + 1);
    const ours = sdk.call;
    sdk.call = () => ours() * 10;
    monitor.dispose();
    expect(sdk.call()).toBe(20);
  });

  it('listens on on/off, addListener/removeListener and addEventListener emitters', () => {
    const monitor = monitorOf();
    const onOff = { on: vi.fn(), off: vi.fn() };
    const onRemove = { on: vi.fn(), removeListener: vi.fn() };
    const addRemove = { addListener: vi.fn(), removeListener: vi.fn() };
    const target = new EventTarget();
    const listener = vi.fn();
    for (const emitter of [onOff, onRemove, addRemove]) listenOn(monitor, emitter, 'e', listener);
    listenOn(monitor, target, 'e', listener);
    target.dispatchEvent(new Event('e'));
    expect(listener).toHaveBeenCalledTimes(1);
    const removeNow = listenOn(monitor, onOff, 'now', listener);
    removeNow();
    removeNow();
    expect(onOff.off).toHaveBeenCalledTimes(1);
    monitor.dispose();
    expect(onOff.off).toHaveBeenCalledWith('e', listener);
    expect(onRemove.removeListener).toHaveBeenCalledWith('e', listener);
    expect(addRemove.removeListener).toHaveBeenCalledWith('e', listener);
    target.dispatchEvent(new Event('e'));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('undoes a scope on its own, or with the monitor, once', () => {
    const monitor = monitorOf();
    const steps: string[] = [];
    const a = createScope(monitor);
    const b = createScope(monitor);
    a.onDispose(() => steps.push('a'));
    b.onDispose(() => steps.push('b1'));
    b.onDispose(() => steps.push('b2'));
    a.dispose();
    a.dispose();
    expect(steps).toEqual(['a']);
    monitor.dispose();
    expect(steps).toEqual(['a', 'b2', 'b1']);
    const late = createScope(monitor);
    const lateStep = vi.fn();
    late.onDispose(lateStep);
    expect(lateStep).toHaveBeenCalled();
  });

  it('goes on undoing when one step throws', () => {
    const monitor = monitorOf();
    const last = vi.fn();
    monitor.onDispose(last);
    monitor.onDispose(() => {
      throw new Error('x');
    });
    monitor.dispose();
    expect(last).toHaveBeenCalled();
  });
});

describe('createShimMonitor and shimMonitor', () => {
  it('resolves remoteUserID: a function of the remote side, a fixed ID, or the default', () => {
    const client = recordingClient();
    expect(createShimMonitor(client, { conferenceID: 'c', remoteUserID: (id: string) => `user-${id}` }, '@shims/x').userOf('a')).toBe('user-a');
    expect(createShimMonitor<string>(client, { conferenceID: 'c', remoteUserID: 'bob' }, '@shims/x').userOf('a')).toBe('bob');
    expect(createShimMonitor<string>(client, { conferenceID: 'c' }, '@shims/x').userOf('a')).toBe('a');
    expect(createShimMonitor<number>(client, { conferenceID: 'c' }, '@shims/x', (n) => `n${n}`).userOf(1)).toBe('n1');
    expect(() => createShimMonitor(client, { conferenceID: 'c', remoteUserID: 1 as never }, '@shims/x')).toThrow(
      new TypeError('@shims/x: options.remoteUserID must be a non-empty string, got number'),
    );
    expect(() => createShimMonitor(client, { conferenceID: 'c', remoteUserID: '' }, '@shims/x')).toThrow(/remoteUserID/);
  });

  it('builds the vendor handle: fabricFor (active only), fabrics, dispose, Symbol.dispose and extras', () => {
    const monitor = monitorOf();
    const pcs = new Map<string, FabricPeerConnection>([['a', new ScriptedPeerConnection()]]);
    const handle = shimMonitor(monitor, (key: string) => monitor.fabricFor(pcs.get(key)!), { extra: 1 });
    const fabric = monitor.addFabric(pcs.get('a')!, { remoteUserID: 'bob' });
    expect(handle.fabricFor('a')).toBe(fabric);
    expect(handle.fabrics()).toEqual([fabric]);
    expect(handle.extra).toBe(1);
    handle[Symbol.dispose]();
    expect(monitor.disposed).toBe(true);
    expect(handle.fabricFor('a')).toBeUndefined();
  });
});
