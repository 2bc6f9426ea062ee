import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

/**
 * What the relay drops, as a middlebox that forwards media but does not terminate RTCP would:
 * `receiver-reports`: compound RTCP packets that start with a Receiver Report (what a receiving
 * endpoint sends); `rtcp`: every RTCP packet; `none`: nothing.
 */
export type RtcpDrop = 'none' | 'receiver-reports' | 'rtcp';

export interface RtcpRelay {
  /** The loopback address of both sides of the relay. */
  readonly host: string;
  /** Give side A's peer `portForA` in place of A's own candidate, and B's peer `portForB`. */
  readonly portForA: number;
  readonly portForB: number;
  /** Packets forwarded and dropped so far, by kind (stun, dtls, rtp, rtcp, other). */
  readonly counts: { forwarded: Record<string, number>; dropped: Record<string, number> };
  /**
   * Impairs the media from now on, in both directions, as a lossy network would: `rtpLossPercent`
   * of the RTP packets dropped (evenly spread, so a test knows how many), and each RTP packet left
   * held back by a random 0 to `rtpJitterMs` ms (it may overtake others). STUN, DTLS and RTCP pass
   * untouched, so the call stays up and the receiver reports the loss. `impair()` ends it.
   */
  impair(impairment?: { rtpLossPercent?: number; rtpJitterMs?: number }): void;
  close(): Promise<void>;
}

/** The kind of a packet on an ICE/DTLS-SRTP 5-tuple (RFC 7983's demultiplexing, RFC 5761 for RTP and RTCP). */
function packetKind(packet: Buffer): 'stun' | 'dtls' | 'rtp' | 'rtcp' | 'other' {
  const first = packet[0] ?? 255;
  if (first <= 3) return 'stun';
  if (first >= 20 && first <= 63) return 'dtls';
  if (first >= 128 && first <= 191) {
    // SRTCP keeps the first 8 bytes in the clear: the packet type is readable. RTP payload types
    // never use 72-76 with the marker bit, so 200-204 (and 205, 206 feedback) are RTCP.
    const type = packet[1] ?? 0;
    return type >= 192 && type <= 223 ? 'rtcp' : 'rtp';
  }
  return 'other';
}

/** A Receiver Report leads the compound packet (packet type 201). */
const isReceiverReport = (packet: Buffer): boolean => packet[1] === 201;

/**
 * A UDP relay on loopback between two WebRTC endpoints, for tests of what a middlebox does to
 * RTCP. Each endpoint is told the relay's address for the other (rewrite the one host candidate
 * each side gathers: A's to `portForA`, B's to `portForB`); the relay learns each endpoint's real
 * address from the first packet it sends, and forwards STUN, DTLS, RTP and RTCP unchanged except
 * for what `drop` says, and what `impair()` does to RTP for a while (loss and jitter on a real
 * media path). Nothing is read beyond the clear SRTCP header.
 */
export async function startRtcpRelay(drop: RtcpDrop = 'none', host = '127.0.0.1'): Promise<RtcpRelay> {
  // socketA stands for A toward B (B sends to it); socketB stands for B toward A.
  const socketA = createSocket('udp4');
  const socketB = createSocket('udp4');
  await Promise.all([socketA, socketB].map((s) => new Promise<void>((resolve) => s.bind(0, host, resolve))));
  const counts = { forwarded: {} as Record<string, number>, dropped: {} as Record<string, number> };
  const add = (table: Record<string, number>, kind: string): void => void (table[kind] = (table[kind] ?? 0) + 1);
  let addressOfA: RemoteInfo | undefined;
  let addressOfB: RemoteInfo | undefined;
  let lossPercent = 0;
  let jitterMs = 0;
  // Loss owed, in hundredths of a packet: a packet is dropped each time it reaches 100.
  let lossOwed = 0;
  const timers = new Set<NodeJS.Timeout>();

  const dropped = (packet: Buffer): boolean => {
    const kind = packetKind(packet);
    if (kind !== 'rtcp' || drop === 'none') return false;
    return drop === 'rtcp' || isReceiverReport(packet);
  };
  const lostToImpairment = (kind: string): boolean => {
    if (kind !== 'rtp' || lossPercent <= 0) return false;
    lossOwed += lossPercent;
    if (lossOwed < 100) return false;
    lossOwed -= 100;
    return true;
  };
  const forward = (packet: Buffer, via: Socket, to: RemoteInfo | undefined): void => {
    const kind = packetKind(packet);
    if (dropped(packet) || lostToImpairment(kind)) return add(counts.dropped, kind);
    if (!to) return add(counts.dropped, 'before-peer-known');
    add(counts.forwarded, kind);
    const delay = kind === 'rtp' && jitterMs > 0 ? Math.random() * jitterMs : 0;
    if (delay < 1) return void via.send(packet, to.port, to.address);
    const timer = setTimeout(() => {
      timers.delete(timer);
      via.send(packet, to.port, to.address);
    }, delay);
    timers.add(timer);
  };
  // B → (socketA) → relay → (socketB) → A; A → (socketB) → relay → (socketA) → B.
  socketA.on('message', (packet, from) => {
    addressOfB = from;
    forward(packet, socketB, addressOfA);
  });
  socketB.on('message', (packet, from) => {
    addressOfA = from;
    forward(packet, socketA, addressOfB);
  });

  return {
    host,
    portForA: socketA.address().port,
    portForB: socketB.address().port,
    counts,
    impair(impairment = {}) {
      lossPercent = Math.min(100, Math.max(0, impairment.rtpLossPercent ?? 0));
      jitterMs = Math.max(0, impairment.rtpJitterMs ?? 0);
      lossOwed = 0;
    },
    close: () => {
      // A packet still held back would be sent on a closed socket.
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return Promise.all([socketA, socketB].map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => {});
    },
  };
}
