// What the test pages share: the real livekit-client, joined to the local LiveKit server the test
// started (testkit's startLiveKitServer), the way an app joins.
// Not from '@shims/testkit/page': importing it installs the pc tap, and this module is shared by
// the scenarios page, which must run without it.
import type * as LivekitClient from 'livekit-client-2.23';

/** The livekit-client module under test (one per version line of the matrix). */
export type LivekitSdk = typeof LivekitClient;
export type Room = LivekitClient.Room;

interface LivekitPageConfig {
  /** `ws://127.0.0.1:<port>`, the server's URL for `room.connect`. */
  url: string;
  /** The room every conformance call joins; a server-side participant (`bob`) is in it. */
  room: string;
  /** One access token per call: `alice-<n>`, signed by the server in Node. */
  tokens: string[];
}

export const config = (): LivekitPageConfig => (window as { __shimsConfig?: unknown }).__shimsConfig as LivekitPageConfig;

let nextToken = 0;
/** A fresh identity for each call, so no call meets the previous one's session on the server. */
export function nextIdentityToken(): string {
  const token = config().tokens[nextToken++];
  if (!token) throw new Error('the page ran out of access tokens: give it more in config.tokens');
  return token;
}

/**
 * `room.connect()`'s options for the local server: no STUN/TURN; and a pc that cannot connect
 * (a failed negotiation) fails the join after 5 s instead of the default 15 s.
 */
export const CONNECT_OPTIONS: LivekitClient.RoomConnectOptions = { rtcConfig: { iceServers: [] }, peerConnectionTimeout: 5_000 };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return true;
    await sleep(50);
  }
  return false;
}

/** Packets received on the Room's subscribed remote audio tracks, read from their receivers. */
export async function remoteAudioPackets(room: Room): Promise<number> {
  let packets = 0;
  for (const participant of room.remoteParticipants.values()) {
    for (const publication of participant.audioTrackPublications.values()) {
      const receiver = publication.track?.receiver;
      if (!receiver) continue;
      (await receiver.getStats()).forEach((stat: { type: string; packetsReceived?: number }) => {
        if (stat.type === 'inbound-rtp') packets += stat.packetsReceived ?? 0;
      });
    }
  }
  return packets;
}

/** Identities of the remote participants whose audio the Room is subscribed to. */
export function subscribedParticipants(room: Room): string[] {
  return [...room.remoteParticipants.values()]
    .filter((p) => [...p.audioTrackPublications.values()].some((pub) => pub.isSubscribed && pub.track))
    .map((p) => p.identity)
    .sort();
}
