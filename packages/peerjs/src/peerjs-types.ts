// The parts of PeerJS (1.4.x and 1.5.x) the shim touches, typed structurally so that no PeerJS
// type reaches this package's public declarations and no PeerJS code is imported at run time.

import type { EmitterLike, ShimMonitor, ShimMonitorOptions } from '@shims/core';

/** Its events, through `@shims/core`'s `listenOn`. */
interface PeerJsEmitter extends EmitterLike {}

/** A `MediaConnection` or `DataConnection`. */
export interface PeerJsConnection extends PeerJsEmitter {
  readonly peer: string;
  readonly type: string;
  readonly peerConnection: RTCPeerConnection | null;
  answer?(stream?: MediaStream, options?: unknown): void;
}

/** A PeerJS `Peer`, with the two internals the shim hooks where they exist (both versions have them). */
export interface PeerJsPeer extends PeerJsEmitter {
  call(peer: string, stream: MediaStream, options?: unknown): PeerJsConnection | undefined;
  connect(peer: string, options?: unknown): PeerJsConnection | undefined;
  destroy(): void;
  /**
   * The connections it holds, by remote peer id, each an array (1.4 and 1.5): taken when the shim
   * attaches late. `object` because PeerJS types it `Object` (a narrower type here would refuse a
   * real `Peer` in a TypeScript app).
   */
  readonly connections?: object;
  /** Internal: handles each message from the PeerServer; an incoming offer creates the connection here. */
  _handleMessage?(message: PeerJsServerMessage): void;
  /** Internal: every connection, outgoing or incoming, passes here when it is created. */
  _addConnection?(peerId: string, connection: PeerJsConnection): void;
}

export interface PeerJsServerMessage {
  type: string;
  src?: string;
  payload?: { type?: string; sdp?: { sdp?: string } };
}

/** `remoteUserID` default: the remote peer id itself. */
export interface MonitorPeerJsOptions extends ShimMonitorOptions<string> {}

/** `fabricFor(connection)`: the fabric of a media or data connection, while it is monitored. */
export interface PeerJsMonitor extends ShimMonitor<PeerJsConnection> {}
