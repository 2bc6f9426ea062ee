import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SipRelay {
  /** `ws://127.0.0.1:<port>`: give it to each user agent as its SIP WebSocket server. */
  readonly url: string;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

/**
 * A SIP-over-WebSocket "proxy" for tests, small enough to read at a glance: every message a
 * client sends is passed unchanged to every other connected client. Two user agents (JsSIP,
 * SIP.js) can then call each other with no registrar: each request reaches the other UA, which
 * answers; each response comes back the same way. It accepts the `sip` subprotocol (RFC 7118),
 * which both SDKs ask for, and listens on 127.0.0.1 only. Connect exactly two UAs per call: a
 * third would receive the call's messages too.
 */
export async function startSipRelay(): Promise<SipRelay> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.on('connection', (socket: WebSocket) => {
    socket.on('message', (data, isBinary) => {
      for (const other of server.clients) {
        if (other !== socket && other.readyState === other.OPEN) other.send(data, { binary: isBinary });
      }
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
