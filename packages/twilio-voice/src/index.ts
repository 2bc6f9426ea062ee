export { monitorTwilioVoice, type MonitorTwilioVoiceOptions, type TwilioVoiceMonitor } from './twilio-voice-shim.js';
export type { TwilioVoiceCall, TwilioVoiceDevice, TwilioVoiceEmitter } from './twilio-voice-types.js';
export type { PeerConnectionConstructor } from './monitored-constructor.js';
