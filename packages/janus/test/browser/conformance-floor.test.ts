// The oldest janus-gateway 1.x on npm, 1.1.4 (the range's floor, 1.0.0, was never published there):
// the whole suite with RecordingCallstats, the same page and driver with janus.js taken from the
// `janus-gateway-1.1` alias. The real callstats-js, the collector and the second network shape run
// on the newest release (conformance.test.ts).
import { fileURLToPath } from 'node:url';
import { describeConformance, JANUS_VIDEOROOM_ROOM, startJanus, type JanusTestServer } from '@shims/testkit';

let server: JanusTestServer | undefined;
describeConformance({
  name: 'janus-gateway 1.1.4 (the oldest 1.x on npm) against a real Janus 1.1 (VideoRoom)',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  alias: { 'janus-gateway': 'janus-gateway-1.1' },
  clients: ['recording'],
  // The floor proves the SDK's older code with the shim, in Chromium; both engines run on the
  // newest release (conformance.test.ts).
  engines: ['chromium'],
  config: async () => {
    server = await startJanus();
    return { janusUrl: server.url, videoRoom: JANUS_VIDEOROOM_ROOM };
  },
  teardown: () => server?.stop(),
  mutes: true,
  media: { by: 'sdk' },
});
