// What the test pages share: the real twilio-video SDK, connected to the local signaling server
// the test started (testkit's startTwilioServer), the way an app connects it.
// Not from '@shims/testkit/page': importing it installs the pc tap, and this module is shared by
// the scenarios page, which must run without it.
import * as Video from 'twilio-video';

export { Video };
export type Room = Video.Room;

export interface TwilioPageConfig {
  wsServer: string;
  /** The room every conformance call joins; a server-side participant (`bob`) is in it. */
  room: string;
  /** One access token per call: `alice-<n>`, made by the server in Node. */
  tokens: string[];
}

export const config = (): TwilioPageConfig => (window as { __shimsConfig?: unknown }).__shimsConfig as TwilioPageConfig;

let nextToken = 0;
/** A fresh identity for each call, so no call meets the previous one's session on the server. */
export function nextIdentityToken(): string {
  const token = config().tokens[nextToken++];
  if (!token) throw new Error('the page ran out of access tokens: give it more in config.tokens');
  return token;
}

/** connect()'s options for the local server: its URL, no STUN/TURN, no Twilio Insights. */
export function localConnectOptions(name: string, tracks: Video.LocalTrack[]): Record<string, unknown> {
  return { name, tracks, wsServer: config().wsServer, iceServers: [], insights: false };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return true;
    await sleep(100);
  }
  return false;
}

/** Whether the Room receives audio from a remote participant, read through Twilio's public stats. */
export async function remoteAudioFlowing(room: Room, timeoutMs = 10_000): Promise<boolean> {
  return waitFor(async () => {
    const reports = await room.getStats();
    return reports.some((report) => report.remoteAudioTrackStats.some((s) => (s.packetsReceived ?? 0) > 0));
  }, timeoutMs);
}

/** A video track that is a screen share by name (headless Chromium has no screen to capture). */
export function screenTrack(): Video.LocalVideoTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const timer = setInterval(() => {
    context.fillStyle = `hsl(${(frame++ * 7) % 360} 60% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
  }, 66);
  const [track] = canvas.captureStream(15).getVideoTracks();
  // stop() fires no 'ended' on the track itself: stop drawing when it is called.
  const stop = track!.stop.bind(track);
  track!.stop = () => {
    clearInterval(timer);
    stop();
  };
  return new Video.LocalVideoTrack(track!, { name: 'screen' });
}
