// What the test pages share: the real @twilio/voice-sdk, its Device pointed at the local Voice
// signaling server the test started (testkit's startTwilioVoiceServer), the way an app sets it up.
// Not from '@shims/testkit/page': importing it installs the pc tap, and the scenarios page must
// run without it.
import type * as VoiceSdk from '@twilio/voice-sdk-2.18';

/** The @twilio/voice-sdk module under test (one per version line of the matrix). */
export type Sdk = typeof VoiceSdk;
export type Device = VoiceSdk.Device;
export type Call = VoiceSdk.Call;

interface VoicePageConfig {
  /** The Device's `chunderw` option, `127.0.0.1:<port>`. */
  chunderw: string;
}

const config = (): VoicePageConfig => (window as { __shimsConfig?: unknown }).__shimsConfig as VoicePageConfig;

/** No STUN or TURN: every pc of a call gets this (connect() and accept()). */
export const RTC_CONFIGURATION: RTCConfiguration = { iceServers: [] };

let identities = 0;
/** A fresh identity per Device (pages run side by side: a random part keeps them apart at the server). */
export const newIdentity = (): string => `alice-${++identities}-${Math.random().toString(36).slice(2, 8)}`;

const base64url = (value: object): string => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** A token shaped like testkit's `createAccessToken` (unsigned: the local server reads the identity only). */
const tokenFor = (identity: string): string => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ grants: { identity, voice: {} } })}.local`;

/** 10 ms of silence as a WAV data URL: the Device's sounds, so it never fetches Twilio's from sdk.twilio.com. */
const SILENCE = (() => {
  const samples = 480;
  const view = new DataView(new ArrayBuffer(44 + samples * 2));
  const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 48_000, true);
  view.setUint32(28, 96_000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples * 2, true);
  return `data:audio/wav;base64,${btoa(String.fromCharCode(...new Uint8Array(view.buffer)))}`;
})();
const SOUNDS = Object.fromEntries(
  [
    'incoming',
    'outgoing',
    'disconnect',
    'dtmf0',
    'dtmf1',
    'dtmf2',
    'dtmf3',
    'dtmf4',
    'dtmf5',
    'dtmf6',
    'dtmf7',
    'dtmf8',
    'dtmf9',
    'dtmfs',
    'dtmfh',
  ].map((name) => [name, SILENCE]),
);

/**
 * A Device on the local server: its signaling URL, no Twilio Insights, local sounds. It listens to
 * its `error` event, as an app must: the SDK emits it on a signaling drop, and an EventEmitter
 * with no `error` listener throws, inside the SDK's socket handler, before it reconnects.
 */
export function newDevice(
  sdk: Sdk,
  identity: string = newIdentity(),
  extra: Record<string, unknown> = {},
  onError: (error: unknown) => void = () => {},
): Device {
  const device = new sdk.Device(tokenFor(identity), {
    chunderw: config().chunderw,
    publishEvents: false,
    sounds: SOUNDS,
    logLevel: 'silent',
    ...extra,
  } as VoiceSdk.Device.Options);
  device.on('error', onError);
  return device;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return true;
    await sleep(50);
  }
  return false;
}

/** Resolves with whether the call's own samples (its public `sample` event, once a second) count received packets. */
export function audioReceived(call: Call, timeoutMs = 6_000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onSample = (sample: { totals?: { packetsReceived?: number } }): void => {
      if ((sample.totals?.packetsReceived ?? 0) > 0) done(true);
    };
    const done = (received: boolean): void => {
      clearTimeout(timer);
      call.removeListener('sample', onSample);
      resolve(received);
    };
    call.on('sample', onSample);
  });
}

/** The next `event` of one of the SDK's emitters (its first argument), or undefined after `timeoutMs`. */
export function once<T = unknown>(emitter: object, event: string, timeoutMs = 6_000): Promise<T | undefined> {
  const source = emitter as { once(event: string, listener: (value: T) => void): unknown };
  return Promise.race([new Promise<T>((resolve) => source.once(event, resolve)), sleep(timeoutMs).then(() => undefined)]);
}
