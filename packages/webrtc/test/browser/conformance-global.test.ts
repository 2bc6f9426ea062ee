import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance } from '@shims/testkit';

const media = { by: 'app', why: 'the app captures its audio and adds the track to its pc itself' } as const;

describeConformance({
  name: `monitorPeerConnections (the global tap): a plain RTCPeerConnection pair`,
  entry: fileURLToPath(new URL('./global-page.ts', import.meta.url)),
  mutes: true,
  media,
  // The app makes its offer and answer with setLocalDescription(): it never calls these two.
  neverCalled: ['createOffer', 'createAnswer'],
  collector: createCollector,
});
