// The reference app: an Amazon Chime SDK meeting session (fake microphone) in a meeting where bob
// already is, muted and unmuted once, monitored by callstats.js. What the shim asks of an app is
// one line, right after `new DefaultMeetingSession()`.
import {
  DefaultDeviceController,
  DefaultMeetingSession,
  ConsoleLogger,
  LogLevel,
  MeetingSessionConfiguration,
  type AudioVideoObserver,
} from 'amazon-chime-sdk-js';
import { monitorAmazonChime } from '@shims/amazon-chime';

declare global {
  interface Window {
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

/** What run.ts hands the page: the meeting's and the attendee's values, as your server's CreateMeeting/CreateAttendee give them. */
interface ExampleConfig {
  meeting: { MeetingId: string; MediaPlacement: { AudioHostUrl: string; SignalingUrl: string; TurnControlUrl: string } };
  attendee: { AttendeeId: string; ExternalUserId: string; JoinToken: string };
  callSeconds?: number;
}
const config = (): ExampleConfig => (window as unknown as { __shimsConfig: ExampleConfig }).__shimsConfig;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runExample(): Promise<void> {
  const { meeting, attendee, callSeconds = 6 } = config();
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorAmazonChime>[0] }).__exampleClient;

  const logger = new ConsoleLogger('chime', LogLevel.ERROR);
  const configuration = new MeetingSessionConfiguration(meeting, attendee);
  const meetingSession = new DefaultMeetingSession(configuration, logger, new DefaultDeviceController(logger));
  const monitoring = monitorAmazonChime(callstats, meetingSession, { conferenceID: meeting.MeetingId }); // ← the one line

  const audioVideo = meetingSession.audioVideo;
  audioVideo.realtimeSubscribeToAttendeeIdPresence((attendeeId, present, externalUserId) => {
    if (attendeeId !== attendee.AttendeeId) console.log(`app: ${externalUserId} ${present ? 'is in the meeting' : 'left'}`);
  });
  const started = new Promise<void>((resolve, reject) => {
    const observer: AudioVideoObserver = {
      audioVideoDidStart: () => resolve(),
      audioVideoDidStop: (status) => reject(new Error(`stopped: ${status.statusCode()}`)),
    };
    audioVideo.addObserver(observer);
  });
  await audioVideo.startAudioInput('default');
  audioVideo.start();
  await started;
  console.log(`app: joined ${meeting.MeetingId} as ${attendee.ExternalUserId}`);

  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  await sleep((callSeconds / 2) * 1_000);
  audioVideo.realtimeMuteLocalAudio();
  await sleep(1_000);
  audioVideo.realtimeUnmuteLocalAudio();
  await sleep((callSeconds / 2) * 1_000);
  const stopped = new Promise<void>((resolve) => audioVideo.addObserver({ audioVideoDidStop: () => resolve() }));
  audioVideo.stop();
  await stopped;
  await audioVideo.stopAudioInput();
  monitoring.dispose();
}

window.runExample = runExample;
window.__shimsReady = true;
