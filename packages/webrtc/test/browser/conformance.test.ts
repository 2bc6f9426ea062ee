import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance } from '@shims/testkit';

const media = { by: 'app', why: 'the app captures its audio and adds the track to its pc itself' } as const;

describeConformance({
  name: `monitorPeerConnection: a plain RTCPeerConnection pair`,
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  mutes: true,
  media,
  collector: createCollector,
});
