import type { WebSocket } from 'ws';

/** A room-signaling (RSP v2) message: the `body` of a TCMP `hello` or `msg`. */
export type RspMessage = { type: string; [field: string]: unknown };

export interface TcmpHandlers {
  /** Every TCMP message but `msg`, for the server's log (a `msg` is logged by its body's type). */
  onTcmp(type: string, body: RspMessage | undefined): void;
  /** The body of `hello` (connect or sync) and of each `msg`. */
  onBody(body: RspMessage): void;
  /** The socket closed (after `bye`, or abruptly). */
  onClose(): void;
}

/**
 * The TCMP layer (Twilio's "connection message protocol", v2) of one WebSocket, as the SDK's
 * lib/twilioconnection.js speaks it: the client sends `hello` {id, timeout, version, body?};
 * we answer `welcome` {id, negotiatedTimeout}; then both sides send `msg` {body} and
 * `heartbeat`, and the client sends `bye` before closing. The SDK closes the socket after
 * 3 x negotiatedTimeout without anything from us, so we send a heartbeat every timeout / 2.
 */
export class TcmpConnection {
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly socket: WebSocket;
  private readonly handlers: TcmpHandlers;
  /** Overrides the heartbeat timeout the SDK asks for (it asks for 5000 ms). */
  private readonly negotiatedTimeout: number | undefined;

  constructor(socket: WebSocket, handlers: TcmpHandlers, negotiatedTimeout?: number) {
    this.socket = socket;
    this.handlers = handlers;
    this.negotiatedTimeout = negotiatedTimeout;
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('close', () => {
      clearInterval(this.heartbeat);
      handlers.onClose();
    });
  }

  private receive(text: string): void {
    let message: { type?: unknown; id?: unknown; timeout?: unknown; body?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      this.sendRaw({ type: 'bad', reason: 'Invalid JSON' });
      return;
    }
    const type = String(message.type);
    if (type !== 'msg') this.handlers.onTcmp(type, message.body as RspMessage | undefined);
    if (type === 'hello') {
      const negotiatedTimeout = this.negotiatedTimeout ?? (typeof message.timeout === 'number' ? message.timeout : 5000);
      this.sendRaw({ type: 'welcome', id: message.id, negotiatedTimeout });
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.sendRaw({ type: 'heartbeat' }), negotiatedTimeout / 2);
    }
    const body = message.body as RspMessage | undefined;
    if ((type === 'hello' || type === 'msg') && body && typeof body.type === 'string') this.handlers.onBody(body);
    if (type === 'bye') this.socket.close(1000);
  }

  private sendRaw(message: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** One room-signaling message to the SDK (also counts as a heartbeat on its side). */
  send(body: RspMessage): void {
    this.sendRaw({ type: 'msg', body });
  }

  /** Normal close (we are done with this client). */
  close(): void {
    clearInterval(this.heartbeat);
    this.socket.close(1000);
  }

  /** Abrupt close: no close frame, the SDK sees code 1006 and tries to reconnect. */
  drop(): void {
    clearInterval(this.heartbeat);
    this.socket.terminate();
  }
}
