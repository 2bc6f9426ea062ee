import {
  FABRIC_USAGES,
  invalidArgument,
  requireMethods,
  requireNonEmptyString,
  requireOneOf,
  usageOfKinds,
  usageOfOffer,
  type FabricUsage,
  type ShimMonitorOptions,
} from '@shims/core';

export const SOURCE = '@shims/webrtc';
const CLIENT_METHODS = ['addNewFabric', 'reportError', 'sendFabricEvent', 'associateMstWithUserID'] as const;

/** What the shim needs of a pc: what callstats.js holds, and `close()` to end the fabric. */
const PC_METHODS = [
  'createOffer',
  'setLocalDescription',
  'setRemoteDescription',
  'getStats',
  'addEventListener',
  'removeEventListener',
  'close',
] as const;

/** `monitorPeerConnection`: the app's own pc; the app knows who is at the other end. */
export interface MonitorPeerConnectionOptions extends ShimMonitorOptions<RTCPeerConnection> {
  /** The user at the other end of this pc, or a function of the pc that names it. Required. */
  remoteUserID: string | ((pc: RTCPeerConnection) => string);
  /**
   * Default: from the pc's SDP (its local description, else its remote one: every m-line, a data
   * channel as `data`), else from its transceivers' kinds, else `multiplex`.
   */
  fabricUsage?: FabricUsage;
}

/** `monitorPeerConnections`: every pc the page builds from now on, through the global constructor. */
export interface MonitorPeerConnectionsOptions extends ShimMonitorOptions<RTCPeerConnection> {
  /**
   * The remote user of a pc, read when the pc is registered (its first `setLocalDescription` or
   * `setRemoteDescription`): a fixed user ID, or a function of the pc and the configuration it was
   * built with. Default: `remote`.
   */
  remoteUserID?: string | ((pc: RTCPeerConnection, configuration?: RTCConfiguration) => string);
  /** Which pcs to monitor, asked once per pc at its construction. Default: every pc. */
  include?: (pc: RTCPeerConnection, configuration?: RTCConfiguration) => boolean;
  /** A usage for every pc, or a function of the pc (undefined: the default). Default as `monitorPeerConnection`'s. */
  fabricUsage?: FabricUsage | ((pc: RTCPeerConnection, configuration?: RTCConfiguration) => FabricUsage | undefined);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The checks both entry points share: a bad argument throws a TypeError naming it, before anything changes. */
export function checkCommonOptions(
  where: string,
  client: unknown,
  options: unknown,
  userRequired: boolean,
): asserts options is Record<string, unknown> {
  requireMethods(client, CLIENT_METHODS, 'client', where);
  if (!isPlainObject(options)) throw invalidArgument(where, 'options', 'must be an object with conferenceID', options);
  requireNonEmptyString(options.conferenceID, 'options.conferenceID', where);
  const user = options.remoteUserID;
  if (typeof user !== 'function' && (userRequired || user !== undefined)) requireNonEmptyString(user, 'options.remoteUserID', where);
  if (options.collectSDP !== undefined && typeof options.collectSDP !== 'boolean') {
    throw invalidArgument(where, 'options.collectSDP', 'must be a boolean', options.collectSDP);
  }
  if (options.logger !== undefined) requireMethods(options.logger, ['warn'], 'options.logger', where);
}

export function checkUsage(where: string, usage: unknown, functionAllowed: boolean): void {
  if (usage === undefined || (functionAllowed && typeof usage === 'function')) return;
  requireOneOf(usage, FABRIC_USAGES, 'options.fabricUsage', where);
}

export function checkPeerConnection(where: string, name: string, pc: unknown): asserts pc is RTCPeerConnection {
  requireMethods(pc, PC_METHODS, name, where, 'must be an RTCPeerConnection');
}

/** The SDP that best says what a pc carries: the one being set, else its local, else its remote description. */
function sdpOf(pc: RTCPeerConnection, description?: unknown): string | undefined {
  const given = (description as { sdp?: unknown } | null | undefined)?.sdp;
  if (typeof given === 'string' && given !== '') return given;
  return pc.localDescription?.sdp || pc.remoteDescription?.sdp || undefined;
}

/** The default fabric usage of a pc: from its SDP, else its transceivers, else `multiplex`. */
export function usageOfPeerConnection(pc: RTCPeerConnection, description?: unknown): FabricUsage {
  try {
    const sdp = sdpOf(pc, description);
    if (sdp) return usageOfOffer(sdp);
    const transceivers = typeof pc.getTransceivers === 'function' ? pc.getTransceivers() : [];
    return usageOfKinds(transceivers.map((t) => t.receiver.track.kind));
  } catch {
    return 'multiplex';
  }
}
