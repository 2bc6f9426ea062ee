// The reference app: a LiveKit Room (fake microphone) with one other participant, muted and
// unmuted once, monitored by callstats.js. What the shim asks of an app is one line, right after
// `new Room()`.
import { Room, RoomEvent, type RemoteParticipant } from 'livekit-client';
import { monitorLivekit } from '@shims/livekit';

declare global {
  interface Window {
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

/** What run.ts hands the page: the server's URL (a local LiveKit-protocol server), a token, the room. */
interface ExampleConfig {
  url: string;
  token: string;
  room: string;
  callSeconds?: number;
}
const config = (): ExampleConfig => (window as unknown as { __shimsConfig: ExampleConfig }).__shimsConfig;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runExample(): Promise<void> {
  const { url, token, room: name, callSeconds = 6 } = config();
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorLivekit>[0] }).__exampleClient;

  const room = new Room();
  const monitoring = monitorLivekit(callstats, room, { conferenceID: name }); // ← the one line
  room.on(RoomEvent.ParticipantConnected, (p: RemoteParticipant) => console.log(`app: ${p.identity} joined`));
  // No STUN/TURN on a test machine; a real app leaves rtcConfig out.
  await room.connect(url, token, { rtcConfig: { iceServers: [] } });
  console.log(`app: connected to ${room.name} as ${room.localParticipant.identity}`);
  for (const participant of room.remoteParticipants.values()) console.log(`app: ${participant.identity} is in the room`);
  await room.localParticipant.setMicrophoneEnabled(true);

  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  await sleep((callSeconds / 2) * 1_000);
  await room.localParticipant.setMicrophoneEnabled(false);
  await sleep(1_000);
  await room.localParticipant.setMicrophoneEnabled(true);
  await sleep((callSeconds / 2) * 1_000);
  await room.disconnect();
  monitoring.dispose();
}

window.runExample = runExample;
window.__shimsReady = true;
