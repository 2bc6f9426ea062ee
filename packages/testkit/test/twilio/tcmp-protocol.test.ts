// The local Twilio server at the protocol level, with a plain WebSocket client and no SDK or
// browser: the TCMP handshake, heartbeats, `bye`, the `connected` reply and RSP errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioServer, type TwilioTestServer } from '@shims/testkit';
import { createAccessToken, identityOf } from '../../src/twilio/token.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the protocol's bodies, read field by field in the assertions
type Message = { type: string; id?: string; negotiatedTimeout?: number; body?: Record<string, any> };

async function open(url: string): Promise<{ socket: WebSocket; received: Message[]; closed: Promise<number> }> {
  const socket = new WebSocket(url);
  const received: Message[] = [];
  socket.addEventListener('message', (event) => received.push(JSON.parse(String(event.data)) as Message));
  const closed = new Promise<number>((resolve) => socket.addEventListener('close', (event) => resolve(event.code)));
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  return { socket, received, closed };
}

const hello = (body: object) => JSON.stringify({ type: 'hello', id: 'hello-1', timeout: 5000, version: 2, body });
const connectBody = (identity: string) => ({
  type: 'connect',
  version: 2,
  name: 'room-x',
  token: createAccessToken(identity, 'room-x'),
  participant: { revision: 1, tracks: [{ id: 'track-1', kind: 'audio', name: 'mic', enabled: true, priority: 'standard' }] },
  peer_connections: [],
});

describe('local Twilio server protocol', () => {
  let server: TwilioTestServer;
  beforeEach(async () => {
    server = await startTwilioServer({ negotiatedTimeoutMs: 300 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('makes tokens whose identity it reads back, and rejects other strings', () => {
    expect(identityOf(server.token('dora', 'room-x'))).toBe('dora');
    expect(identityOf('not-a-token')).toBeUndefined();
    expect(identityOf(42)).toBeUndefined();
  });

  it('answers hello with welcome, then connect with connected carrying SIDs for the published tracks', async () => {
    const client = await open(server.wsServer);
    client.socket.send(hello(connectBody('dora')));
    await expect
      .poll(() => client.received.map((message) => message.body?.type ?? message.type))
      .toEqual(expect.arrayContaining(['welcome', 'connected']));
    expect(client.received[0]).toEqual({ type: 'welcome', id: 'hello-1', negotiatedTimeout: 300 });
    const connected = client.received.find((message) => message.body?.type === 'connected')!.body!;
    expect(connected.participant).toMatchObject({ identity: 'dora', sid: expect.stringMatching(/^PA/) });
    expect(connected.name).toBe('room-x');
    expect(connected.published.tracks).toEqual([{ id: 'track-1', sid: expect.stringMatching(/^MT[0-9a-f]{32}$/), state: 'ready' }]);
    expect(connected.options.session_timeout).toBeGreaterThan(0);
    expect(server.log).toEqual([
      { room: 'room-x', identity: 'dora', type: 'hello' },
      { room: 'room-x', identity: 'dora', type: 'connect' },
    ]);
    expect(server.clients('room-x')).toEqual(['dora']);
    client.socket.close();
  });

  it('sends heartbeats at half the negotiated timeout, and closes the socket after bye', async () => {
    const client = await open(server.wsServer);
    client.socket.send(hello(connectBody('erin')));
    await expect.poll(() => client.received.filter((message) => message.type === 'heartbeat').length).toBeGreaterThanOrEqual(2);
    client.socket.send(JSON.stringify({ type: 'heartbeat' }));
    client.socket.send(JSON.stringify({ type: 'msg', body: { type: 'disconnect', version: 2 } }));
    client.socket.send(JSON.stringify({ type: 'bye' }));
    expect(await client.closed).toBe(1000);
    expect(server.log.map((entry) => entry.type)).toEqual(['hello', 'connect', 'heartbeat', 'disconnect', 'bye']);
    expect(server.clients('room-x')).toEqual([]);
  });

  it('answers a sync for an unknown session with an RSP error (the SDK then gives up)', async () => {
    const client = await open(server.wsServer);
    client.socket.send(hello({ type: 'sync', version: 2, session: 'SSnope', token: server.token('finn') }));
    await expect.poll(() => client.received.find((message) => message.body?.type === 'error')?.body).toMatchObject({ code: 53000 });
    client.socket.close();
  });

  it('answers invalid JSON with bad', async () => {
    const client = await open(server.wsServer);
    client.socket.send('{nope');
    await expect.poll(() => client.received).toEqual([{ type: 'bad', reason: 'Invalid JSON' }]);
    client.socket.close();
  });
});
