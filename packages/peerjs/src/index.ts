export { monitorPeerJs, type MonitorPeerJsOptions, type PeerJsMonitor } from './peerjs-shim.js';
export type { PeerJsConnection, PeerJsPeer } from './peerjs-types.js';
