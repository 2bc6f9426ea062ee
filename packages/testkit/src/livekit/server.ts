import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { JoinRequest, SignalRequest, WrappedJoinRequest, WrappedJoinRequest_Compression } from '@livekit/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { ToneParticipant } from '../twilio/tone-participant.ts';
import type { MediaCounts } from '../twilio/server-peer.ts';
import { ClientSession, type LiveKitGuest, type RoomView, type SessionMode } from './client-session.ts';
import { createLiveKitToken, livekitSid, verifyLiveKitToken } from './token.ts';

export type { MediaCounts as LiveKitMediaCounts } from '../twilio/server-peer.ts';

export interface LiveKitServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * Whether the server speaks the `/rtc/v1` path (one pc, the offer inside the join request).
   * Default true. False answers it with 404, as a server older than 1.9 does: the SDK then falls
   * back to `/rtc` with two pcs. `setSinglePeerConnection` changes it later.
   */
  singlePeerConnection?: boolean;
}

export interface LiveKitLogEntry {
  room: string;
  identity: string;
  /** `join`, `resume`, `v1-refused`, or the case of a SignalRequest (`offer`, `trickle`, `addTrack`, `leave`...). */
  type: string;
  /** The signal path the client used. */
  path: '/rtc' | '/rtc/v1';
}

export interface LiveKitPeerState {
  room: string;
  identity: string;
  /** `publisher` (the pc the SDK offers on; the only one in single-pc mode) or `subscriber`. */
  role: 'publisher' | 'subscriber';
  /** The server-side pc's connectionState (`closed` once the session ended). */
  connectionState: string;
}

export interface LiveKitTestServer {
  /** The URL to pass to `room.connect(url, token)`. */
  readonly url: string;
  /** An access token (HS256 JWT, as livekit-server-sdk makes) for this identity and room. */
  token(identity: string, room: string): string;
  /** Serve (true) or refuse with 404 (false) the `/rtc/v1` single-pc path from now on. */
  setSinglePeerConnection(enabled: boolean): void;
  /** A server-side participant publishing a real audio track joins: ParticipantConnected, TrackSubscribed. */
  addParticipant(room: string, identity: string): Promise<void>;
  /** That participant leaves: ParticipantDisconnected. */
  removeParticipant(room: string, identity: string): Promise<void>;
  /** Drops every client's socket in the room without a close frame: the SDK resumes (same pcs, ICE restart). */
  dropSignaling(room: string): void;
  /** Sends every client in the room a LeaveRequest RECONNECT: the SDK closes its pcs and joins again (full reconnect). */
  requestReconnect(room: string): void;
  /** Deletes the room: each client gets a LeaveRequest DISCONNECT (ROOM_DELETED). */
  endRoom(room: string): void;
  /** Packets counted by the server-side pc(s) of a client's current session. */
  mediaCounts(room: string, identity: string): Promise<MediaCounts>;
  /** Every server-side pc so far, also of sessions that ended. */
  peerStates(): LiveKitPeerState[];
  /** Identities with a live session in the room (not the server-side participants). */
  clients(room: string): string[];
  /** What the server received, one entry per join, resume and signal request. */
  readonly log: ReadonlyArray<LiveKitLogEntry>;
  close(): Promise<void>;
}

interface LocalRoom extends RoomView {
  readonly sessions: Set<ClientSession>;
  readonly guestsByIdentity: Map<string, LiveKitGuest>;
}

/** `join_request` (v1): base64url of a WrappedJoinRequest holding a JoinRequest, gzipped or not. */
function decodeJoinRequest(param: string | null): JoinRequest {
  if (!param) return new JoinRequest();
  const wrapped = WrappedJoinRequest.fromBinary(Buffer.from(param, 'base64url'));
  const bytes = wrapped.compression === WrappedJoinRequest_Compression.GZIP ? gunzipSync(wrapped.joinRequest) : wrapped.joinRequest;
  return JoinRequest.fromBinary(bytes);
}

