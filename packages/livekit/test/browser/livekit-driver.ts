// The conformance driver for livekit-client: a Room joins the conformance room on the local
// LiveKit server, where a server-side participant (`bob`) publishes audio, and publishes the
// fake microphone (the SDK's own getUserMedia). Single-pc mode: one pc offers inside the join
// request (createOffer; setLocalDescription at the answer, then setRemoteDescription), the
// server trickles its candidates (addIceCandidate). Two-pc mode (/rtc/v1 refused): that pc is
// closed, then the server offers on the subscriber (setRemoteDescription, createAnswer,
// setLocalDescription) and the publisher offers for the microphone.
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import { monitorLivekit, type LivekitMonitor, type LivekitRoom } from '../../src/index.ts';
import {
  CONNECT_OPTIONS,
  config,
  nextIdentityToken,
  remoteAudioPackets,
  subscribedParticipants,
  waitFor,
  type LivekitSdk,
  type Room,
} from './livekit-app.ts';

export function livekitDriver(sdk: LivekitSdk, version: string, mode: string): ConformanceDriver {
  return {
    name: `livekit-client@${version} (${mode}, one server-side participant)`,
    startCall({ client, conferenceID }): DriverCall {
      const errors: unknown[] = [];
      let failed: (error: unknown) => void = () => {};
      const appFailure = new Promise<never>((_, reject) => (failed = reject));
      appFailure.catch(() => {});
      const fail = (error: unknown): void => {
        errors.push(error);
        failed(error);
      };
      const room: Room = new sdk.Room();
      const asShimRoom = room as unknown as LivekitRoom;
      // Where an app puts the shim: right after `new Room()`, before `connect()`.
      let monitor: LivekitMonitor | undefined = client ? monitorLivekit(client, asShimRoom, { conferenceID }) : undefined;
      let hangingUp = false;
      const outcome = { connected: false, participants: [] as string[], audioReceived: false, disconnectedWith: null as string | null };
      room.on(sdk.RoomEvent.Disconnected, (reason?: unknown) => {
        if (hangingUp) return;
        outcome.disconnectedWith = String(reason);
        fail(new Error(`disconnected: ${String(reason)}`));
      });

      const flow = (async () => {
        await room.connect(config().url, nextIdentityToken(), CONNECT_OPTIONS);
        outcome.connected = true;
        await room.localParticipant.setMicrophoneEnabled(true);
        await waitFor(() => subscribedParticipants(room).length > 0, 6_000);
        outcome.participants = subscribedParticipants(room);
        outcome.audioReceived = await waitFor(async () => (await remoteAudioPackets(room)) > 0, 6_000);
        if (!outcome.audioReceived) throw new Error("no audio from the room's other participant");
      })();
      flow.catch((error: unknown) => fail(error));

      return {
        established: Promise.race([flow, appFailure]),
        finished: Promise.race([flow, appFailure]),
        async setMuted(kind, muted) {
          if (kind === 'audio') await room.localParticipant.setMicrophoneEnabled(!muted);
        },
        async hangUp() {
          hangingUp = true;
          await room.disconnect();
        },
        disposeShim: () => monitor?.dispose(),
        attachShim(lateClient) {
          monitor = monitorLivekit(lateClient, asShimRoom, { conferenceID });
        },
        appOutcome: () => ({ ...outcome }),
        appErrors: () => errors,
      };
    },
  };
}
