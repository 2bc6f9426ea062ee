import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance, type ServerProcess } from '@shims/testkit';
import { startJanus, VIDEOROOM_ROOM } from '../janus-server.ts';

let server: ServerProcess | undefined;
describeConformance({
  name: 'janus-gateway 1.4.2 against a real Janus 1.1 (VideoRoom)',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: async () => {
    const started = await startJanus();
    server = started.server;
    return { janusUrl: started.url, videoRoom: VIDEOROOM_ROOM };
  },
  teardown: () => server?.stop(),
  collector: createCollector,
  mutes: true,
  // janus.js captures the publisher's microphone itself (`tracks: [{ type: 'audio', capture: true }]`).
  media: { by: 'sdk' },
});