function refuse(socket: Socket, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * A local LiveKit signaling server (the protocol of `@livekit/protocol` over WebSocket, binary
 * protobuf), enough for the real livekit-client to join a room with a server-side WebRTC peer,
 * in single-pc (`/rtc/v1`) or two-pc (`/rtc`) mode. See README.md in this folder.
 */
export async function startLiveKitServer(options: LiveKitServerOptions = {}): Promise<LiveKitTestServer> {
  let singlePeerConnection = options.singlePeerConnection ?? true;
  const rooms = new Map<string, LocalRoom>();
  const log: LiveKitLogEntry[] = [];
  const everySession: ClientSession[] = [];
  const sessionsBySid = new Map<string, ClientSession>();

  const http = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    // The SDK asks `<path>/validate` after a failed upgrade, from the page's origin.
    const headers = { 'access-control-allow-origin': '*', 'content-type': 'text/plain' };
    if (pathname === '/rtc/v1/validate' && !singlePeerConnection) {
      res.writeHead(404, headers).end('404 page not found');
    } else if (pathname === '/rtc/validate' || pathname === '/rtc/v1/validate') {
      const grant = verifyLiveKitToken(new URL(req.url ?? '/', 'http://localhost').searchParams.get('access_token'));
      if (grant) res.writeHead(200, headers).end('success');
      else res.writeHead(401, headers).end('invalid token');
    } else {
      res.writeHead(404, headers).end('not found');
    }
  });
  const wss = new WebSocketServer({ noServer: true });

  function roomNamed(name: string): LocalRoom {
    let room = rooms.get(name);
    if (!room) {
      const guestsByIdentity = new Map<string, LiveKitGuest>();
      room = { sid: livekitSid('RM'), name, sessions: new Set(), guestsByIdentity, guests: () => [...guestsByIdentity.values()] };
      rooms.set(name, room);
    }
    return room;
  }

  function endSession(session: ClientSession): void {
    session.close();
    sessionsBySid.delete(session.sid);
    rooms.get(session.room.name)?.sessions.delete(session);
  }

  function accept(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/$/, '');
    if (path !== '/rtc' && path !== '/rtc/v1') return refuse(socket, '404 Not Found');
    const grant = verifyLiveKitToken(url.searchParams.get('access_token'));
    if (!grant) return refuse(socket, '401 Unauthorized');
    const entry = (type: string) => log.push({ room: grant.room, identity: grant.identity, type, path });
    if (path === '/rtc/v1' && !singlePeerConnection) {
      entry('v1-refused');
      return refuse(socket, '404 Not Found');
    }
    let request: JoinRequest;
    try {
      request = path === '/rtc/v1' ? decodeJoinRequest(url.searchParams.get('join_request')) : new JoinRequest();
    } catch {
      return refuse(socket, '400 Bad Request');
    }
    const reconnect = path === '/rtc/v1' ? request.reconnect : url.searchParams.get('reconnect') === '1';
    const resumeSid = path === '/rtc/v1' ? request.participantSid : url.searchParams.get('sid');
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      let session: ClientSession | undefined;
      if (reconnect) {
        session = resumeSid ? sessionsBySid.get(resumeSid) : undefined;
        if (!session) {
          ws.close(1000, 'unknown session');
          return;
        }
        entry('resume');
        void session.resume(ws);
      } else {
        const room = roomNamed(grant.room);
        const mode: SessionMode = path === '/rtc/v1' ? 'single' : 'dual';
        const joined = new ClientSession(grant.identity, room, mode, entry);
        session = joined;
        everySession.push(joined);
        room.sessions.add(joined);
        sessionsBySid.set(joined.sid, joined);
        joined.attach(ws);
        entry('join');
        void joined.join(request.publisherOffer);
      }
      const current = session;
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        let signal: SignalRequest;
        try {
          signal = isBinary ? SignalRequest.fromBinary(new Uint8Array(data)) : SignalRequest.fromJsonString(data.toString('utf8'));
        } catch {
          return;
        }
        const type = signal.message.case ?? 'unknown';
        if (type !== 'ping' && type !== 'pingReq') entry(type);
        if (type === 'leave') endSession(current);
        else current.handle(signal);
      });
      ws.on('close', () => current.detach(ws));
    });
  }

  http.on('upgrade', accept);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const sessionsOf = (name: string): ClientSession[] => [...(rooms.get(name)?.sessions ?? [])];

  return {
    url: `ws://127.0.0.1:${port}`,
    log,
    token: createLiveKitToken,
    setSinglePeerConnection(enabled) {
      singlePeerConnection = enabled;
    },
    async addParticipant(name, identity) {
      const room = roomNamed(name);
      if (room.guestsByIdentity.has(identity)) throw new Error(`${identity} is already in ${name}`);
      const guest: LiveKitGuest = { identity, sid: livekitSid('PA'), trackSid: livekitSid('TR'), tone: new ToneParticipant(identity), version: 1 };
      room.guestsByIdentity.set(identity, guest);
      await Promise.all(sessionsOf(name).map((session) => session.addGuest(guest)));
    },
    async removeParticipant(name, identity) {
      const room = rooms.get(name);
      const guest = room?.guestsByIdentity.get(identity);
      if (!room || !guest) throw new Error(`${identity} is not in ${name}`);
      room.guestsByIdentity.delete(identity);
      guest.version++;
      await Promise.all(sessionsOf(name).map((session) => session.removeGuest(guest)));
      guest.tone.stop();
    },
    dropSignaling(name) {
      for (const session of sessionsOf(name)) session.dropSignaling();
    },
    requestReconnect(name) {
      for (const session of sessionsOf(name)) session.requestReconnect();
    },
    endRoom(name) {
      for (const session of sessionsOf(name)) {
        session.end();
        endSession(session);
      }
      for (const guest of rooms.get(name)?.guests() ?? []) guest.tone.stop();
      rooms.delete(name);
    },
    async mediaCounts(name, identity) {
      const counts: MediaCounts = { audioPacketsReceived: 0, videoPacketsReceived: 0, audioPacketsSent: 0 };
      const session = sessionsOf(name)
        .filter((candidate) => candidate.identity === identity)
        .at(-1);
      for (const peer of [session?.publisher, session?.subscriber]) {
        if (!peer) continue;
        const one = await peer.mediaCounts();
        counts.audioPacketsReceived += one.audioPacketsReceived;
        counts.videoPacketsReceived += one.videoPacketsReceived;
        counts.audioPacketsSent += one.audioPacketsSent;
      }
      return counts;
    },
    peerStates: () =>
      everySession.flatMap((session) =>
        [
          { role: 'publisher' as const, peer: session.publisher },
          ...(session.subscriber ? [{ role: 'subscriber' as const, peer: session.subscriber }] : []),
        ].map(({ role, peer }) => ({ room: session.room.name, identity: session.identity, role, connectionState: peer.pc.connectionState })),
      ),
    clients: (name) => sessionsOf(name).map((session) => session.identity),
    close: () =>
      new Promise<void>((resolve) => {
        for (const name of [...rooms.keys()]) {
          for (const session of sessionsOf(name)) endSession(session);
          for (const guest of rooms.get(name)?.guests() ?? []) guest.tone.stop();
        }
        rooms.clear();
        for (const socket of wss.clients) socket.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
