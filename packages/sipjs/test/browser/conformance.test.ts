import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance, startSipRelay, type SipRelay } from '@shims/testkit';

let relay: SipRelay | undefined;
describeConformance({
  name: 'sip.js 0.21.2, two UserAgents through a SIP-over-WebSocket relay',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: async () => {
    relay = await startSipRelay();
    return { sipRelayUrl: relay.url };
  },
  teardown: () => relay?.close(),
  collector: createCollector,
  neverCalled: ['addIceCandidate'],
  mutes: true,
  // SIP.js's web session description handler captures the microphone (its mediaStreamFactory).
  media: { by: 'sdk' },
});
