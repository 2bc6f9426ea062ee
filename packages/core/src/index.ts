export {
  EndpointType,
  FABRIC_USAGES,
  FabricEvent,
  FabricUsage,
  TransmissionDirection,
  PEER_CONNECTION_FUNCTIONS,
  WebRTCFunction,
  type PeerConnectionFunction,
} from './contract/callstats-enums.js';
export type { AddFabricCallback, CallstatsClient, CallstatsStatus, FabricAttributes, ReportedError } from './contract/callstats-client.js';
export type { FabricPeerConnection, FabricPeerConnectionEventType, FabricStatsReport } from './contract/fabric-peer-connection.js';
export {
  createMonitor,
  createShimMonitor,
  shimMonitor,
  type RemoteUserID,
  type ShimKernel,
  type ShimMonitor,
  type ShimMonitorOptions,
  type AddFabricOptions,
  type FabricHandle,
  type FabricLifecycleEvent,
  type Monitor,
  type MonitorOptions,
} from './monitor.js';
export {
  createFakePeerConnection,
  type FakePeerConnection,
  type FakePeerConnectionController,
  type FakePeerConnectionOptions,
  type FakePeerConnectionState,
  type StatsSourceResult,
} from './fake-peer-connection.js';
export { wrapPeerConnection, isPeerConnectionWrapped, type PeerConnectionHooks, type Unwrap } from './wrap-peer-connection.js';
export {
  watchMediaDevices,
  watchPageMediaDevices,
  type MediaDevicesLike,
  type MediaFailureSink,
  type WatchMediaOptions,
} from './watch-media-devices.js';
export { createWarnOnce, type ShimLogger, type Warn } from './logger.js';
export { describeValue, invalidArgument, requireMethods, requireNonEmptyString, requireOneOf } from './validate.js';
export { replaceMethod, withDisposeSymbol, type AnyMethod } from './replace-method.js';
export { capturePeerConnections } from './capture-peer-connections.js';
export { createScope, listenOn, patchMethod, type EmitterLike, type Listener, type ShimChanges, type ShimScope } from './shim-changes.js';
export { isDisplayTrack, mediaDirections, sdpHolds, trackKindsOf, usageOfKinds, usageOfOffer } from './fabric-usage.js';
export { outgoingUsageOf, sipUserOf, type SipIdentity, type SipMonitorOptions } from './sip.js';
export {
  checkReceiverReports,
  type CheckReceiverReportsOptions,
  type ReceiverReportCheck,
  type ReceiverReportStream,
  type ReceiverReportVerdict,
} from './receiver-reports.js';
