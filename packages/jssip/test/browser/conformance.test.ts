import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance, startSipRelay, type SipRelay } from '@shims/testkit';

let relay: SipRelay | undefined;
describeConformance({
  name: 'jssip 3.13.8, two UAs through a SIP-over-WebSocket relay',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: async () => {
    relay = await startSipRelay();
    return { sipRelayUrl: relay.url };
  },
  teardown: () => relay?.close(),
  collector: createCollector,
  neverCalled: ['addIceCandidate'],
  mutes: true,
  // JsSIP captures the microphone itself from the call's `mediaConstraints`.
  media: { by: 'sdk' },
});
