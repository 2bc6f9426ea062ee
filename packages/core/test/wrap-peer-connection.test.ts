import { describe, expect, it, vi } from 'vitest';
import { isPeerConnectionWrapped, PEER_CONNECTION_FUNCTIONS, wrapPeerConnection } from '../src/index.js';
import { ScriptedPeerConnection } from './fakes.js';

const argsFor = (fn: string): unknown[] => (fn.startsWith('create') ? [] : [{}]);
type Method = (...args: unknown[]) => Promise<unknown>;
const call = (pc: ScriptedPeerConnection, fn: string, args: unknown[]): Promise<unknown> => (pc as unknown as Record<string, Method>)[fn]!(...args);

describe('wrapPeerConnection', () => {
  it.each(PEER_CONNECTION_FUNCTIONS)('reports a %s failure and hands the caller the same error', async (fn) => {
    const pc = new ScriptedPeerConnection();
    const onFailure = vi.fn();
    wrapPeerConnection(pc, { onFailure });
    const error = new DOMException(`${fn} broke`, 'OperationError');
    pc.failures.set(fn, error);

    await expect(call(pc, fn, argsFor(fn))).rejects.toBe(error);
    expect(onFailure).toHaveBeenCalledExactlyOnceWith(fn, error);
  });

  it('passes results through untouched and reports nothing on success', async () => {
    const pc = new ScriptedPeerConnection();
    const onFailure = vi.fn();
    wrapPeerConnection(pc, { onFailure });
    await expect(pc.createOffer()).resolves.toEqual({ type: 'offer', sdp: 'v=0' });
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('reports a failure of the legacy callback form once and still calls the app callback', async () => {
    const pc = new ScriptedPeerConnection();
    const onFailure = vi.fn();
    wrapPeerConnection(pc, { onFailure });
    const error = new DOMException('bad candidate', 'OperationError');
    pc.failures.set('addIceCandidate', error);
    const appFailure = vi.fn();

    await pc.addIceCandidate({}, () => {}, appFailure);
    expect(appFailure).toHaveBeenCalledExactlyOnceWith(error);
    expect(onFailure).toHaveBeenCalledExactlyOnceWith('addIceCandidate', error);
  });

  it('reports and rethrows a synchronous throw', () => {
    const pc = new ScriptedPeerConnection();
    const error = new TypeError('not a description');
    pc.setRemoteDescription = () => {
      throw error;
    };
    const onFailure = vi.fn();
    wrapPeerConnection(pc, { onFailure });
    expect(() => pc.setRemoteDescription({})).toThrow(error);
    expect(onFailure).toHaveBeenCalledExactlyOnceWith('setRemoteDescription', error);
  });

  it('wraps once however many subscribe, and each subscriber hears each failure once', async () => {
    const pc = new ScriptedPeerConnection();
    const first = vi.fn();
    const second = vi.fn();
    wrapPeerConnection(pc, { onFailure: first });
    const wrapper = pc.createOffer;
    wrapPeerConnection(pc, { onFailure: second });
    expect(pc.createOffer).toBe(wrapper);
    pc.failures.set('createOffer', new DOMException('x', 'OperationError'));
    await pc.createOffer().catch(() => {});
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('removes its wrappers when the last subscriber unwraps, and unwrap is idempotent', () => {
    const pc = new ScriptedPeerConnection();
    const unwrapA = wrapPeerConnection(pc, {});
    const unwrapB = wrapPeerConnection(pc, {});
    unwrapA();
    unwrapA();
    expect(Object.hasOwn(pc, 'createOffer')).toBe(true);
    unwrapB();
    for (const fn of [...PEER_CONNECTION_FUNCTIONS, 'close']) expect(Object.hasOwn(pc, fn)).toBe(false);
    expect(isPeerConnectionWrapped(pc)).toBe(false);
  });

  it('restores an instance patch that another library made before it', async () => {
    const pc = new ScriptedPeerConnection();
    const theirs = vi.fn(async () => ({ type: 'offer', sdp: 'theirs' }));
    pc.createOffer = theirs;
    const unwrap = wrapPeerConnection(pc, {});
    await expect(pc.createOffer()).resolves.toEqual({ type: 'offer', sdp: 'theirs' });
    unwrap();
    expect(pc.createOffer).toBe(theirs);
  });

  it('keeps a later library patch working after unwrap, forwarding only', async () => {
    const pc = new ScriptedPeerConnection();
    const onFailure = vi.fn();
    const unwrap = wrapPeerConnection(pc, { onFailure });
    const ours = pc.createOffer;
    const theirs = vi.fn((...args: unknown[]) => ours.apply(pc, args));
    pc.createOffer = theirs;
    unwrap();
    expect(pc.createOffer).toBe(theirs);

    pc.failures.set('createOffer', new DOMException('x', 'OperationError'));
    await expect(pc.createOffer()).rejects.toThrow('x');
    expect(onFailure).not.toHaveBeenCalled();

    // Wrapped anew: the old, inert wrapper underneath must not report a second time.
    const again = vi.fn();
    wrapPeerConnection(pc, { onFailure: again });
    pc.failures.set('createOffer', new DOMException('y', 'OperationError'));
    await expect(pc.createOffer()).rejects.toThrow('y');
    expect(again).toHaveBeenCalledTimes(1);
    expect(theirs).toHaveBeenCalledTimes(2);
  });

  it('tells onClose before the original close runs', () => {
    const pc = new ScriptedPeerConnection();
    const seen: string[] = [];
    wrapPeerConnection(pc, { onClose: () => seen.push(pc.signalingState) });
    pc.close();
    expect(seen).toEqual(['stable']);
    expect(pc.closed).toBe(1);
  });

  it('keeps a throwing subscriber away from the caller', async () => {
    const pc = new ScriptedPeerConnection();
    wrapPeerConnection(pc, {
      onFailure: () => {
        throw new Error('subscriber bug');
      },
    });
    const error = new DOMException('x', 'OperationError');
    pc.failures.set('createAnswer', error);
    await expect(pc.createAnswer()).rejects.toBe(error);
  });
});
