import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

const HOST = '127.0.0.1';

/**
 * A UDP gate between a call's browser pc and its server pc, on loopback: the server's SDP names
 * the gate (`rewrite`) instead of its own candidates, and the gate forwards every packet both ways
 * (one upstream socket per browser address, as a NAT would) until it is closed (`open = false`):
 * then nothing passes, as on a network that drops, and the browser's ICE goes `disconnected`.
 */
export class MediaGate {
  open = true;
  private readonly socket: Socket = createSocket('udp4');
  private readonly upstream = new Map<string, Socket>();
  /** The server pc's own loopback candidate port, from its latest SDP. */
  private target = 0;

  private started: Promise<void> | undefined;

  /** Binds the gate's socket, once. */
  start(): Promise<void> {
    this.started ??= new Promise<void>((resolve) => this.socket.bind(0, HOST, resolve)).then(() => {
      this.socket.on('message', (packet, from) => this.fromBrowser(packet, from));
    });
    return this.started;
  }

  /** The server's SDP with one candidate, the gate's, in place of all of its own. */
  rewrite(sdp: string): string {
    const own = /^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/m.exec(sdp);
    if (own) this.target = Number(own[1]);
    const port = this.socket.address().port;
    return sdp
      .split('\r\n')
      .filter((line) => !line.startsWith('a=candidate:'))
      .flatMap((line) => (line.startsWith('a=mid:') ? [line, `a=candidate:1 1 udp 2130706431 ${HOST} ${port} typ host`] : [line]))
      .join('\r\n');
  }

  private fromBrowser(packet: Buffer, from: RemoteInfo): void {
    if (!this.open || !this.target) return;
    const key = `${from.address}:${from.port}`;
    let socket = this.upstream.get(key);
    if (!socket) {
      const created = createSocket('udp4');
      created.bind(0, HOST);
      created.on('message', (reply) => {
        if (this.open) this.socket.send(reply, from.port, from.address);
      });
      this.upstream.set(key, (socket = created));
    }
    socket.send(packet, this.target, HOST);
  }

  close(): void {
    for (const socket of this.upstream.values()) socket.close();
    this.upstream.clear();
    this.socket.close();
  }
}
