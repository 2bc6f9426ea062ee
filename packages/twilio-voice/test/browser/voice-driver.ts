// The conformance driver for @twilio/voice-sdk, both ways a Device has a call:
// - outgoing: the Device calls `bob` (`device.connect()`); the server rings, then answers from a
//   server-side pc sending a tone. The call's one pc offers (createOffer, setLocalDescription),
//   the server's answer holds every candidate (setRemoteDescription).
// - incoming: the Device registers, the server (`callOnRegister`) calls it from `bob` with an
//   offer, the app accepts (setRemoteDescription, createAnswer, setLocalDescription).
// The SDK never trickles candidates: no addIceCandidate either way.
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import { monitorTwilioVoice, type TwilioVoiceDevice, type TwilioVoiceMonitor } from '../../src/index.ts';
import { audioReceived, newDevice, once, RTC_CONFIGURATION, type Call, type Device, type Sdk } from './voice-app.ts';

const describeError = (error: unknown): string => {
  const e = error as { code?: number; name?: string } | null;
  return `${e?.name ?? 'Error'}${e?.code === undefined ? '' : ` ${e.code}`}`;
};

/** `device.connect()` to `bob`, or the call `bob` makes to the registered Device, accepted. */
async function startVoiceCall(device: Device, direction: 'outgoing' | 'incoming'): Promise<Call> {
  if (direction === 'outgoing') return device.connect({ params: { To: 'bob' }, rtcConfiguration: RTC_CONFIGURATION });
  const incoming = once<Call>(device, 'incoming');
  await device.register();
  const call = await incoming;
  if (!call) throw new Error('no incoming call');
  call.accept({ rtcConfiguration: RTC_CONFIGURATION });
  return call;
}

export function voiceDriver(sdk: Sdk, version: string, direction: 'outgoing' | 'incoming' = 'outgoing'): ConformanceDriver {
  return {
    name: `@twilio/voice-sdk@${version} (${direction === 'outgoing' ? 'outgoing call answered by' : 'incoming call from'} a server-side tone)`,
    startCall({ client, conferenceID }): DriverCall {
      const errors: unknown[] = [];
      let failed: (error: unknown) => void = () => {};
      const appFailure = new Promise<never>((_, reject) => (failed = reject));
      appFailure.catch(() => {});
      const fail = (error: unknown): void => {
        errors.push(error);
        failed(error);
      };
      const device = newDevice(sdk);
      const shimDevice = device as unknown as TwilioVoiceDevice;
      // Where an app puts the shim: right after `new Device()`.
      let monitor: TwilioVoiceMonitor | undefined = client ? monitorTwilioVoice(client, shimDevice, { conferenceID }) : undefined;
      let call: Call | undefined;
      let hangingUp = false;
      const outcome = { accepted: false, audioReceived: false, errors: [] as string[], disconnected: false };

      const flow = (async () => {
        const made = await startVoiceCall(device, direction);
        call = made;
        made.on('error', (error: unknown) => {
          outcome.errors.push(describeError(error));
          fail(error);
        });
        made.on('disconnect', () => {
          if (!hangingUp) fail(new Error('disconnected'));
        });
        outcome.accepted = made.status() === 'open' || (await once(made, 'accept')) !== undefined;
        if (!outcome.accepted) throw new Error('the call was not accepted');
        outcome.audioReceived = await audioReceived(made);
        if (!outcome.audioReceived) throw new Error('no audio from the callee');
      })();
      flow.catch((error: unknown) => fail(error));

      return {
        established: Promise.race([flow, appFailure]),
        finished: Promise.race([flow, appFailure]),
        setMuted(kind, muted) {
          if (kind === 'audio') call?.mute(muted);
        },
        hangUp() {
          hangingUp = true;
          call?.disconnect();
          device.destroy();
        },
        disposeShim: () => monitor?.dispose(),
        attachShim(lateClient) {
          monitor = monitorTwilioVoice(lateClient, shimDevice, { conferenceID });
        },
        appOutcome: () => ({ ...outcome }),
        appErrors: () => errors,
      };
    },
  };
}
