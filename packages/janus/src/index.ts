export { monitorJanus, type JanusHandleDescription, type JanusHandleInfo, type JanusMonitor, type MonitorJanusOptions } from './janus-shim.js';
export type { JanusAttachCallbacks, JanusOfferCallbacks, JanusPluginHandle, JanusSession, JanusTrackOption } from './janus-types.js';
