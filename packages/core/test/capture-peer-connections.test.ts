import { describe, expect, it } from 'vitest';
import { capturePeerConnections } from '../src/index.js';

describe('capturePeerConnections', () => {
  class FakePc {
    constructor(public config?: object) {}
  }
  const global = globalThis as { RTCPeerConnection?: unknown };

  it('hands over each pc built inside, as an ordinary instance, and restores the constructor even on a throw', () => {
    global.RTCPeerConnection = FakePc;
    const seen: unknown[] = [];
    const pc = capturePeerConnections(
      (p) => seen.push(p),
      () => new (global.RTCPeerConnection as typeof FakePc)({ a: 1 }),
    );
    expect(seen).toEqual([pc]);
    expect(Object.getPrototypeOf(pc)).toBe(FakePc.prototype);
    expect(global.RTCPeerConnection).toBe(FakePc);
    expect(() =>
      capturePeerConnections(
        () => {},
        () => {
          throw new Error('sdk bug');
        },
      ),
    ).toThrow('sdk bug');
    expect(global.RTCPeerConnection).toBe(FakePc);
    delete global.RTCPeerConnection;
  });

  it('still hands the pc to the SDK when the callback throws', () => {
    global.RTCPeerConnection = FakePc;
    const pc = capturePeerConnections(
      () => {
        throw new Error('shim bug');
      },
      () => new (global.RTCPeerConnection as typeof FakePc)(),
    );
    expect(pc).toBeInstanceOf(FakePc);
    delete global.RTCPeerConnection;
  });
});
