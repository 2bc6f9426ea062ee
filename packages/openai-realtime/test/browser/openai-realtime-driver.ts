// A voice-agent session of the real @openai/agents-realtime in the page, against the testkit's
// local realtime endpoint, with the shim attached when a client is given: the conformance driver,
// and the building block of the scenarios.
import type { CallstatsClient } from '@shims/core';
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import { OpenAIRealtimeWebRTC, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { monitorOpenAIRealtime, type OpenAIRealtimeMonitor } from '../../src/index.ts';

const SDK_VERSION = '0.20.0';

export interface SessionOptions {
  /** The endpoint's `baseUrl` (the testkit's `startRealtimeServer().baseUrl`). */
  baseUrl: string;
  client: CallstatsClient | null;
  conferenceID: string;
  /** Wait for audio from the endpoint before `established` resolves (default true). */
  awaitAudio?: boolean;
}

export interface AgentSession extends DriverCall {
  readonly session: RealtimeSession;
  readonly transport: OpenAIRealtimeWebRTC;
  /** The monitor of the shim, when one is attached. */
  readonly monitor: () => OpenAIRealtimeMonitor | null;
  /** The pc of the session, read when the transport built it. */
  readonly pc: () => RTCPeerConnection | undefined;
  /** Resolves when the transport says `disconnected` after having connected or failed. */
  readonly disconnected: Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function packetsOf(pc: RTCPeerConnection | undefined, type: 'inbound-rtp' | 'outbound-rtp'): Promise<number> {
  if (!pc || pc.connectionState === 'closed') return 0;
  let packets = 0;
  for (const stats of (await pc.getStats()).values()) {
    if (stats.type === type && stats.kind === 'audio') packets += (type === 'inbound-rtp' ? stats.packetsReceived : stats.packetsSent) ?? 0;
  }
  return packets;
}

async function audioArrives(pc: () => RTCPeerConnection | undefined, timeoutMs = 8_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await packetsOf(pc(), 'inbound-rtp')) > 0) return true;
    await sleep(100);
  }
  return false;
}

/** One session: `new RealtimeSession(agent, { transport })`, the shim, then `connect()`. */
export function startSession(options: SessionOptions): AgentSession {
  const transport = new OpenAIRealtimeWebRTC({ baseUrl: options.baseUrl });
  const session = new RealtimeSession(new RealtimeAgent({ name: 'assistant', instructions: 'Answer briefly.' }), { transport });
  let monitor: OpenAIRealtimeMonitor | null = null;
  const shimOptions = { conferenceID: options.conferenceID };
  if (options.client) monitor = monitorOpenAIRealtime(options.client, session, shimOptions);

  const errors: unknown[] = [];
  const statuses: string[] = [];
  let pc: RTCPeerConnection | undefined;
  let connected = false;
  let audioReceived = false;
  let markDisconnected: () => void = () => {};
  const disconnected = new Promise<void>((resolve) => (markDisconnected = resolve));
  transport.on('connection_change', (status) => {
    statuses.push(status);
    pc ??= transport.connectionState.peerConnection;
    if (status === 'disconnected') markDisconnected();
  });

  const flow = (async () => {
    await session.connect({ apiKey: 'ek_test_key' });
    connected = true;
    if (options.awaitAudio !== false) {
      audioReceived = await audioArrives(() => pc);
      if (!audioReceived) throw new Error('no audio from the endpoint');
    }
  })();
  flow.catch((error: unknown) => errors.push(error));

  return {
    session,
    transport,
    monitor: () => monitor,
    pc: () => pc,
    disconnected,
    established: flow,
    finished: flow,
    setMuted(kind, muted) {
      if (kind === 'audio') session.mute(muted);
    },
    async hangUp() {
      session.close();
      await Promise.race([disconnected, sleep(1_000)]);
    },
    disposeShim: () => monitor?.dispose(),
    attachShim(client) {
      monitor = monitorOpenAIRealtime(client, session, shimOptions);
    },
    // What the app saw: the transport's states, and whether the session came up with audio.
    appOutcome: () => ({ connected, audioReceived, statuses: [...new Set(statuses)] }),
    appErrors: () => errors,
  };
}

/** The conformance driver: one session per case against the endpoint at `baseUrl`. */
export function openaiRealtimeDriver(baseUrl: () => string): ConformanceDriver {
  return {
    name: `@openai/agents-realtime@${SDK_VERSION} (RealtimeSession, OpenAIRealtimeWebRTC)`,
    startCall: ({ client, conferenceID }) => startSession({ baseUrl: baseUrl(), client, conferenceID }),
  };
}
