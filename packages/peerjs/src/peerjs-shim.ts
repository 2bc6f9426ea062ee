import {
  capturePeerConnections,
  createScope,
  createShimMonitor,
  listenOn,
  patchMethod,
  requireMethods,
  shimMonitor,
  trackKindsOf,
  usageOfKinds,
  usageOfOffer,
  type AnyMethod,
  type CallstatsClient,
  type FabricUsage,
} from '@shims/core';
import type { MonitorPeerJsOptions, PeerJsConnection, PeerJsMonitor, PeerJsPeer, PeerJsServerMessage } from './peerjs-types.js';

const WHERE = 'monitorPeerJs';

/**
 * Monitors every media and data connection a PeerJS `Peer` holds, makes or accepts: a pc already
 * running is added at once (late attachment), each new one the moment PeerJS builds it; its
 * failures are reported with the function that failed and the original error, and its end sends
 * one `fabricTerminated`.
 */
export function monitorPeerJs(client: CallstatsClient, peer: PeerJsPeer, options: MonitorPeerJsOptions): PeerJsMonitor {
  requireMethods(peer, ['call', 'connect', 'on'], 'peer', WHERE, 'must be a PeerJS Peer');
  const monitor = createShimMonitor<string>(client, options, '@shims/peerjs');
  const usageOfStream = (stream: MediaStream | undefined): FabricUsage => usageOfKinds(trackKindsOf([stream]));

  // A pc added already keeps its fabric (addFabric returns it).
  const addFabric = (pc: RTCPeerConnection, peerId: string | undefined, fabricUsage: FabricUsage): void => {
    if (!monitor.disposed) monitor.addFabric(pc, { remoteUserID: monitor.userOf(peerId ?? 'unknown'), fabricUsage });
  };
  /** Runs a PeerJS step that may build a pc, adding the pc to callstats as it is built. */
  const capturing = <T>(peerId: string | undefined, usage: FabricUsage, step: () => T): T =>
    monitor.disposed ? step() : capturePeerConnections((pc) => addFabric(pc, peerId, usage), step);

  const hook = (name: string, makeWrapper: (original: AnyMethod) => AnyMethod): void => {
    if (!patchMethod(monitor, peer, name, makeWrapper))
      monitor.warn(`missing:${name}`, `Peer.${name} not found (PeerJS moved it): pcs are caught late`);
  };
  const fabricOf = (connection: PeerJsConnection) => {
    const pc = connection.peerConnection;
    return pc ? monitor.fabricFor(pc) : undefined;
  };

  /**
   * A connection is known: add its pc if it has one (a no-op for a pc caught as it was built; a
   * running call's pc when the shim attaches late), else catch a callee's pc at answer(); end its
   * fabric when it closes. PeerJS passes each connection once (`_addConnection`, or the list taken
   * at a late attachment); what the shim changes on it is a scope, undone at its close or at dispose.
   */
  const watchConnection = (connection: PeerJsConnection): void => {
    const scope = createScope(monitor);
    const pc = connection.peerConnection;
    if (pc) {
      if (pc.signalingState != 'closed')
        addFabric(pc, connection.peer, connection.type == 'data' ? 'data' : usageOfOffer(pc.localDescription?.sdp, true));
    } else {
      patchMethod(
        scope,
        connection,
        'answer',
        (answer) =>
          function answerCaptured(this: unknown, stream?: MediaStream, ...rest: unknown[]) {
            return capturing(connection.peer, usageOfStream(stream), () => answer.call(this, stream, ...rest));
          },
      );
    }
    // PeerJS closes the pc itself (terminating the fabric through the close wrapper) unless it
    // was closed already; the connection's close covers that case. terminate() runs once.
    listenOn(scope, connection, 'close', () => {
      fabricOf(connection)?.terminate();
      scope.dispose();
    });
  };

  // destroy() ends every call of the Peer. PeerJS 1.4/1.5 skip some connections while closing
  // them (the list is spliced as it is walked), leaving their pc open: end those fabrics here.
  listenOn(monitor, peer, 'close', () => monitor.fabrics().forEach((fabric) => fabric.terminate()));

  hook(
    'call',
    (original) =>
      function callCaptured(this: unknown, peerId: string, stream: MediaStream, ...rest: unknown[]) {
        return capturing(peerId, usageOfStream(stream), () => original.call(this, peerId, stream, ...rest));
      },
  );
  hook(
    'connect',
    (original) =>
      function connectCaptured(this: unknown, peerId: string, ...rest: unknown[]) {
        return capturing(peerId, 'data', () => original.call(this, peerId, ...rest));
      },
  );
  // An incoming offer builds the connection (and, for data or an answer given inside the 'call'
  // event, its pc) while PeerJS handles the server's message.
  hook(
    '_handleMessage',
    (original) =>
      function handleMessageCaptured(this: unknown, message: PeerJsServerMessage) {
        if (message?.type !== 'OFFER') return original.call(this, message);
        const usage = message.payload?.type === 'data' ? 'data' : usageOfOffer(message.payload?.sdp?.sdp, true);
        return capturing(message.src, usage, () => original.call(this, message));
      },
  );
  hook(
    '_addConnection',
    (original) =>
      function addConnectionWatched(this: unknown, peerId: string, connection: PeerJsConnection) {
        const result = original.call(this, peerId, connection);
        if (!monitor.disposed) watchConnection(connection);
        return result;
      },
  );

  // Late attachment: the connections the Peer already holds (their pcs are never built again).
  for (const connections of Object.values(peer.connections ?? {}) as PeerJsConnection[][]) connections.forEach(watchConnection);

  return shimMonitor(monitor, fabricOf);
}
