import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance } from '@shims/testkit';
import { startVoiceServer } from './voice-server.ts';

let stop: (() => Promise<void>) | undefined;
let chromiumArgs: readonly string[] = [];
describeConformance({
  name: '@twilio/voice-sdk 2.18.5 against the local Voice signaling server (outgoing call, a server-side pc answering with a tone)',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: async () => {
    const started = await startVoiceServer();
    ({ stop, chromiumArgs } = started);
    return started.config;
  },
  chromiumArgs: () => chromiumArgs,
  // Firefox cannot trust the one key; its pages accept the throw-away certificate (loopback only).
  acceptInsecureCerts: true,
  teardown: () => stop?.(),
  collector: createCollector,
  mutes: true,
  // Voice signaling carries every candidate in the SDP (`rtc/peerconnection.ts`): nothing trickles;
  // an outgoing call only offers (the incoming call's createAnswer: conformance-incoming.test.ts).
  neverCalled: ['addIceCandidate', 'createAnswer'],
  // The call captures the microphone itself at accept (`audiohelper.ts`, the page's getUserMedia).
  media: { by: 'sdk' },
});
