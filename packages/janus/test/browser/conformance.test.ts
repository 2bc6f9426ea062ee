import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance, JANUS_VIDEOROOM_ROOM, startJanus, type JanusTestServer } from '@shims/testkit';

let server: JanusTestServer | undefined;
describeConformance({
  name: 'janus-gateway 1.4.2 against a real Janus 1.1 (VideoRoom)',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: async () => {
    const started = await startJanus();
    server = started;
    return { janusUrl: started.url, videoRoom: JANUS_VIDEOROOM_ROOM };
  },
  teardown: () => server?.stop(),
  collector: createCollector,
  mutes: true,
  // janus.js captures the publisher's microphone itself (`tracks: [{ type: 'audio', capture: true }]`).
  media: { by: 'sdk' },
});
