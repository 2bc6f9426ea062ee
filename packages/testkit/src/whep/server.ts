import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ServerPeer, type CandidateJson, type MediaCounts } from '../twilio/server-peer.ts';
import { ToneParticipant } from '../twilio/tone-participant.ts';

/** What the server did with one WHEP session (one POSTed offer). */
export interface WhepSessionLog {
  id: string;
  /** The resource path the `Location` header named. */
  resource: string;
  /** How many PATCH (trickle ICE) requests reached the resource, and the candidates they carried. */
  patches: number;
  candidates: number;
  deleted: boolean;
  /** The server pc's connectionState. */
  state: string;
}

export interface WhepTestServer {
  /** The WHEP endpoint URL a player POSTs its offer to, e.g. `http://127.0.0.1:P/whep/endpoint`. */
  readonly endpoint: string;
  readonly url: string;
  sessions(): WhepSessionLog[];
  /** The server pc's packet counts for a session (audio sent to the player). */
  mediaCounts(id: string): Promise<MediaCounts>;
  close(): Promise<void>;
}

export interface WhepServerOptions {
  /** Answer a POST with this status instead (e.g. 503), to test a player's failure path. */
  failPosts?: number;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization, If-Match',
  'access-control-expose-headers': 'Location, Link, ETag',
};

interface Session {
  log: WhepSessionLog;
  peer: ServerPeer;
  tone: ToneParticipant;
  gathered: Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** The candidates of a trickle-ice-sdpfrag (RFC 8840): `a=candidate:` lines, each for the m-line it sits under. */
function candidatesOfSdpFragment(fragment: string): { ufrag: string; candidates: CandidateJson[] } {
  const ufrag = /^a=ice-ufrag:(\S+)/m.exec(fragment)?.[1] ?? '';
  const candidates: CandidateJson[] = [];
  let mid: string | null = null;
  let mLineIndex = -1;
  for (const line of fragment.split(/\r?\n/)) {
    if (line.startsWith('m=')) mLineIndex++;
    else if (line.startsWith('a=mid:')) mid = line.slice(6).trim();
    else if (line.startsWith('a=candidate:'))
      candidates.push({ candidate: line.slice(2).trim(), sdpMid: mid, sdpMLineIndex: Math.max(mLineIndex, 0) });
  }
  return { ufrag, candidates };
}

/**
 * A WHEP endpoint (draft-ietf-wish-whep) on 127.0.0.1 for tests: `POST` an `application/sdp`
 * offer to `endpoint` and get `201 Created` with the answer and a `Location`; the answer comes
 * from a `@roamhq/wrtc` peer sending a real 440 Hz audio track, with its host candidates in the
 * SDP (gathering waited for). `PATCH` of the resource with `application/trickle-ice-sdpfrag`
 * adds the player's candidates (`204`); `DELETE` ends the session. CORS is open: the page is
 * served from another port. No STUN/TURN, no ICE restart, no server-sent events, no layers.
 */
export async function startWhepServer(options: WhepServerOptions = {}): Promise<WhepTestServer> {
  const sessions = new Map<string, Session>();

  async function post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const offer = await readBody(req);
    if (!/^application\/sdp/.test(req.headers['content-type'] ?? '')) return void res.writeHead(415, CORS).end();
    if (options.failPosts) return void res.writeHead(options.failPosts, CORS).end();
    const id = randomUUID();
    let gatheringDone: () => void = () => {};
    const gathered = new Promise<void>((resolve) => (gatheringDone = resolve));
    const peer = new ServerPeer(id, (ice) => ice.complete && gatheringDone());
    const tone = new ToneParticipant('whep');
    const log: WhepSessionLog = { id, resource: `/whep/resource/${id}`, patches: 0, candidates: 0, deleted: false, state: 'new' };
    sessions.set(id, { log, peer, tone, gathered });
    try {
      await peer.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      // The player's recvonly audio section takes the tone (addTrack reuses its transceiver).
      peer.pc.addTrack(tone.track, tone.stream);
      await peer.pc.setLocalDescription(await peer.pc.createAnswer());
      await Promise.race([gathered, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    } catch {
      res.writeHead(400, CORS).end();
      return;
    }
    res.writeHead(201, { ...CORS, 'content-type': 'application/sdp', location: log.resource, etag: `"${id}"` });
    res.end(peer.pc.localDescription?.sdp ?? '');
  }

  async function resource(req: IncomingMessage, res: ServerResponse, session: Session): Promise<void> {
    const body = await readBody(req);
    if (req.method === 'PATCH') {
      if (!/^application\/trickle-ice-sdpfrag/.test(req.headers['content-type'] ?? '')) return void res.writeHead(415, CORS).end();
      session.log.patches++;
      const { ufrag, candidates } = candidatesOfSdpFragment(body);
      session.log.candidates += candidates.length;
      await session.peer.addRemoteIce({ ufrag, candidates, revision: session.log.patches });
      return void res.writeHead(204, CORS).end();
    }
    if (req.method === 'DELETE') {
      session.log.deleted = true;
      session.tone.stop();
      session.peer.close();
      return void res.writeHead(200, CORS).end();
    }
    res.writeHead(405, CORS).end();
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const handled = (() => {
      if (req.method === 'OPTIONS') return Promise.resolve(void res.writeHead(204, CORS).end());
      if (path === '/whep/endpoint' && req.method === 'POST') return post(req, res);
      const match = /^\/whep\/resource\/([\w-]+)$/.exec(path);
      const session = match ? sessions.get(match[1]!) : undefined;
      if (session && !session.log.deleted) return resource(req, res, session);
      return Promise.resolve(void res.writeHead(404, CORS).end());
    })();
    handled.catch(() => {
      if (!res.headersSent) res.writeHead(500, CORS);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: `${url}/whep/endpoint`,
    url,
    sessions: () => [...sessions.values()].map((s) => ({ ...s.log, state: s.peer.pc.connectionState })),
    mediaCounts: (id) =>
      sessions.get(id)?.peer.mediaCounts() ?? Promise.resolve({ audioPacketsReceived: 0, videoPacketsReceived: 0, audioPacketsSent: 0 }),
    async close() {
      for (const session of sessions.values()) {
        session.tone.stop();
        session.peer.close();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
