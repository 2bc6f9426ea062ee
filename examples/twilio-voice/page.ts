// The page around the app: hands it the real callstats.js client (initialized by the harness page)
// wrapped so that every call and its status is printed, as an app's debug logging would.
import type { monitorTwilioVoice } from '@shims/twilio-voice';
// Not `@shims/testkit/page`: that would also install the test pc tap, which an app page has no use for.
import { printingCallstatsClient } from '@shims/testkit/printing-client';
// The app reads the client only when it runs, so importing it first is fine.
import './app.ts';

type CallstatsClient = Parameters<typeof monitorTwilioVoice>[0];
const { client, lines } = printingCallstatsClient((window as unknown as { __shimsRealCallstats: CallstatsClient }).__shimsRealCallstats);
Object.assign(window, { __exampleClient: client, __exampleCalls: lines });
