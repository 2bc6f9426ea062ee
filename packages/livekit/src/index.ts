export { monitorLivekit, type LivekitMonitor, type LivekitPcRole, type LivekitRemote, type MonitorLivekitOptions } from './livekit-shim.js';
export type { LivekitEmitter, LivekitParticipant, LivekitRoom, LivekitTrack, LivekitTrackPublication } from './livekit-types.js';
