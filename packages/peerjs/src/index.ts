export { monitorPeerJs } from './peerjs-shim.js';
export type { MonitorPeerJsOptions, PeerJsConnection, PeerJsMonitor, PeerJsPeer } from './peerjs-types.js';
