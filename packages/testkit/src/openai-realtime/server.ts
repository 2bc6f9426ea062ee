import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ServerPeer, type MediaCounts } from '../twilio/server-peer.ts';
import { ToneParticipant } from '../twilio/tone-participant.ts';

/** What the endpoint did with one call (one POSTed offer). */
export interface RealtimeCallLog {
  /** The call id, the last segment of the `Location` the answer carried. */
  id: string;
  /** The bearer token the offer came with. */
  authorization: string;
  /** Whether the `oai-events` data channel opened, and the event types the client sent on it. */
  channelOpen: boolean;
  clientEvents: string[];
  /** The server pc's connectionState. */
  state: string;
}

export interface RealtimeTestServer {
  /** What the transport's `baseUrl` option takes: `http://127.0.0.1:P/v1/realtime/calls`. */
  readonly baseUrl: string;
  readonly url: string;
  calls(): RealtimeCallLog[];
  /** How many POSTs reached the endpoint, answered or refused. */
  readonly posts: number;
  /** The server pc's packet counts for a call (the client's microphone in, the tone out). */
  mediaCounts(id: string): Promise<MediaCounts>;
  /** Sends a server event on the call's `oai-events` channel (e.g. `{ type: 'error', … }`). */
  sendEvent(id: string, event: Record<string, unknown>): void;
  /** Calls whose server pc is not closed yet. */
  openCalls(): number;
  close(): Promise<void>;
}

export interface RealtimeServerOptions {
  /** Refuse every offer with this HTTP status (e.g. 401, 503) and an OpenAI-style JSON error body. */
  failCalls?: number;
}

interface Call {
  log: RealtimeCallLog;
  peer: ServerPeer;
  tone: ToneParticipant;
  channel?: RTCDataChannel;
  /**
   * The pc's wrappers, held until the server closes: wrtc objects collected after their pc was
   * closed can crash the process (napi_reference_unref on a freed native object).
   */
  held: unknown[];
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization, X-OpenAI-Agents-SDK, OpenAI-Beta',
  'access-control-expose-headers': 'Location',
};
const PATH = '/v1/realtime/calls';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

let eventCounter = 0;
const eventId = (): string => `event_test_${++eventCounter}`;

/**
 * A local stand-in for OpenAI's Realtime WebRTC endpoint (`POST /v1/realtime/calls`, the WHIP
 * shape the `OpenAIRealtimeWebRTC` transport of `@openai/agents-realtime` speaks), on 127.0.0.1.
 * The answer comes from a `@roamhq/wrtc` peer that plays a 440 Hz tone back on the offer's audio
 * section, with its host candidates in the SDP (the transport does not trickle). On the client's
 * `oai-events` data channel it sends `session.created` when the channel opens and answers each
 * `session.update` with `session.updated`, the acknowledgement `connect()` waits for. No model:
 * nothing else is answered. See README.md.
 */
