// The reference app: a Twilio Video Room (fake microphone) with one other participant, muted and
// unmuted once, monitored by callstats.js. What the shim asks of an app is two lines: its
// connect options, and the Room once connect() resolves.
import { connect } from 'twilio-video';
import { monitorTwilioVideo } from '@shims/twilio-video';

declare global {
  interface Window {
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

/** What run.ts hands the page: the signaling server (a local stand-in for Twilio's), a token, the room. */
interface ExampleConfig {
  wsServer: string;
  token: string;
  room: string;
  callSeconds?: number;
}
const config = (): ExampleConfig => (window as unknown as { __shimsConfig: ExampleConfig }).__shimsConfig;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runExample(): Promise<void> {
  const { wsServer, token, room: name, callSeconds = 6 } = config();
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorTwilioVideo>[0] }).__exampleClient;

  const monitoring = monitorTwilioVideo(callstats, { conferenceID: name }); // ← line 1
  // `wsServer` points the SDK at the local signaling server; a real app leaves it out.
  const options = { name, audio: true, video: false, wsServer, iceServers: [], insights: false };
  const room = await connect(token, monitoring.connectOptions(options));
  monitoring.attach(room); // ← line 2
  console.log(`app: connected to ${room.name} as ${room.localParticipant.identity}`);
  room.on('participantConnected', (p: { identity: string }) => console.log(`app: ${p.identity} joined`));
  for (const participant of room.participants.values()) console.log(`app: ${participant.identity} is in the room`);

  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  const [microphone] = [...room.localParticipant.audioTracks.values()].map((publication) => publication.track);
  await sleep((callSeconds / 2) * 1_000);
  microphone?.disable();
  await sleep(1_000);
  microphone?.enable();
  await sleep((callSeconds / 2) * 1_000);
  room.disconnect();
  monitoring.dispose();
}

window.runExample = runExample;
window.__shimsReady = true;
