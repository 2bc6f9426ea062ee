import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance } from '@shims/testkit';

describeConformance({
  name: 'simple-peer 9.11.1',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  mutes: true,
  collector: createCollector,
  media: { by: 'app', why: 'simple-peer takes the stream the app captured (its `stream` option)' },
});
