// The conformance driver for amazon-chime-sdk-js: an attendee joins the conformance meeting on the
// local Chime server, where a server-side attendee (`bob`) is present and the media server's mix
// (a tone) comes back on the audio; the SDK captures the fake microphone itself (startAudioInput).
// One pc per session, the SDK always offers and never trickles: createOffer, setLocalDescription
// once its candidates are gathered, SUBSCRIBE, setRemoteDescription of the server's answer.
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import { monitorAmazonChime, type AmazonChimeMonitor, type ChimeMeetingSession } from '../../src/index.ts';
import { createSession, nextAttendee, remoteAudioPackets, started, stopSession, waitFor, type ChimeSdkModule } from './chime-app.ts';

export function chimeDriver(sdk: ChimeSdkModule, version: string): ConformanceDriver {
  return {
    name: `amazon-chime-sdk-js@${version} (one server-side attendee)`,
    startCall({ client, conferenceID }): DriverCall {
      const errors: unknown[] = [];
      let failed: (error: unknown) => void = () => {};
      const appFailure = new Promise<never>((_, reject) => (failed = reject));
      appFailure.catch(() => {});
      const fail = (error: unknown): void => {
        errors.push(error);
        failed(error);
      };
      const session = createSession(sdk, nextAttendee());
      const asShimSession = session as unknown as ChimeMeetingSession;
      // Where an app puts the shim: right after `new DefaultMeetingSession()`, before `start()`.
      let monitor: AmazonChimeMonitor | undefined = client ? monitorAmazonChime(client, asShimSession, { conferenceID }) : undefined;
      let hangingUp = false;
      // Whether stop() has a session to stop (else it never calls audioVideoDidStop).
      let running = false;
      const outcome = { started: false, audioReceived: false, stoppedWith: null as string | null };
      session.audioVideo.addObserver({
        audioVideoDidStop: (status) => {
          running = false;
          if (hangingUp) return;
          outcome.stoppedWith = sdk.MeetingSessionStatusCode[status.statusCode()] ?? String(status.statusCode());
          fail(new Error(`stopped: ${outcome.stoppedWith}`));
        },
      });

      const flow = (async () => {
        await session.audioVideo.startAudioInput(await microphoneId());
        const up = started(sdk, session);
        running = true;
        session.audioVideo.start();
        await up;
        outcome.started = true;
        outcome.audioReceived = await waitFor(async () => (await remoteAudioPackets(session)) > 0, 6_000);
        if (!outcome.audioReceived) throw new Error("no audio from the meeting's media server");
      })();
      flow.catch((error: unknown) => fail(error));

      return {
        established: Promise.race([flow, appFailure]),
        finished: Promise.race([flow, appFailure]),
        setMuted(kind, muted) {
          if (kind !== 'audio') return;
          if (muted) session.audioVideo.realtimeMuteLocalAudio();
          else session.audioVideo.realtimeUnmuteLocalAudio();
        },
        async hangUp() {
          hangingUp = true;
          if (running) await stopSession(session);
          await session.audioVideo.stopAudioInput();
        },
        disposeShim: () => monitor?.dispose(),
        attachShim(lateClient) {
          monitor = monitorAmazonChime(lateClient, asShimSession, { conferenceID });
        },
        appOutcome: () => ({ ...outcome }),
        appErrors: () => errors,
      };
    },
  };
}

/**
 * The microphone to start: Chromium's `default` device; Firefox has no device of that id (Chime
 * asks for it `exact`: OverconstrainedError) and lists no ids before a first capture, so there
 * the constraints of any microphone, which `startAudioInput` takes as well.
 */
async function microphoneId(): Promise<string | MediaTrackConstraints> {
  const inputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
  return inputs.some((d) => d.deviceId === 'default') ? 'default' : {};
}
