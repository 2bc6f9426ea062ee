// The relay's impairment on plain UDP sockets (no browser): exactly the share of RTP it was told
// to drop, nothing else touched, and the path whole again once `impair()` ends it.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { startRtcpRelay, type RtcpRelay } from '../../src/harness/rtcp-relay.ts';

const rtp = (seq: number): Buffer => Buffer.from([0x80, 111, seq >> 8, seq & 0xff, 0, 0, 0, 0, 0, 0, 0, 1]);
const rtcp = Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1]);
const stun = Buffer.from([0x00, 0x01, 0, 0]);

describe('startRtcpRelay: impair()', () => {
  let relay: RtcpRelay | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    await relay?.close();
    sockets.splice(0).forEach((s) => s.close());
  });

  /** A and B, each pointed at the relay's socket for the other; B counts what arrives. */
  async function endpoints(r: RtcpRelay): Promise<{ sendFromA(packet: Buffer): void; received: Buffer[]; settle(): Promise<void> }> {
    const [a, b] = [createSocket('udp4'), createSocket('udp4')];
    sockets.push(a, b);
    await Promise.all([a, b].map((s) => new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve))));
    const received: Buffer[] = [];
    b.on('message', (packet) => received.push(packet));
    // B speaks first, so the relay knows where B is before A's packets come.
    await new Promise<void>((resolve) => b.send(stun, r.portForA, r.host, () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      sendFromA: (packet) => a.send(packet, r.portForB, r.host),
      received,
      settle: () => new Promise((resolve) => setTimeout(resolve, 300)),
    };
  }

  it('drops the given share of RTP only, then forwards all again', async () => {
    relay = await startRtcpRelay();
    const { sendFromA, received, settle } = await endpoints(relay);
    relay.impair({ rtpLossPercent: 25 });
    for (let seq = 0; seq < 200; seq++) sendFromA(rtp(seq));
    for (let i = 0; i < 10; i++) sendFromA(rtcp);
    await settle();
    expect(relay.counts.dropped.rtp).toBe(50);
    expect(relay.counts.dropped.rtcp).toBeUndefined();
    expect(received.filter((p) => p[1] === 111)).toHaveLength(150);
    expect(received.filter((p) => p[1] === 200)).toHaveLength(10);

    relay.impair();
    for (let seq = 200; seq < 300; seq++) sendFromA(rtp(seq));
    await settle();
    expect(relay.counts.dropped.rtp).toBe(50);
    expect(received.filter((p) => p[1] === 111)).toHaveLength(250);
  });

  it('holds RTP back by up to rtpJitterMs: every packet arrives, some out of order', async () => {
    relay = await startRtcpRelay();
    const { sendFromA, received, settle } = await endpoints(relay);
    relay.impair({ rtpJitterMs: 80 });
    for (let seq = 0; seq < 100; seq++) sendFromA(rtp(seq));
    await settle();
    const order = received.filter((p) => p[1] === 111).map((p) => p.readUInt16BE(2));
    expect(order).toHaveLength(100);
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
    expect(relay.counts.dropped.rtp).toBeUndefined();
  });
});
