export { monitorJsSip } from './jssip-shim.js';
export type { JsSipMonitor, JsSipNewSessionEvent, JsSipSession, JsSipUA, MonitorJsSipOptions } from './jssip-types.js';
