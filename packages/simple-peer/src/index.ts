export { monitorSimplePeer, type MonitorNewSimplePeerOptions, type MonitorSimplePeerOptions, type SimplePeerMonitor } from './simple-peer-shim.js';
export type { MediaStreamLike, SimplePeerConstructor, SimplePeerLike, SimplePeerOptions, WebRTCImplementation } from './simple-peer-types.js';
