import { fileURLToPath } from 'node:url';
import { describeConformance } from '@shims/testkit';

describeConformance({
  name: 'plain RTCPeerConnection pair',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  mutes: true,
  media: { by: 'app', why: 'no SDK: the test app captures and adds its tracks itself' },
});
