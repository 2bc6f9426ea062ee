import { createServer } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MediaCounts } from '../twilio/server-peer.ts';
import { createAccessToken, identityOf } from '../twilio/token.ts';
import { chromiumTrustArgs, createLocalCertificate } from './tls.ts';
import { VoiceCall, type VoiceCallLog } from './voice-call.ts';

export type { VoiceCallEnd, VoiceCallLog } from './voice-call.ts';

export interface TwilioVoiceServerOptions {
  /** How long an outgoing call rings (`ringing`) before the server answers it; default 0. */
  ringMs?: number;
  /** Calls every Device that registers, at once, from this caller (`From`): for tests that run in a page alone. */
  callOnRegister?: string;
  /** Puts a UDP gate between each call's browser pc and server pc, so that `cutMedia` can stop its packets. */
  gateMedia?: boolean;
}

export interface TwilioVoiceTestServer {
  /** The Device's `chunderw` option (`127.0.0.1:<port>`; the SDK makes it `wss://…/signal`). */
  readonly chunderw: string;
  /** An access-token string the server reads the identity from. */
  token(identity: string): string;
  /** Chromium's flags that trust the server's certificate, and only it (`openHarness({ chromiumArgs })`). */
  readonly chromiumArgs: readonly string[];
  /** Calls a registered Device (an `invite` with the server's offer and a tone); resolves with the CallSid. */
  callDevice(identity: string, from: string): Promise<string>;
  /** The caller gives up before the Device answers (`cancel`). */
  cancel(callSid: string): void;
  /** The remote party hangs up (`hangup`). */
  hangUp(callSid: string): void;
  /** Ends every socket of this identity without a close frame: the SDK reconnects and resumes its call. */
  dropSignaling(identity: string): void;
  /**
   * With `gateMedia`: stops (`true`) or lets through again (`false`) every packet between the
   * call's two pcs, as a network that drops does. The SDK then restarts ICE (`reinvite`).
   */
  cutMedia(callSid: string, cut: boolean): void;
  /** Packets counted by the call's server-side pc. */
  mediaCounts(callSid: string): Promise<MediaCounts>;
  /** Every call so far, in order. */
  calls(): VoiceCallLog[];
  /** What the server received: one entry per message. */
  readonly log: ReadonlyArray<{ identity: string; type: string }>;
  close(): Promise<void>;
}

interface Message {
  type?: unknown;
  payload?: Record<string, unknown>;
}

/** The SDK drops a socket that stays silent for 15 s (`wstransport.ts`): a newline every 5 s. */
const HEARTBEAT_MS = 5_000;

/**
 * A local stand-in for Twilio Voice's signaling gateway ("chunder", PStream protocol 1.6), written
 * from @twilio/voice-sdk's `pstream.ts`, `device.ts`, `call.ts` and `rtc/peerconnection.ts`: enough
 * for the real SDK to register, place and receive calls with real media. See README.md here.
 */
