export {
  monitorAmazonChime,
  type AmazonChimeMonitor,
  type AmazonChimePcRole,
  type AmazonChimeRemote,
  type MonitorAmazonChimeOptions,
} from './amazon-chime-shim.js';
export type { AttendeeUserID } from './map-amazon-chime-tile.js';
export type { ChimeAudioVideo, ChimeMeetingSession, ChimeObserver, ChimeVideoTileState } from './amazon-chime-types.js';
