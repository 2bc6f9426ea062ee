// The conformance driver for twilio-video: the real SDK joins a group room on the local signaling
// server, where a server-side participant (`bob`) publishes audio. The Room's one pc offers
// (createOffer, setLocalDescription, the server's answer through setRemoteDescription), then
// answers the server's offer for bob's track (setRemoteDescription, createAnswer,
// setLocalDescription); the server trickles its candidates (addIceCandidate).
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import { monitorTwilioVideo, type TwilioVideoMonitor } from '../../src/index.ts';
import { config, localConnectOptions, nextIdentityToken, remoteAudioFlowing, Video, waitFor, type Room } from './twilio-app.ts';

const describeError = (error: unknown): string => {
  const e = error as { code?: number; name?: string } | null;
  return `${e?.name ?? 'Error'}${e?.code === undefined ? '' : ` ${e.code}`}`;
};

export const twilioDriver: ConformanceDriver = {
  name: 'twilio-video@2.36.0 (group room with a server-side participant)',
  startCall({ client, conferenceID }): DriverCall {
    const errors: unknown[] = [];
    let failed: (error: unknown) => void = () => {};
    const appFailure = new Promise<never>((_, reject) => (failed = reject));
    appFailure.catch(() => {});
    const fail = (error: unknown): void => {
      errors.push(error);
      failed(error);
    };
    let monitor: TwilioVideoMonitor | undefined = client ? monitorTwilioVideo(client, { conferenceID }) : undefined;
    let room: Room | undefined;
    let tracks: Video.LocalTrack[] = [];
    let hangingUp = false;
    const outcome = { connected: false, participants: [] as string[], audioReceived: false, disconnectedWith: null as string | null };

    const flow = (async () => {
      tracks = await Video.createLocalTracks({ audio: true, video: false });
      // No RTCPeerConnection option, as most apps: both runs use Twilio's own pc class
      // (ChromeRTCPeerConnection), the one with the shim through connectOptions.
      const options = localConnectOptions(config().room, tracks);
      // Where an app puts the shim: its connect options, then the Room it got.
      room = await Video.connect(nextIdentityToken(), monitor ? monitor.connectOptions(options) : options);
      monitor?.attach(room);
      outcome.connected = true;
      room.on('disconnected', (_room: Room, error?: unknown) => {
        if (hangingUp) return;
        outcome.disconnectedWith = describeError(error);
        fail(error ?? new Error('disconnected'));
      });
      const joined = room;
      await waitFor(
        () => [...joined.participants.values()].some((p) => p.audioTracks.size > 0 && [...p.audioTracks.values()].every((t) => t.isSubscribed)),
        6_000,
      );
      outcome.participants = [...joined.participants.values()].map((p) => p.identity).sort();
      outcome.audioReceived = await remoteAudioFlowing(joined, 6_000);
      if (!outcome.audioReceived) throw new Error("no audio from the room's other participant");
    })();
    flow.catch((error: unknown) => fail(error));

    return {
      established: Promise.race([flow, appFailure]),
      // A Room that failed to connect or was disconnected with an error is over (Twilio swallows
      // addIceCandidate failures), so the app's flow ends with the failure.
      finished: Promise.race([flow, appFailure]),
      setMuted(kind, muted) {
        for (const track of tracks) {
          if (track.kind === kind && (track.kind === 'audio' || track.kind === 'video')) muted ? track.disable() : track.enable();
        }
      },
      hangUp() {
        hangingUp = true;
        room?.disconnect();
        for (const track of tracks) if (track.kind !== 'data') track.stop();
      },
      disposeShim: () => monitor?.dispose(),
      // A Room joined without the shim: `attach(room)` alone, as the README says for that case.
      attachShim(lateClient) {
        monitor = monitorTwilioVideo(lateClient, { conferenceID });
        if (room) monitor.attach(room);
      },
      appOutcome: () => ({ ...outcome }),
      appErrors: () => errors,
    };
  },
};