export async function startRealtimeServer(options: RealtimeServerOptions = {}): Promise<RealtimeTestServer> {
  const calls = new Map<string, Call>();
  let posts = 0;

  function send(call: Call, event: Record<string, unknown>): void {
    try {
      if (call.channel?.readyState === 'open') call.channel.send(JSON.stringify({ event_id: eventId(), ...event }));
    } catch {
      // The client closed the channel meanwhile (wrtc's readyState lags behind the close).
    }
  }

  function end(call: Call): void {
    call.tone.stop();
    call.peer.close();
  }

  function onChannel(call: Call, channel: RTCDataChannel): void {
    if (channel.label !== 'oai-events') return;
    call.channel = channel;
    const session = { id: `sess_${call.log.id}`, object: 'realtime.session', type: 'realtime', model: 'gpt-realtime' };
    const opened = (): void => {
      call.log.channelOpen = true;
      send(call, { type: 'session.created', session });
    };
    if (channel.readyState === 'open') opened();
    else channel.addEventListener('open', opened);
    channel.addEventListener('message', (message: MessageEvent) => {
      let event: { type?: unknown; session?: unknown };
      try {
        event = JSON.parse(String(message.data)) as typeof event;
      } catch {
        return;
      }
      call.log.clientEvents.push(String(event.type));
      // Only the first update is answered: it is the one connect() waits for. The transport sends
      // a second one (tracing) on session.created and may close right after the first answer;
      // answering it would race that close, and @roamhq/wrtc 0.10 crashes (SIGSEGV in
      // RTCDataChannel::Send) on a send to a channel closed underneath its readyState.
      const first = call.log.clientEvents.indexOf('session.update') === call.log.clientEvents.length - 1;
      if (event.type === 'session.update' && first) {
        send(call, { type: 'session.updated', session: { ...session, ...(event.session as object) } });
      }
    });
    // The client closed its pc (or its channel): the call is over for the server too; nothing
    // more is sent, and the pc is closed outside wrtc's event dispatch (a precaution).
    channel.addEventListener('close', () => {
      call.channel = undefined;
      setTimeout(() => end(call), 0);
    });
  }

  async function post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const offer = await readBody(req);
    posts++;
    if (!/^application\/sdp/.test(req.headers['content-type'] ?? '')) return void res.writeHead(415, CORS).end();
    if (options.failCalls) {
      const body = JSON.stringify({ error: { message: `refused by the test endpoint (${options.failCalls})`, type: 'invalid_request_error' } });
      return void res.writeHead(options.failCalls, { ...CORS, 'content-type': 'application/json' }).end(body);
    }
    const id = `rtc_${randomUUID().replaceAll('-', '')}`;
    let gatheringDone: () => void = () => {};
    const gathered = new Promise<void>((resolve) => (gatheringDone = resolve));
    const peer = new ServerPeer(id, (ice) => ice.complete && gatheringDone());
    const tone = new ToneParticipant('model');
    const log: RealtimeCallLog = { id, authorization: req.headers.authorization ?? '', channelOpen: false, clientEvents: [], state: 'new' };
    const call: Call = { log, peer, tone, held: [] };
    calls.set(id, call);
    peer.pc.addEventListener('datachannel', (event: RTCDataChannelEvent) => {
      call.held.push(event);
      onChannel(call, event.channel);
    });
    peer.pc.addEventListener('track', (event: RTCTrackEvent) => call.held.push(event, event.track, event.receiver, event.transceiver));
    try {
      await peer.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      // The offer's sendrecv audio section (the microphone) takes the tone: addTrack reuses it.
      call.held.push(peer.pc.addTrack(tone.track, tone.stream));
      await peer.pc.setLocalDescription(await peer.pc.createAnswer());
      call.held.push(...peer.pc.getTransceivers());
      await Promise.race([gathered, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    } catch {
      end(call);
      return void res.writeHead(400, CORS).end();
    }
    res.writeHead(201, { ...CORS, 'content-type': 'application/sdp', location: `${PATH}/${id}` });
    res.end(peer.pc.localDescription?.sdp ?? '');
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const handled =
      req.method === 'OPTIONS'
        ? Promise.resolve(void res.writeHead(204, CORS).end())
        : path === PATH && req.method === 'POST'
          ? post(req, res)
          : Promise.resolve(void res.writeHead(404, CORS).end());
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
    baseUrl: `${url}${PATH}`,
    url,
    get posts() {
      return posts;
    },
    calls: () => [...calls.values()].map((c) => ({ ...c.log, clientEvents: [...c.log.clientEvents], state: c.peer.pc.connectionState })),
    mediaCounts: (id) =>
      calls.get(id)?.peer.mediaCounts() ?? Promise.resolve({ audioPacketsReceived: 0, videoPacketsReceived: 0, audioPacketsSent: 0 }),
    sendEvent(id, event) {
      const call = calls.get(id);
      if (call) send(call, event);
    },
    openCalls: () => [...calls.values()].filter((c) => c.peer.pc.signalingState !== 'closed').length,
    async close() {
      for (const call of calls.values()) end(call);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
