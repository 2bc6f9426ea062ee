import { describe, expect, it, vi } from 'vitest';
import { createFakePeerConnection, createMonitor } from '../src/index.js';
import { recordingClient } from './fakes.js';

const inbound = { id: 'in-1', type: 'inbound-rtp', timestamp: 1 } as RTCStats;

describe('createFakePeerConnection', () => {
  it('answers getStats from its source as a Map keyed by id', async () => {
    const { pc } = createFakePeerConnection({ getStats: async () => [inbound] });
    const report = await pc.getStats();
    expect([...report.values()]).toEqual([inbound]);
    expect(report.get('in-1')).toBe(inbound);
  });

  it('fires a change event per state that changed, in a real pc order', () => {
    const fake = createFakePeerConnection({ getStats: () => [] });
    const seen: string[] = [];
    for (const type of ['signalingstatechange', 'iceconnectionstatechange', 'connectionstatechange'] as const) {
      fake.pc.addEventListener(type, () => seen.push(`${type}:${fake.pc.iceConnectionState}`));
    }
    fake.update({ connectionState: 'connected', iceConnectionState: 'connected', signalingState: 'stable' });
    fake.update({ iceConnectionState: 'connected' });
    expect(seen).toEqual(['iceconnectionstatechange:connected', 'connectionstatechange:connected']);
  });

  it('serves on<event> handlers and icecandidate events', () => {
    const fake = createFakePeerConnection({ getStats: () => [] });
    const handler = vi.fn();
    (fake.pc as unknown as { onicecandidate: unknown }).onicecandidate = handler;
    fake.emitIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host' });
    fake.emitIceCandidate(null);
    expect(handler.mock.calls.map(([event]) => (event as { candidate: unknown }).candidate)).toEqual([
      { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host' },
      null,
    ]);
  });

  it('closes without events, drops handlers and ignores later updates', () => {
    const fake = createFakePeerConnection({ getStats: () => [], initialState: { iceConnectionState: 'connected' } });
    const listener = vi.fn();
    fake.pc.addEventListener('iceconnectionstatechange', listener);
    (fake.pc as unknown as { oniceconnectionstatechange: unknown }).oniceconnectionstatechange = listener;
    fake.close();
    fake.update({ iceConnectionState: 'failed' });
    expect(listener).not.toHaveBeenCalled();
    expect(fake.pc.signalingState).toBe('closed');
    expect(fake.pc.iceConnectionState).toBe('closed');
    expect((fake.pc as unknown as { oniceconnectionstatechange: unknown }).oniceconnectionstatechange).toBeNull();
  });

  it('is accepted by a monitor as a fabric', () => {
    const client = recordingClient();
    const monitor = createMonitor({ client, conferenceID: 'c' });
    const fake = createFakePeerConnection({ getStats: () => [] });
    const handle = monitor.addFabric(fake.pc, { remoteUserID: 'room', wrapMethods: false });
    handle.terminate();
    expect(client.calls.map((c) => c.method)).toEqual(['addNewFabric', 'sendFabricEvent']);
  });

  it('rejects a missing stats source', () => {
    expect(() => createFakePeerConnection({} as never)).toThrow(/getStats must be a function/);
  });
});
