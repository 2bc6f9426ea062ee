// The floor of the peer range, sip.js 0.21.0: the whole suite with RecordingCallstats, the same page
// and driver with the SDK taken from the `sip.js-0.21.0` alias. The real callstats-js, the collector
// and the second network shape run on the newest release (conformance.test.ts).
import { fileURLToPath } from 'node:url';
import { describeConformance, startSipRelay, type SipRelay } from '@shims/testkit';

let relay: SipRelay | undefined;
describeConformance({
  name: 'sip.js 0.21.0 (the floor of the range), two UserAgents through a SIP-over-WebSocket relay',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  alias: { 'sip.js': 'sip.js-0.21.0' },
  clients: ['recording'],
  // The floor proves the SDK's older code with the shim, in Chromium; both engines run on the
  // newest release (conformance.test.ts).
  engines: ['chromium'],
  config: async () => {
    relay = await startSipRelay();
    return { sipRelayUrl: relay.url };
  },
  teardown: () => relay?.close(),
  neverCalled: ['addIceCandidate'],
  mutes: true,
  media: { by: 'sdk' },
});
