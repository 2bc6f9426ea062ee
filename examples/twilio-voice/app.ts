// The reference app: a Twilio Voice Device (fake microphone) calls bob, talks, mutes and unmutes
// once, and hangs up, monitored by callstats.js. What the shim asks of an app is one line, right
// after `new Device()`.
import { Device, type Call } from '@twilio/voice-sdk';
import { monitorTwilioVoice, type TwilioVoiceDevice } from '@shims/twilio-voice';

declare global {
  interface Window {
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

/** What run.ts hands the page: the signaling server (a local Voice gateway), a token, the call's id. */
interface ExampleConfig {
  chunderw: string;
  token: string;
  conferenceID: string;
  sounds: Record<string, string>;
  callSeconds?: number;
}
const config = (): ExampleConfig => (window as unknown as { __shimsConfig: ExampleConfig }).__shimsConfig;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runExample(): Promise<void> {
  const { chunderw, token, conferenceID, sounds, callSeconds = 6 } = config();
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorTwilioVoice>[0] }).__exampleClient;

  // A test machine has no Twilio: `chunderw` points the Device at the local gateway, Insights stay
  // off and the ringtones come from run.ts. A real app passes its edge and leaves these out.
  const device = new Device(token, { chunderw, publishEvents: false, sounds, logLevel: 'silent' } as Device.Options);
  const monitoring = monitorTwilioVoice(callstats, device as unknown as TwilioVoiceDevice, { conferenceID }); // ← the one line
  device.on('error', (error: { code?: number; message?: string }) => console.log(`app: device error ${error.code}: ${error.message}`));

  // No STUN/TURN on a test machine; a real app leaves rtcConfiguration out.
  const call: Call = await device.connect({ params: { To: 'bob' }, rtcConfiguration: { iceServers: [] } });
  await new Promise((resolve) => call.once('accept', resolve));
  console.log(`app: connected to bob (${call.parameters.CallSid})`);

  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  await sleep((callSeconds / 2) * 1_000);
  call.mute(true);
  await sleep(1_000);
  call.mute(false);
  await sleep((callSeconds / 2) * 1_000);
  call.disconnect();
  console.log('app: hung up');
  device.destroy();
  monitoring.dispose();
}

window.runExample = runExample;
window.__shimsReady = true;
