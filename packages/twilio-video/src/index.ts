export { monitorTwilioVideo, type MonitorTwilioVideoOptions, type MonitoredConnectOptions, type TwilioVideoMonitor } from './twilio-video-shim.js';
export type {
  PeerConnectionConstructor,
  TwilioEmitter,
  TwilioLocalParticipant,
  TwilioRemoteParticipant,
  TwilioRoom,
  TwilioStatsReport,
  TwilioTrack,
  TwilioTrackPublication,
  TwilioTrackStats,
} from './twilio-types.js';
