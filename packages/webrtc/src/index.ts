export { monitorPeerConnection, type PeerConnectionMonitor } from './monitor-peer-connection.js';
export { monitorPeerConnections, type AddPeerConnectionOptions, type PeerConnectionsMonitor } from './monitor-peer-connections.js';
export type { MonitorPeerConnectionOptions, MonitorPeerConnectionsOptions } from './options.js';
