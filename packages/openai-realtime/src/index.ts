export { monitorOpenAIRealtime, type MonitorOpenAIRealtimeOptions, type OpenAIRealtimeMonitor } from './openai-realtime-shim.js';
export type { OpenAIRealtimeConnectionState, OpenAIRealtimeSessionLike, OpenAIRealtimeWebRTCLike } from './openai-realtime-types.js';
