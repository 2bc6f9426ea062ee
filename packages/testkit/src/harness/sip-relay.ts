import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SipRelay {
  /**
   * `ws://127.0.0.1:<port>`: give it to each user agent as its SIP WebSocket server, with a path
   * of the call's own (`${url}/<call>`) where several calls run at once.
   */
  readonly url: string;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

/**
 * A SIP-over-WebSocket "proxy" for tests, small enough to read at a glance: every message a
 * client sends is passed unchanged to every other client connected on the same URL path. Two
 * user agents (JsSIP, SIP.js) can then call each other with no registrar: each request reaches
 * the other UA, which answers; each response comes back the same way. It accepts the `sip`
 * subprotocol (RFC 7118), which both SDKs ask for, and listens on 127.0.0.1 only. Connect
 * exactly two UAs per path: a third would receive the call's messages too, so calls that run at
 * the same time (the conformance suite's pages) each take a path of their own.
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
  const paths = new WeakMap<WebSocket, string>();
  server.on('connection', (socket: WebSocket, request) => {
    const path = request.url ?? '/';
    paths.set(socket, path);
    socket.on('message', (data, isBinary) => {
      for (const other of server.clients) {
        if (other !== socket && paths.get(other) === path && other.readyState === other.OPEN) other.send(data, { binary: isBinary });
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
