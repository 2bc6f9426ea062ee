import { startTwilioVoiceServer, type TwilioVoiceServerOptions, type TwilioVoiceTestServer } from '@shims/testkit';

/** testkit's local Voice server, the page's config for it, and the flags that make Chromium trust it. */
export async function startVoiceServer(options?: TwilioVoiceServerOptions): Promise<{
  server: TwilioVoiceTestServer;
  config: Record<string, unknown>;
  chromiumArgs: readonly string[];
  stop: () => Promise<void>;
}> {
  const server = await startTwilioVoiceServer(options);
  return { server, config: { chunderw: server.chunderw }, chromiumArgs: server.chromiumArgs, stop: () => server.close() };
}
