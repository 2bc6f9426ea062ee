import { createRequire } from 'node:module';
import { startChimeServer, type ChimeSignalingProtocol, type ChimeTestServer } from '@shims/testkit';

/** The meeting the conformance calls join, with a server-side attendee present in it. */
const CONFORMANCE_MEETING = 'conformance';

/** The SDK's own protobuf module for the signaling frames (of the newest version under test). */
const chimeProtocol = createRequire(import.meta.url)(
  'amazon-chime-sdk-js-3.32/build/signalingprotocol/SignalingProtocol.js',
) as ChimeSignalingProtocol;

/** testkit's local Chime server, speaking the SDK's own protocol module. */
export const chimeServer = (): Promise<ChimeTestServer> => startChimeServer({ protocol: chimeProtocol });

/** testkit's local Chime server with `bob` in the meeting, and an attendee for each of the page's calls. */
export async function startServerWithGuest(calls = 60): Promise<{ server: ChimeTestServer; config: Record<string, unknown> }> {
  const server = await chimeServer();
  server.addAttendee(CONFORMANCE_MEETING, 'bob');
  const joins = Array.from({ length: calls }, (_, i) => server.join(CONFORMANCE_MEETING, `alice-${i}`));
  return { server, config: { joins } };
}
