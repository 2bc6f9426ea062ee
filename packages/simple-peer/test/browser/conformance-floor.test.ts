// The floor of the peer range, simple-peer 9.11.0: the whole suite with RecordingCallstats, the same
// page and driver with the SDK taken from the `simple-peer-9.11.0` alias. The real callstats-js and
// the collector run on the newest release (conformance.test.ts).
import { fileURLToPath } from 'node:url';
import { describeConformance } from '@shims/testkit';

describeConformance({
  name: 'simple-peer 9.11.0 (the floor of the range)',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  alias: { 'simple-peer': 'simple-peer-9.11.0' },
  clients: ['recording'],
  // The floor proves the SDK's older code with the shim, in Chromium; both engines run on the
  // newest release (conformance.test.ts).
  engines: ['chromium'],
  mutes: true,
  media: { by: 'app', why: 'simple-peer takes the stream the app captured (its `stream` option)' },
});
