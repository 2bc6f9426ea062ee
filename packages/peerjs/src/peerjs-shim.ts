import {
  capturePeerConnections,
  createShimMonitor,
  invalidArgument,
  replaceMethod,
  withDisposeSymbol,
  type AnyMethod,
  type CallstatsClient,
  type FabricUsage,
  type FabricHandle,
  type ShimLogger,
} from '@shims/core';
import { usageOfOffer, usageOfStream } from './fabric-usage.js';
import type { PeerJsConnection, PeerJsPeer, PeerJsServerMessage } from './peerjs-types.js';

export interface MonitorPeerJsOptions {
  /** The conference every connection of this Peer belongs to. */
  conferenceID: string;
  /** Maps a remote peer id to the user ID callstats shows; default: the peer id itself. */
  remoteUserID?: (peerId: string) => string;
  /** Attach SDP to reported errors (it carries IP addresses). Default: false. */
  collectSDP?: boolean;
  /** Where failures of the monitoring itself go; default: `console.warn`, once per kind. */
  logger?: ShimLogger;
}

export interface PeerJsMonitor extends Disposable {
  /** The fabric of a connection, while it is monitored. */
  fabricOf(connection: PeerJsConnection): FabricHandle | undefined;
  /** Stops monitoring: every hook, listener and wrapper the shim added is removed; nothing more is sent. */
  dispose(): void;
}

const SOURCE = '@shims/peerjs';
const WHERE = 'monitorPeerJs';

function requirePeer(peer: unknown): asserts peer is PeerJsPeer {
  const p = peer as Partial<PeerJsPeer> | null;
  if (typeof p !== 'object' || p === null || typeof p.call !== 'function' || typeof p.connect !== 'function' || typeof p.on !== 'function') {
    throw invalidArgument(WHERE, 'peer', 'must be a PeerJS Peer (with call, connect and on)', peer);
  }
}

/**
 * Monitors every media and data connection a PeerJS `Peer` makes or accepts from now on: each
 * pc is added to callstats the moment PeerJS builds it, its failures are reported with the
 * function that failed and the original error, and its end sends one `fabricTerminated`.
 */
export function monitorPeerJs(client: CallstatsClient, peer: PeerJsPeer, options: MonitorPeerJsOptions): PeerJsMonitor {
  requirePeer(peer);
  const monitor = createShimMonitor(client, options, SOURCE);
  if (options.remoteUserID !== undefined && typeof options.remoteUserID !== 'function') {
    throw invalidArgument(WHERE, 'options.remoteUserID', 'must be a function of the peer id', options.remoteUserID);
  }
  const userOf = options.remoteUserID ?? ((peerId: string) => peerId);
  const fabrics = new WeakMap<object, FabricHandle>();
  const undo: Array<() => void> = [];

  const addFabric = (pc: RTCPeerConnection, peerId: string | undefined, fabricUsage: FabricUsage): void => {
    if (monitor.disposed || fabrics.has(pc)) return;
    const remoteUserID = String(userOf(peerId ?? 'unknown'));
    fabrics.set(pc, monitor.addFabric(pc, { remoteUserID, fabricUsage }));
  };
  /** Runs a PeerJS step that may build a pc, adding the pc to callstats as it is built. */
  const capturing = <T>(peerId: string | undefined, usage: FabricUsage, step: () => T): T =>
    monitor.disposed ? step() : capturePeerConnections((pc) => addFabric(pc, peerId, usage), step);

  const hook = (name: string, makeWrapper: (original: AnyMethod) => AnyMethod): void => {
    const unwrap = replaceMethod(peer, name, makeWrapper);
    if (unwrap) undo.push(unwrap);
    else monitor.warn(`missing:${name}`, `Peer.${name} not found: this PeerJS version moved it, so connections are caught later (first failures may be missed)`);
  };
  /** Per live connection, what undoes the shim's hooks on it; run at its close or at dispose. */
  const connectionCleanups = new Map<PeerJsConnection, () => void>();

  /** A connection is known: catch a callee's pc at answer(), and end its fabric when it closes. */
  const watchConnection = (connection: PeerJsConnection): void => {
    if (connectionCleanups.has(connection)) return;
    const steps: Array<() => void> = [];
    if (!connection.peerConnection) {
      const unwrapAnswer = replaceMethod(connection, 'answer', (answer) =>
        function answerCaptured(this: unknown, stream?: MediaStream, ...rest: unknown[]) {
          return capturing(connection.peer, usageOfStream(stream), () => answer.call(this, stream, ...rest));
        },
      );
      if (unwrapAnswer) steps.push(unwrapAnswer);
    }
    // PeerJS closes the pc itself (terminating the fabric through the close wrapper) unless it
    // was closed already; the connection's close covers that case. terminate() runs once.
    const onClose = (): void => {
      const pc = connection.peerConnection;
      if (pc) fabrics.get(pc)?.terminate();
      connectionCleanups.get(connection)?.();
    };
    connection.on('close', onClose);
    steps.push(() => (connection.off ?? connection.removeListener)?.call(connection, 'close', onClose));
    connectionCleanups.set(connection, () => {
      connectionCleanups.delete(connection);
      for (const step of steps) step();
    });
  };

  // destroy() ends every call of the Peer. PeerJS 1.4/1.5 skip some connections while closing
  // them (the list is spliced as it is walked), leaving their pc open: end those fabrics here.
  const onPeerClose = (): void => {
    for (const fabric of monitor.fabrics()) fabric.terminate();
  };
  peer.on('close', onPeerClose);
  undo.push(() => (peer.off ?? peer.removeListener)?.call(peer, 'close', onPeerClose));

  hook('call', (original) =>
    function callCaptured(this: unknown, peerId: string, stream: MediaStream, ...rest: unknown[]) {
      return capturing(peerId, usageOfStream(stream), () => original.call(this, peerId, stream, ...rest));
    },
  );
  hook('connect', (original) =>
    function connectCaptured(this: unknown, peerId: string, ...rest: unknown[]) {
      return capturing(peerId, 'data', () => original.call(this, peerId, ...rest));
    },
  );
  // An incoming offer builds the connection (and, for data or an answer given inside the 'call'
  // event, its pc) while PeerJS handles the server's message.
  hook('_handleMessage', (original) =>
    function handleMessageCaptured(this: unknown, message: PeerJsServerMessage) {
      if (message?.type !== 'OFFER') return original.call(this, message);
      const usage = message.payload?.type === 'data' ? 'data' : usageOfOffer(message.payload?.sdp?.sdp);
      return capturing(message.src, usage, () => original.call(this, message));
    },
  );
  hook('_addConnection', (original) =>
    function addConnectionWatched(this: unknown, peerId: string, connection: PeerJsConnection) {
      const result = original.call(this, peerId, connection);
      if (!monitor.disposed) watchConnection(connection);
      return result;
    },
  );

  const fabricOf = (connection: PeerJsConnection): FabricHandle | undefined => {
    const pc = connection.peerConnection;
    const fabric = pc ? fabrics.get(pc) : undefined;
    return fabric?.active ? fabric : undefined;
  };
  const dispose = (): void => {
    if (monitor.disposed) return;
    for (const step of undo.splice(0).reverse()) step();
    for (const cleanup of [...connectionCleanups.values()]) cleanup();
    monitor.dispose();
  };
  return withDisposeSymbol({ fabricOf, dispose });
}
