import { startLiveKitServer, type LiveKitTestServer } from '@shims/testkit';

/** The room the conformance calls join, with a server-side participant publishing audio in it. */
const CONFORMANCE_ROOM = 'conformance';
const REMOTE_IDENTITY = 'bob';

/**
 * testkit's local LiveKit server with `bob` in the room, and tokens for the page's calls.
 * `singlePeerConnection: false` refuses /rtc/v1 (404): livekit-client falls back to two pcs.
 */
export async function startServerWithGuest(
  singlePeerConnection: boolean,
  calls = 80,
): Promise<{ server: LiveKitTestServer; config: Record<string, unknown> }> {
  const server = await startLiveKitServer({ singlePeerConnection });
  await server.addParticipant(CONFORMANCE_ROOM, REMOTE_IDENTITY);
  const tokens = Array.from({ length: calls }, (_, i) => server.token(`alice-${i}`, CONFORMANCE_ROOM));
  return { server, config: { url: server.url, room: CONFORMANCE_ROOM, tokens } };
}
