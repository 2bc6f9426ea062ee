// The reference app: a voice agent (RealtimeSession over the WebRTC transport, fake microphone)
// that talks for a while, is muted and unmuted once, and hangs up, monitored by callstats.js.
// What the shim asks of an app is one line, after creating the session.
import { OpenAIRealtimeWebRTC, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { monitorOpenAIRealtime } from '@shims/openai-realtime';

declare global {
  interface Window {
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

/** What run.ts hands the page: the endpoint (a local stand-in for OpenAI's), the conference. */
interface ExampleConfig {
  baseUrl: string;
  conference: string;
  callSeconds?: number;
}
const config = (): ExampleConfig => (window as unknown as { __shimsConfig: ExampleConfig }).__shimsConfig;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runExample(): Promise<void> {
  const { baseUrl, conference, callSeconds = 6 } = config();
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorOpenAIRealtime>[0] }).__exampleClient;

  const agent = new RealtimeAgent({ name: 'Assistant', instructions: 'Answer briefly.' });
  // `baseUrl` points the transport at the local endpoint; a real app leaves it out.
  const session = new RealtimeSession(agent, { transport: new OpenAIRealtimeWebRTC({ baseUrl }) });
  const monitoring = monitorOpenAIRealtime(callstats, session, { conferenceID: conference }); // ← the line
  // A real app fetches an ephemeral client key (`ek_…`) from its server.
  await session.connect({ apiKey: 'ek_example' });
  console.log(`app: connected, call ${String((session.transport as OpenAIRealtimeWebRTC).callId)}`);

  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  await sleep((callSeconds / 2) * 1_000);
  session.mute(true);
  await sleep(1_000);
  session.mute(false);
  await sleep((callSeconds / 2) * 1_000);
  session.close();
  monitoring.dispose();
}

window.runExample = runExample;
window.__shimsReady = true;
