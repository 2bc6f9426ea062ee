import {
  createShimMonitor,
  invalidArgument,
  isPeerConnectionWrapped,
  shimMonitor,
  type CallstatsClient,
  type FabricHandle,
  type FabricPeerConnection,
  type ShimMonitor,
} from '@shims/core';
import { checkCommonOptions, checkPeerConnection, checkUsage, SOURCE, usageOfPeerConnection, type MonitorPeerConnectionOptions } from './options.js';

/** `fabricFor(pc)`: the fabric of the pc, while it is monitored. */
export interface PeerConnectionMonitor extends ShimMonitor<RTCPeerConnection> {
  /** The pc given. */
  readonly pc: RTCPeerConnection;
  /** True while the pc is registered: until it closes, or until `dispose()`. */
  readonly monitoring: boolean;
  /**
   * Tells callstats.js that the app muted or unmuted its audio (`audioMute`, `audioUnmute`) or
   * paused or resumed its video (`videoPause`, `videoResume`): a pc has no mute of its own (apps
   * set `track.enabled`), so the shim cannot see it. Only a change is sent; the pc starts unmuted.
   */
  setMuted(kind: 'audio' | 'video', muted: boolean): void;
}

const WHERE = 'monitorPeerConnection';
const MUTE_EVENTS = {
  audio: ['audioUnmute', 'audioMute'],
  video: ['videoResume', 'videoPause'],
} as const;

/**
 * Monitors one RTCPeerConnection the app owns, from now until it closes. Call it right after
 * `new RTCPeerConnection()` to see every event; on a pc already connected (late attachment) it
 * registers the pc the same way, and callstats.js reads the states it polls from the live pc.
 *
 * Each failure of `createOffer`, `createAnswer`, `setLocalDescription`, `setRemoteDescription`
 * and `addIceCandidate` is reported once with the original error, and `close()` sends one
 * `fabricTerminated`. A pc another monitor of `@shims/core` already holds (a vendor shim, or
 * `monitorPeerConnections`) is left to it: this handle then does nothing.
 */
export function monitorPeerConnection(client: CallstatsClient, pc: RTCPeerConnection, options: MonitorPeerConnectionOptions): PeerConnectionMonitor {
  checkCommonOptions(WHERE, client, options, true);
  checkUsage(WHERE, options.fabricUsage, false);
  checkPeerConnection(WHERE, 'pc', pc);
  const monitor = createShimMonitor<RTCPeerConnection>(client, options, SOURCE);
  let fabric: FabricHandle | undefined;
  if (pc.signalingState === 'closed') {
    monitor.warn('pc:closed', 'the pc is closed already; nothing to monitor');
  } else if (isPeerConnectionWrapped(pc)) {
    monitor.warn('pc:monitored', 'the pc is monitored already (by a vendor shim or another handle); this handle does nothing');
  } else {
    try {
      fabric = monitor.addFabric(pc, {
        remoteUserID: monitor.userOf(pc),
        fabricUsage: options.fabricUsage ?? usageOfPeerConnection(pc),
      });
    } catch (error) {
      monitor.warn('pc:unusable', 'the pc cannot be monitored; it goes on unmonitored', error);
    }
  }
  const muted = { audio: false, video: false };
  return shimMonitor(monitor, (of: RTCPeerConnection) => (of === pc ? monitor.fabricFor(pc as FabricPeerConnection) : undefined), {
    pc,
    get monitoring() {
      return fabric?.active === true;
    },
    setMuted(kind: 'audio' | 'video', mute: boolean) {
      if (kind !== 'audio' && kind !== 'video') throw invalidArgument(WHERE, 'setMuted kind', 'must be audio or video', kind);
      if (typeof mute !== 'boolean') throw invalidArgument(WHERE, 'setMuted muted', 'must be a boolean', mute);
      if (muted[kind] === mute) return;
      muted[kind] = mute;
      fabric?.send(MUTE_EVENTS[kind][mute ? 1 : 0]);
    },
  });
}
