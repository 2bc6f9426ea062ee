import { startTwilioServer, type TwilioTestServer } from '@shims/testkit';

/** The room the conformance calls join, with a server-side participant publishing audio in it. */
const CONFORMANCE_ROOM = 'conformance';
const REMOTE_IDENTITY = 'bob';

/** testkit's local Twilio signaling server, with `bob` in the room, and tokens for the page's calls. */
export async function startServerWithGuest(calls = 80): Promise<{ server: TwilioTestServer; config: Record<string, unknown> }> {
  const server = await startTwilioServer();
  await server.addParticipant(CONFORMANCE_ROOM, REMOTE_IDENTITY);
  const tokens = Array.from({ length: calls }, (_, i) => server.token(`alice-${i}`, CONFORMANCE_ROOM));
  return { server, config: { wsServer: server.wsServer, room: CONFORMANCE_ROOM, tokens } };
}
