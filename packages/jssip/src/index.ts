export { monitorJsSip, type JsSipMonitor, type MonitorJsSipOptions } from './jssip-shim.js';
export type { JsSipNewSessionEvent, JsSipSession, JsSipUA } from './jssip-types.js';
