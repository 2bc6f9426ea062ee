export { monitorSipJs, type MonitorSipJsOptions, type SipJsMonitor } from './sipjs-shim.js';
export type { SipJsSession, SipJsSessionDescriptionHandler, SipJsSessionDescriptionHandlerFactory, SipJsUserAgent } from './sipjs-types.js';
