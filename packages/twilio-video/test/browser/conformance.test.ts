import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance, type TwilioTestServer } from '@shims/testkit';
import { startServerWithGuest } from './twilio-server.ts';

let server: TwilioTestServer | undefined;
describeConformance({
  name: 'twilio-video 2.36.0 against the local Twilio signaling server (group room, one server-side participant)',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: async () => {
    const started = await startServerWithGuest();
    server = started.server;
    return started.config;
  },
  teardown: () => server?.close(),
  collector: createCollector,
  mutes: true,
  // The app asks twilio-video for its tracks (`createLocalTracks`), which calls getUserMedia.
  media: { by: 'sdk' },
  // twilio-video keeps a joined Room's pcs in internals the shim does not read (its size budget):
  // `attach(room)` alone adds one fake pc, fed from `room.getStats()` and the Room's events.
  lateAttachment: { standIn: 'a Room joined without connectOptions: one fake pc fed from room.getStats()' },
});
