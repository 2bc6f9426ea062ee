import { startTwilioVoiceServer, type TwilioVoiceServerOptions, type TwilioVoiceTestServer } from '@shims/testkit';

/** testkit's local Voice server, with the harness's Chromium trusting its certificate until `stop()`. */
export async function startVoiceServer(options?: TwilioVoiceServerOptions): Promise<{
  server: TwilioVoiceTestServer;
  config: Record<string, unknown>;
  stop: () => Promise<void>;
}> {
  const server = await startTwilioVoiceServer(options);
  const untrust = server.trustInChromium();
  return {
    server,
    config: { chunderw: server.chunderw },
    stop: async () => {
      untrust();
      await server.close();
    },
  };
}
