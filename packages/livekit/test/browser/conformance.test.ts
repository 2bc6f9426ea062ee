import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance, type LiveKitTestServer } from '@shims/testkit';
import { startServerWithGuest } from './livekit-server.ts';

let server: LiveKitTestServer | undefined;
describeConformance({
  name: 'livekit-client 2.23.0 against the local LiveKit server (single pc on /rtc/v1, one server-side participant)',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: async () => {
    const started = await startServerWithGuest(true);
    server = started.server;
    return started.config;
  },
  teardown: () => server?.close(),
  collector: createCollector,
  mutes: true,
  // With one pc the SDK is always the offerer: the server never sends an offer to answer.
  neverCalled: ['createAnswer'],
  // setMicrophoneEnabled(true) captures through the page's getUserMedia.
  media: { by: 'sdk' },
});
