import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { ClientSession, type RoomView } from './client-session.ts';
import type { MediaCounts } from './server-peer.ts';

export type { MediaCounts as TwilioMediaCounts } from './server-peer.ts';
import { randomSid } from './sids.ts';
import { TcmpConnection, type RspMessage } from './tcmp.ts';
import { createAccessToken, identityOf } from './token.ts';
import { ToneParticipant } from './tone-participant.ts';

export interface TwilioServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * The TCMP heartbeat timeout to give the SDK in `welcome` (default: what it asks for, 5000 ms).
   * The SDK sends a heartbeat after timeout - 200 ms of silence and gives up after 3 x timeout
   * without hearing from us; the server sends one every timeout / 2.
   */
  negotiatedTimeoutMs?: number;
}

export interface TwilioPeerState {
  room: string;
  identity: string;
  /** The SDK's id for its pc (`peer_connections[].id`). */
  id: string;
  /** The server-side pc's connectionState (`closed` once the client left). */
  connectionState: string;
}

export interface TwilioLogEntry {
  room: string;
  identity: string;
  /** TCMP type (`hello`, `heartbeat`, `bye`) or, for `msg`, the body's type (`connect`, `update`, `sync`, `disconnect`). */
  type: string;
}

export interface TwilioTestServer {
  /** Pass as connect()'s `wsServer` option. */
  readonly wsServer: string;
  /** An access-token string the SDK accepts for this identity (and room name). */
  token(identity: string, roomName?: string): string;
  /** A server-side participant publishing a real audio track joins the room; each client renegotiates. */
  addParticipant(roomName: string, identity: string): Promise<void>;
  /** That participant leaves (participantDisconnected in the SDK); each client renegotiates. */
  removeParticipant(roomName: string, identity: string): Promise<void>;
  /** Room completed: every client's Room emits `disconnected` with error 53118. */
  endRoom(roomName: string): Promise<void>;
  /** Drops every client's socket in the room without a close frame: the SDK reconnects with `sync`. */
  dropSignaling(roomName: string): Promise<void>;
  /** Packets counted by the server-side pc(s) of one client (from wrtc getStats). */
  mediaCounts(roomName: string, identity: string): Promise<MediaCounts>;
  /** Every server-side pc created so far (also those of clients that left), for assertions. */
  peerStates(): TwilioPeerState[];
  /** Identities of the clients connected to a room (not the server-side participants). */
  clients(roomName: string): string[];
  /** What the server received: one entry per message, per client. */
  readonly log: ReadonlyArray<TwilioLogEntry>;
  close(): Promise<void>;
}

interface LocalRoom extends RoomView {
  readonly clients: Set<ClientSession>;
  readonly guestsByIdentity: Map<string, ToneParticipant>;
}

/**
 * A local stand-in for Twilio's Video signaling (TCMP over WebSocket + room signaling v2),
 * enough for the real twilio-video SDK to connect a group room to a server-side WebRTC peer.
 * See README.md in this folder for the protocol subset.
 */
