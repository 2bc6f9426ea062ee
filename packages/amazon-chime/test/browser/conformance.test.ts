import { afterAll } from 'vitest';
import { createCollector } from '@shims/collector';
import { describeConformance, type ChimeTestServer } from '@shims/testkit';
import { entryWithSdk } from './chime-bundle.ts';
import { startServerWithGuest } from './chime-server.ts';

let server: ChimeTestServer | undefined;
const page = await entryWithSdk('3.32', new URL('./page.ts', import.meta.url));
describeConformance({
  name: 'amazon-chime-sdk-js 3.32.0 against the local Chime server (one server-side attendee, the mix as audio)',
  entry: page.entry,
  config: async () => {
    const started = await startServerWithGuest();
    server = started.server;
    return started.config;
  },
  teardown: () => server?.close(),
  collector: createCollector,
  mutes: true,
  // The SDK always offers, and puts every candidate in its offer: it never answers nor trickles.
  neverCalled: ['createAnswer', 'addIceCandidate'],
  // startAudioInput captures through the page's getUserMedia.
  media: { by: 'sdk' },
});
// After both engines' blocks: each one's harness bundles the page from these files.
afterAll(() => page.dispose());