export async function startTwilioVoiceServer(options: TwilioVoiceServerOptions = {}): Promise<TwilioVoiceTestServer> {
  const certificate = createLocalCertificate();
  const https = createServer({ cert: certificate.cert, key: certificate.key });
  const wss = new WebSocketServer({ server: https, path: '/signal' });
  await new Promise<void>((resolve, reject) => {
    https.once('error', reject);
    https.listen(0, '127.0.0.1', resolve);
  });
  const calls = new Map<string, VoiceCall>();
  const sockets = new Map<WebSocket, string>();
  const registered = new Map<string, WebSocket>();
  const everRegistered = new Set<string>();
  const log: Array<{ identity: string; type: string }> = [];
  /** Each WebSocket's TCP socket under TLS (found by the client's port): a TLS socket cannot be reset. */
  const tcp = new Map<WebSocket | number, Socket>();
  https.on('connection', (raw: Socket) => {
    tcp.set(raw.remotePort ?? 0, raw);
    raw.once('close', () => tcp.delete(raw.remotePort ?? 0));
  });

  const send = (socket: WebSocket | undefined, type: string, payload: object): void => {
    if (socket?.readyState === socket?.OPEN) socket?.send(JSON.stringify({ type, payload, version: '1.6' }));
  };
  /** The socket a call's Device is on now (it changes when the SDK reconnects). */
  const socketOf = (call: VoiceCall): WebSocket | undefined => {
    for (const [socket, identity] of sockets) if (identity === call.log.identity) return socket;
    return undefined;
  };
  const findCall = (sid: unknown): VoiceCall | undefined => (typeof sid === 'string' ? calls.get(sid) : undefined);

  async function callDevice(identity: string, from: string): Promise<string> {
    if (!registered.has(identity)) throw new Error(`${identity} is not registered`);
    const call = new VoiceCall('incoming', identity, from, `client:${identity}`, options.gateMedia);
    calls.set(call.log.callSid, call);
    const parameters = { CallSid: call.log.callSid, AccountSid: 'AClocal', From: from, To: call.log.to };
    const sdp = await call.offer();
    send(registered.get(identity), 'invite', { callsid: call.log.callSid, sdp, parameters, reconnect: call.reconnectToken });
    return call.log.callSid;
  }

  const onInvite = async (socket: WebSocket, identity: string, payload: Record<string, unknown>): Promise<void> => {
    const resumed = typeof payload.reconnect === 'string' ? findCall(payload.callsid) : undefined;
    if (resumed) {
      // The SDK's signaling came back (`call.ts` `_onConnected`): the same call goes on.
      resumed.log.reconnects++;
      send(socket, 'answer', { callsid: resumed.log.callSid, reconnect: resumed.reconnectToken });
      return;
    }
    const params = new URLSearchParams(String((payload.twilio as { params?: unknown } | undefined)?.params ?? ''));
    const call = new VoiceCall('outgoing', identity, `client:${identity}`, params.get('To') ?? '', options.gateMedia);
    calls.set(call.log.callSid, call);
    // The SDK names its call by a temporary id until `ringing` or `answer` gives the CallSid.
    send(socket, 'ringing', { callsid: call.log.callSid });
    const sdp = await call.answer(String(payload.sdp ?? ''));
    if (options.ringMs) await new Promise((resolve) => setTimeout(resolve, options.ringMs));
    if (call.log.ended) return;
    send(socketOf(call), 'answer', { callsid: call.log.callSid, sdp, reconnect: call.reconnectToken });
  };

  const onMessage = async (socket: WebSocket, text: string): Promise<void> => {
    if (text === '\n') return;
    const { type, payload = {} } = JSON.parse(text) as Message;
    const identity = sockets.get(socket) ?? identityOf(payload.token) ?? 'unknown';
    log.push({ identity, type: String(type) });
    const call = findCall(payload.callsid);
    switch (type) {
      case 'listen':
        sockets.set(socket, identity);
        send(socket, 'connected', { region: 'local', home: 'local', token: { identity } });
        return;
      case 'register':
        if ((payload.media as { audio?: unknown } | undefined)?.audio) {
          const first = !everRegistered.has(identity);
          everRegistered.add(identity);
          registered.set(identity, socket);
          send(socket, 'ready', {});
          // The SDK registers again after a signaling reconnection: that is not a new Device.
          if (first && options.callOnRegister) await callDevice(identity, options.callOnRegister);
        } else {
          registered.delete(identity);
          send(socket, 'offline', {});
        }
        return;
      case 'invite':
        return onInvite(socket, identity, payload);
      case 'answer':
        return call?.acceptAnswer(String(payload.sdp ?? ''));
      case 'reinvite':
        if (!call) return;
        // An ICE restart (`peerconnection.ts` `iceRestart`): answered on the same server pc.
        call.log.reinvites++;
        send(socket, 'answer', { callsid: call.log.callSid, sdp: await call.answer(String(payload.sdp ?? '')) });
        return;
      case 'hangup':
        return call?.end('hangup-by-client');
      case 'reject':
        return call?.end('rejected');
    }
  };

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const raw = tcp.get(request.socket.remotePort ?? 0);
    if (raw) tcp.set(socket, raw);
    const heartbeat = setInterval(() => socket.send('\n'), HEARTBEAT_MS);
    socket.on('message', (data) => {
      onMessage(socket, String(data)).catch((error: unknown) =>
        log.push({ identity: sockets.get(socket) ?? 'unknown', type: `error: ${String(error)}` }),
      );
    });
    socket.on('close', () => {
      clearInterval(heartbeat);
      tcp.delete(socket);
      const identity = sockets.get(socket);
      sockets.delete(socket);
      if (identity !== undefined && registered.get(identity) === socket) registered.delete(identity);
    });
  });

  const port = (https.address() as AddressInfo).port;
  const required = (callSid: string): VoiceCall => {
    const call = calls.get(callSid);
    if (!call) throw new Error(`no call ${callSid}`);
    return call;
  };
  return {
    chunderw: `127.0.0.1:${port}`,
    log,
    token: (identity) => createAccessToken(identity),
    chromiumArgs: chromiumTrustArgs(certificate),
    callDevice,
    cancel(callSid) {
      const call = required(callSid);
      call.end('canceled');
      send(socketOf(call), 'cancel', { callsid: callSid });
    },
    hangUp(callSid) {
      const call = required(callSid);
      call.end('hangup-by-server');
      send(socketOf(call), 'hangup', { callsid: callSid });
    },
    dropSignaling(identity) {
      // A reset, as a network that drops does: Chromium closes the WebSocket with 1006 at once
      // (a plain FIN after TLS is noticed only by the SDK's 15 s heartbeat).
      for (const [socket, owner] of sockets) if (owner === identity) tcp.get(socket)?.resetAndDestroy();
    },
    cutMedia(callSid, cut) {
      const gate = required(callSid).gate;
      if (!gate) throw new Error('cutMedia needs a server started with gateMedia');
      gate.open = !cut;
    },
    mediaCounts: (callSid) => required(callSid).mediaCounts(),
    calls: () => [...calls.values()].map((call) => call.log),
    close: () =>
      new Promise<void>((resolve) => {
        for (const call of calls.values()) call.end('server-closed');
        for (const socket of wss.clients) socket.terminate();
        wss.close();
        https.close(() => resolve());
      }),
  };
}
