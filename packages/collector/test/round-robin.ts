// A load balancer in a few lines: each request goes to the next backend in turn, counted per
// backend. Shared by the several-collectors test and the bench's two-collector load run
// (bench/src/collector-load.ts imports this file), so both measure the same balancer.
import { Agent, createServer, request, type Server } from 'node:http';

export interface RoundRobin {
  url: string;
  /** Requests handed to each backend, in the order of `backends`. */
  served: number[];
  /** Stops listening and drops its connections (to the clients and to the backends). */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 at a free port; `backends` are base URLs (`http://127.0.0.1:<port>`). */
export async function startRoundRobin(backends: string[]): Promise<RoundRobin> {
  const served = backends.map(() => 0);
  // Keep-alive to the backends, as a real balancer keeps its upstream connections.
  const agent = new Agent({ keepAlive: true });
  let next = 0;
  const server: Server = createServer((req, res) => {
    const index = next++ % backends.length;
    served[index]!++;
    const target = new URL(req.url ?? '/', backends[index]);
    const upstream = request(target, { method: req.method, agent, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    // A backend gone (or killed): the client gets a 502, or a reset if its answer had begun.
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
