export { monitorSipJs } from './sipjs-shim.js';
export type {
  MonitorSipJsOptions,
  SipJsMonitor,
  SipJsSession,
  SipJsSessionDescriptionHandler,
  SipJsSessionDescriptionHandlerFactory,
  SipJsUserAgent,
} from './sipjs-types.js';
