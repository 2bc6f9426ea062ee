import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ToneParticipant } from '../twilio/tone-participant.ts';
import type { MediaCounts } from '../twilio/server-peer.ts';
import { ClientSession, type ChimeAttendee, type ChimeVideoSource, type MeetingView } from './client-session.ts';
import type { ChimeSignalingProtocol } from './protocol.ts';
import { VideoParticipant } from './video-participant.ts';

export type { ChimeSignalingProtocol } from './protocol.ts';
export type { MediaCounts as ChimeMediaCounts } from '../twilio/server-peer.ts';

export interface ChimeServerOptions {
  /**
   * The SDK's own protobuf module, `amazon-chime-sdk-js/build/signalingprotocol/SignalingProtocol.js`
   * (`createRequire(import.meta.url)(...)` in the test): every frame is encoded and decoded by it.
   */
  protocol: ChimeSignalingProtocol;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

/** What `MeetingSessionConfiguration` needs for one attendee: build it by hand from this. */
export interface ChimeJoinInfo {
  meetingId: string;
  attendeeId: string;
  externalUserId: string;
  joinToken: string;
  signalingURL: string;
  audioHostURL: string;
}

export interface ChimeLogEntry {
  meetingId: string;
  attendeeId: string;
  /** `connect`, or the frame type the SDK sent (`JOIN`, `SUBSCRIBE`, `LEAVE`...). */
  type: string;
}

export interface ChimePeerState {
  meetingId: string;
  attendeeId: string;
  /** The server-side pc's connectionState (`closed` once the session ended). */
  connectionState: string;
}

export interface ChimeTestServer {
  /** A new attendee of `meetingId` (the meeting is made on first use): the values of its configuration. */
  join(meetingId: string, externalUserId: string): ChimeJoinInfo;
  /** An attendee living on the server joins: present (AUDIO_STREAM_ID_INFO), and with `video` a camera in the INDEX. */
  addAttendee(meetingId: string, externalUserId: string, options?: { video?: boolean }): ChimeAttendee;
  /** That attendee leaves: not present any more, its camera out of the INDEX. */
  removeAttendee(meetingId: string, attendeeId: string): void;
  /** Drops every client WebSocket of the meeting without a close frame: the SDK reconnects. */
  dropSignaling(meetingId: string): void;
  /** Packets counted by the server-side pc of an attendee's current session. */
  mediaCounts(meetingId: string, attendeeId: string): Promise<MediaCounts>;
  /** The camera stream ids an attendee's current session receives. */
  receivedStreams(meetingId: string, attendeeId: string): number[];
  /** Every server-side pc so far, also of sessions that ended. */
  peerStates(): ChimePeerState[];
  /** Attendee IDs with a live session in the meeting. */
  clients(meetingId: string): string[];
  readonly log: ReadonlyArray<ChimeLogEntry>;
  close(): Promise<void>;
}

interface Meeting extends MeetingView {
  readonly sessions: Set<ClientSession>;
  /** Attendees who live on the server, with their audio stream id and camera. */
  readonly guests: Map<string, { attendee: ChimeAttendee; audioStreamId: number; video?: ChimeVideoSource }>;
}

const CONTENT = '#content';
const randomId = (): string => randomBytes(8).toString('hex');

/**
 * A local Chime signaling server: the WebSocket protocol of amazon-chime-sdk-js (a type byte and a
 * protobuf `SdkSignalFrame`, by the SDK's own module), enough for the real SDK to start, run and
 * stop a meeting session with a server-side WebRTC peer. See README.md in this folder.
 */
export async function startChimeServer(options: ChimeServerOptions): Promise<ChimeTestServer> {
  const { protocol } = options;
  const meetings = new Map<string, Meeting>();
  /** Join tokens → attendees (a content share's token is its attendee's with `#content`). */
  const attendees = new Map<string, ChimeAttendee & { meetingId: string }>();
  const log: ChimeLogEntry[] = [];
  const everySession: Array<{ meetingId: string; session: ClientSession }> = [];
  let nextAudioStreamId = 1;
  let nextVideoStreamId = 1;

  function meetingNamed(meetingId: string): Meeting {
    const meeting = meetings.get(meetingId);
    if (meeting) return meeting;
    const sessions = new Set<ClientSession>();
    const guests: Meeting['guests'] = new Map();
    const broadcast = (streams: object[]): void => {
      for (const session of sessions) if (session.audioStreamId !== undefined) session.sendPresence(streams);
    };
    const created: Meeting = {
      meetingId,
      sessions,
      guests,
      mix: new ToneParticipant('mix'),
      videoSources: () => [...guests.values()].flatMap((guest) => (guest.video ? [guest.video] : [])),
      presence: () => [
        ...[...sessions].filter((s) => s.audioStreamId !== undefined).map((s) => ({ ...s.attendee, audioStreamId: s.audioStreamId, muted: false })),
        ...[...guests.values()].map((g) => ({ ...g.attendee, audioStreamId: g.audioStreamId, muted: false })),
      ],
      subscribed(session) {
        session.audioStreamId = nextAudioStreamId++;
        session.sendPresence();
        broadcast([{ ...session.attendee, audioStreamId: session.audioStreamId, muted: false }]);
      },
      ended(session) {
        sessions.delete(session);
        // Without attendeeId and muted: that stream is gone (the SDK's presence false).
        if (session.audioStreamId !== undefined) broadcast([{ audioStreamId: session.audioStreamId }]);
      },
    };
    meetings.set(meetingId, created);
    return created;
  }

  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });

  function accept(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const meetingId = /^\/control\/([^/]+)$/.exec(url.pathname)?.[1];
    // The SDK offers two subprotocols: `_aws_wt_session` and the join token.
    const token = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())[1] ?? '';
    const content = token.endsWith(CONTENT);
    const known = attendees.get(content ? token.slice(0, -CONTENT.length) : token);
    if (!meetingId || !known || known.meetingId !== meetingId) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const attendee: ChimeAttendee = content ? { attendeeId: known.attendeeId + CONTENT, externalUserId: known.externalUserId } : known;
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const meeting = meetingNamed(meetingId);
      const entry = (type: string): number => log.push({ meetingId, attendeeId: attendee.attendeeId, type });
      const session = new ClientSession({ attendeeId: attendee.attendeeId, externalUserId: attendee.externalUserId }, meeting, protocol, ws, entry);
      meeting.sessions.add(session);
      everySession.push({ meetingId, session });
      entry('connect');
    });
  }
  http.on('upgrade', accept);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const sessionsOf = (meetingId: string): ClientSession[] => [...(meetings.get(meetingId)?.sessions ?? [])];
  const current = (meetingId: string, attendeeId: string): ClientSession | undefined =>
    sessionsOf(meetingId)
      .filter((s) => s.attendee.attendeeId === attendeeId)
      .at(-1);
  const stopGuest = (guest: { video?: ChimeVideoSource }): void => guest.video?.video.stop();

  return {
    log,
    join(meetingId, externalUserId) {
      meetingNamed(meetingId);
      const attendeeId = randomId();
      const joinToken = `${attendeeId}.${randomId()}`;
      attendees.set(joinToken, { meetingId, attendeeId, externalUserId });
      return {
        meetingId,
        attendeeId,
        externalUserId,
        joinToken,
        signalingURL: `ws://127.0.0.1:${port}/control/${meetingId}`,
        // Only its presence matters (the SDK then negotiates audio); audio flows on the one pc.
        audioHostURL: `127.0.0.1:${port}`,
      };
    },
    addAttendee(meetingId, externalUserId, { video = false } = {}) {
      const meeting = meetingNamed(meetingId);
      const attendee = { attendeeId: randomId(), externalUserId };
      const streamId = nextVideoStreamId++;
      const guest = {
        attendee,
        audioStreamId: nextAudioStreamId++,
        ...(video ? { video: { attendee, streamId, groupId: streamId, video: new VideoParticipant(`camera-${attendee.attendeeId}`) } } : {}),
      };
      meeting.guests.set(attendee.attendeeId, guest);
      for (const session of meeting.sessions) {
        if (session.audioStreamId === undefined) continue;
        session.sendPresence([{ ...attendee, audioStreamId: guest.audioStreamId, muted: false }]);
        if (video) session.sendIndex();
      }
      return attendee;
    },
    removeAttendee(meetingId, attendeeId) {
      const meeting = meetings.get(meetingId);
      const guest = meeting?.guests.get(attendeeId);
      if (!meeting || !guest) throw new Error(`${attendeeId} is not in ${meetingId}`);
      meeting.guests.delete(attendeeId);
      for (const session of meeting.sessions) {
        if (session.audioStreamId === undefined) continue;
        session.sendPresence([{ audioStreamId: guest.audioStreamId }]);
        if (guest.video) session.sendIndex();
      }
      stopGuest(guest);
    },
    dropSignaling(meetingId) {
      for (const session of sessionsOf(meetingId)) session.dropSignaling();
    },
    async mediaCounts(meetingId, attendeeId) {
      const peer = current(meetingId, attendeeId)?.peer;
      return peer ? peer.mediaCounts() : { audioPacketsReceived: 0, videoPacketsReceived: 0, audioPacketsSent: 0 };
    },
    receivedStreams: (meetingId, attendeeId) => current(meetingId, attendeeId)?.receivedStreams() ?? [],
    peerStates: () =>
      everySession.flatMap(({ meetingId, session }) =>
        session.peer ? [{ meetingId, attendeeId: session.attendee.attendeeId, connectionState: session.peer.pc.connectionState }] : [],
      ),
    clients: (meetingId) => sessionsOf(meetingId).map((s) => s.attendee.attendeeId),
    close: () =>
      new Promise<void>((resolve) => {
        for (const meeting of meetings.values()) {
          for (const session of [...meeting.sessions]) session.close();
          for (const guest of meeting.guests.values()) stopGuest(guest);
          meeting.mix.stop();
        }
        meetings.clear();
        for (const socket of wss.clients) socket.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
