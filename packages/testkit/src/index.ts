export { RecordingCallstats, type RecordedCall, type RecordingCallstatsOptions, type ClientMethod } from './recording-callstats.ts';
export { openHarness, type Harness, type HarnessOptions } from './harness/harness.ts';
export {
  CHROMIUM_ARGS,
  ENGINE_LABELS,
  ENGINES,
  FIREFOX_PREFS,
  chromiumPath,
  enginesToRun,
  firefoxPath,
  launchBrowser,
  launchChromium,
  launchFirefox,
  type Engine,
  type LaunchOptions,
} from './harness/browsers.ts';
export { freePort, startServerProcess, type ServerProcess, type StartProcessOptions } from './harness/server-process.ts';
export { startSipRelay, type SipRelay } from './harness/sip-relay.ts';
export { JANUS_VIDEOROOM_ROOM, startJanus, type JanusServerOptions, type JanusTestServer } from './janus/janus-server.ts';
export { startWhipServer, type WhipTestServer } from './janus/whip-server.ts';
export { startRtcpRelay, type RtcpDrop, type RtcpRelay } from './harness/rtcp-relay.ts';
export { CALLSTATS_APP_ID, type CallstatsRequest } from './harness/callstats-stub.ts';
export { describeConformance, runCase, type ConformanceSuiteOptions } from './conformance/describe-conformance.ts';
export { PagePool } from './conformance/page-pool.ts';
export * from './conformance/assertions.ts';
export type { CaseReport, ClientKind, ConformanceCaseName } from './page/run-case.ts';
export {
  startTestCollector,
  type CollectorEvent,
  type CollectorFactory,
  type CollectorFault,
  type ProxiedRequest,
  type TestCollector,
  type WaitForEvent,
} from './collector/test-collector.ts';
export {
  startTwilioServer,
  type TwilioLogEntry,
  type TwilioMediaCounts,
  type TwilioPeerState,
  type TwilioServerOptions,
  type TwilioTestServer,
} from './twilio/server.ts';
export {
  startLiveKitServer,
  type LiveKitLogEntry,
  type LiveKitMediaCounts,
  type LiveKitPeerState,
  type LiveKitServerOptions,
  type LiveKitTestServer,
} from './livekit/server.ts';
export { printCollectorReport, waitForTerminatedFabrics, type CollectorReport, type ReportedFabric } from './example/collector-report.ts';
export { startWhepServer, type WhepServerOptions, type WhepSessionLog, type WhepTestServer } from './whep/server.ts';
export { startRealtimeServer, type RealtimeCallLog, type RealtimeServerOptions, type RealtimeTestServer } from './openai-realtime/server.ts';
export {
  startTwilioVoiceServer,
  type TwilioVoiceServerOptions,
  type TwilioVoiceTestServer,
  type VoiceCallEnd,
  type VoiceCallLog,
} from './twilio-voice/server.ts';
export {
  startChimeServer,
  type ChimeJoinInfo,
  type ChimeLogEntry,
  type ChimeMediaCounts,
  type ChimePeerState,
  type ChimeServerOptions,
  type ChimeSignalingProtocol,
  type ChimeTestServer,
} from './chime/server.ts';
