import { fileURLToPath } from 'node:url';
import { createCollector } from '@shims/collector';
import { describeConformance, startRealtimeServer, type RealtimeTestServer } from '@shims/testkit';

let server: RealtimeTestServer | undefined;

describeConformance({
  name: '@openai/agents-realtime 0.20.0 against the testkit realtime endpoint',
  entry: fileURLToPath(new URL('./page.ts', import.meta.url)),
  config: async () => {
    server = await startRealtimeServer();
    return { baseUrl: server.baseUrl };
  },
  teardown: () => server?.close(),
  collector: createCollector,
  mutes: true,
  // The transport posts one offer (no trickle: the endpoint learns its address from connectivity
  // checks) and takes the endpoint's candidates in the answer: it never answers, never adds one.
  neverCalled: ['createAnswer', 'addIceCandidate'],
  // The transport opens the microphone itself (navigator.mediaDevices.getUserMedia) in connect().
  media: { by: 'sdk' },
});