export async function startTwilioServer(options: TwilioServerOptions = {}): Promise<TwilioTestServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const rooms = new Map<string, LocalRoom>();
  const sessions = new Map<string, ClientSession>();
  const log: TwilioLogEntry[] = [];
  const everyClient: ClientSession[] = [];

  function roomNamed(name: string): LocalRoom {
    let room = rooms.get(name);
    if (!room) {
      const guestsByIdentity = new Map<string, ToneParticipant>();
      room = { sid: randomSid('RM'), name, clients: new Set(), guestsByIdentity, guests: () => [...guestsByIdentity.values()] };
      rooms.set(name, room);
    }
    return room;
  }

  function leave(client: ClientSession): void {
    client.close();
    sessions.delete(client.session);
    rooms.get(client.room.name)?.clients.delete(client);
  }

  server.on('connection', (socket) => {
    let client: ClientSession | undefined;
    // The hello's body names the room and identity; until then, log what we know.
    let pending = { room: '', identity: '' };
    const connection: TcmpConnection = new TcmpConnection(
      socket,
      {
        onTcmp: (type, body) => {
          if (type === 'hello' && body?.type === 'connect')
            pending = { room: String(body.name ?? ''), identity: identityOf(body.token) ?? 'unknown' };
          if (type === 'hello' && body?.type === 'sync') client = sessions.get(String(body.session));
          log.push({ room: client?.room.name ?? pending.room, identity: client?.identity ?? pending.identity, type });
        },
        onBody: (body: RspMessage) => {
          if (body.type === 'connect') {
            log.push({ ...pending, type: 'connect' });
            const room = roomNamed(pending.room);
            const joined = new ClientSession(pending.identity, room, connection);
            client = joined;
            everyClient.push(joined);
            room.clients.add(joined);
            sessions.set(joined.session, joined);
            void joined.enqueue(() => joined.connect(body));
            return;
          }
          if (body.type === 'sync') client = sessions.get(String(body.session));
          const current = client;
          log.push({ room: current?.room.name ?? pending.room, identity: current?.identity ?? pending.identity, type: body.type });
          if (!current) {
            connection.send({ type: 'error', code: 53000, message: 'Local Twilio server: unknown session' });
            return;
          }
          if (body.type === 'sync') {
            current.attach(connection);
            void current.enqueue(() => current.sync(body));
          } else if (body.type === 'update') {
            void current.enqueue(() => current.update(body));
          } else if (body.type === 'disconnect') {
            leave(current);
          }
        },
        onClose: () => client?.detach(connection),
      },
      options.negotiatedTimeoutMs,
    );
  });

  const { port } = server.address() as AddressInfo;
  const roomClients = (roomName: string): ClientSession[] => [...(rooms.get(roomName)?.clients ?? [])];

  return {
    wsServer: `ws://127.0.0.1:${port}/signaling`,
    log,
    token: (identity, roomName) => createAccessToken(identity, roomName),
    peerStates: () =>
      everyClient.flatMap((client) =>
        [...client.peers.values()].map((peer) => ({
          room: client.room.name,
          identity: client.identity,
          id: peer.id,
          connectionState: peer.pc.connectionState,
        })),
      ),
    clients: (roomName) => roomClients(roomName).map((client) => client.identity),
    async addParticipant(roomName, identity) {
      const room = roomNamed(roomName);
      if (room.guestsByIdentity.has(identity)) throw new Error(`${identity} is already in ${roomName}`);
      const guest = new ToneParticipant(identity);
      room.guestsByIdentity.set(identity, guest);
      await Promise.all(roomClients(roomName).map((client) => client.addGuest(guest)));
    },
    async removeParticipant(roomName, identity) {
      const room = rooms.get(roomName);
      const guest = room?.guestsByIdentity.get(identity);
      if (!room || !guest) throw new Error(`${identity} is not in ${roomName}`);
      room.guestsByIdentity.delete(identity);
      guest.revision++;
      await Promise.all(roomClients(roomName).map((client) => client.removeGuest(guest)));
      guest.stop();
    },
    async endRoom(roomName) {
      for (const client of roomClients(roomName)) {
        client.endRoom();
        leave(client);
      }
      for (const guest of rooms.get(roomName)?.guests() ?? []) guest.stop();
      rooms.delete(roomName);
    },
    async dropSignaling(roomName) {
      for (const client of roomClients(roomName)) client.dropSignaling();
    },
    async mediaCounts(roomName, identity) {
      const client = roomClients(roomName).find((candidate) => candidate.identity === identity);
      const counts: MediaCounts = { audioPacketsReceived: 0, videoPacketsReceived: 0, audioPacketsSent: 0 };
      for (const peer of client?.peers.values() ?? []) {
        const one = await peer.mediaCounts();
        counts.audioPacketsReceived += one.audioPacketsReceived;
        counts.videoPacketsReceived += one.videoPacketsReceived;
        counts.audioPacketsSent += one.audioPacketsSent;
      }
      return counts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const name of [...rooms.keys()]) {
          for (const client of roomClients(name)) leave(client);
          for (const guest of rooms.get(name)?.guests() ?? []) guest.stop();
        }
        rooms.clear();
        for (const socket of server.clients) socket.terminate();
        server.close(() => resolve());
      }),
  };
}
