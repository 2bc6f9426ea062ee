// What the test pages share: the real amazon-chime-sdk-js, joined to the local Chime server the
// test started (testkit's startChimeServer), the way an app joins: a MeetingSessionConfiguration
// built by hand from the meeting's and the attendee's values, the SDK's own device controller.
// Not from '@shims/testkit/page': importing it installs the pc tap, and this module is shared by
// the scenarios page, which must run without it.
import type * as ChimeSdk from 'amazon-chime-sdk-js-3.32';
import type { ChimeJoinInfo } from '@shims/testkit';

/** The amazon-chime-sdk-js module under test (one per version line of the matrix). */
export type ChimeSdkModule = typeof ChimeSdk;
export type MeetingSession = ChimeSdk.DefaultMeetingSession;

/** The SDK the page got from `entryWithSdk` (chime-bundle.ts). */
export const pageSdk = (): ChimeSdkModule => (globalThis as { ChimeSDK?: ChimeSdkModule }).ChimeSDK!;

interface ChimePageConfig {
  /** One attendee of the conformance meeting per call, made by the server in Node. */
  joins: ChimeJoinInfo[];
}

const config = (): ChimePageConfig => (window as { __shimsConfig?: unknown }).__shimsConfig as ChimePageConfig;

let nextJoin = 0;
/** A fresh attendee for each call, so no call meets the previous one's session on the server. */
export function nextAttendee(): ChimeJoinInfo {
  const join = config().joins[nextJoin++];
  if (!join) throw new Error('the page ran out of attendees: give it more in config.joins');
  return join;
}

/**
 * A meeting session for `join`, with the SDK's own device controller. The session waits for the
 * server to say the attendee is present (as apps configure it), and gives up on a connection
 * attempt after 5 s and on reconnecting after 10 s, so a failed negotiation ends a test quickly.
 */
export function createSession(sdk: ChimeSdkModule, join: ChimeJoinInfo): MeetingSession {
  const configuration = new sdk.MeetingSessionConfiguration();
  configuration.meetingId = join.meetingId;
  configuration.urls = new sdk.MeetingSessionURLs();
  configuration.urls.signalingURL = join.signalingURL;
  configuration.urls.audioHostURL = join.audioHostURL;
  configuration.credentials = new sdk.MeetingSessionCredentials();
  configuration.credentials.attendeeId = join.attendeeId;
  configuration.credentials.externalUserId = join.externalUserId;
  configuration.credentials.joinToken = join.joinToken;
  configuration.attendeePresenceTimeoutMs = 5_000;
  configuration.connectionTimeoutMs = 5_000;
  configuration.reconnectTimeoutMs = 10_000;
  const logger = new sdk.NoOpLogger();
  // The device controller names a refused getUserMedia by how fast it came: "denied by browser"
  // when it took 1 to 499 ms, "denied by user" otherwise, 0 ms included (`errorTimeMs &&`). The
  // injected failure comes at once, in 0 ms or a few depending on the machine's load, so the
  // message would differ between the runs with and without the shim that the suite compares:
  // a threshold of 0 names every refusal "denied by user".
  (sdk.DefaultDeviceController as unknown as { permissionDeniedOriginDetectionThresholdMs: number }).permissionDeniedOriginDetectionThresholdMs = 0;
  return new sdk.DefaultMeetingSession(configuration, logger, new sdk.DefaultDeviceController(logger));
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

/** Packets received on the session's audio (the media server's mix), from its public stats. */
export async function remoteAudioPackets(session: MeetingSession): Promise<number> {
  let packets = 0;
  const report = await session.audioVideo.getRTCPeerConnectionStats();
  report?.forEach((stat: { type: string; kind?: string; packetsReceived?: number }) => {
    if (stat.type === 'inbound-rtp' && stat.kind === 'audio') packets += stat.packetsReceived ?? 0;
  });
  return packets;
}

/** Resolves at the session's `audioVideoDidStart`, rejects at `audioVideoDidStop` (with its status code). */
export function started(sdk: ChimeSdkModule, session: MeetingSession): Promise<void> {
  return new Promise((resolve, reject) => {
    const observer = {
      audioVideoDidStart: () => {
        session.audioVideo.removeObserver(observer);
        resolve();
      },
      audioVideoDidStop: (status: ChimeSdk.MeetingSessionStatus) => {
        session.audioVideo.removeObserver(observer);
        reject(new Error(`stopped: ${sdk.MeetingSessionStatusCode[status.statusCode()]}`));
      },
    };
    session.audioVideo.addObserver(observer);
  });
}

/** `stop()`, resolved at `audioVideoDidStop` (or after 5 s). */
export function stopSession(session: MeetingSession): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 5_000);
    const observer = {
      audioVideoDidStop: () => {
        clearTimeout(timer);
        session.audioVideo.removeObserver(observer);
        resolve();
      },
    };
    session.audioVideo.addObserver(observer);
    session.audioVideo.stop();
  });
}
