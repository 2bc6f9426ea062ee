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
 * Monitors every media and data connection a PeerJS `Peer` makes or accepts from now on: each
 * pc is added to callstats the moment PeerJS builds it, its failures are reported with the
 * function that failed and the original error, and its end sends one `fabricTerminated`.
 */
export function monitorPeerJs(client: CallstatsClient, peer: PeerJsPeer, options: MonitorPeerJsOptions): PeerJsMonitor {
  requireMethods(peer, ['call', 'connect', 'on'], 'peer', WHERE, 'must be a PeerJS Peer (with call, connect and on)');
  const monitor = createShimMonitor<string>(client, options, '@shims/peerjs');
  const usageOfStream = (stream: MediaStream | undefined): FabricUsage => usageOfKinds(trackKindsOf([stream]));

  const addFabric = (pc: RTCPeerConnection, peerId: string | undefined, fabricUsage: FabricUsage): void => {
    if (monitor.disposed || monitor.fabricFor(pc)) return;
    monitor.addFabric(pc, { remoteUserID: monitor.userOf(peerId ?? 'unknown'), fabricUsage });
  };
  /** Runs a PeerJS step that may build a pc, adding the pc to callstats as it is built. */
  const capturing = <T>(peerId: string | undefined, usage: FabricUsage, step: () => T): T =>
    monitor.disposed ? step() : capturePeerConnections((pc) => addFabric(pc, peerId, usage), step);

  const hook = (name: string, makeWrapper: (original: AnyMethod) => AnyMethod): void => {
    if (!patchMethod(monitor, peer, name, makeWrapper))
      monitor.warn(
        `missing:${name}`,
        `Peer.${name} not found: this PeerJS version moved it, so connections are caught later (first failures may be missed)`,
      );
  };
  /** The connections seen: what the shim changes on each is a scope, undone at its close or at dispose. */
  const watched = new WeakSet<PeerJsConnection>();
  const fabricOf = (connection: PeerJsConnection) => {
    const pc = connection.peerConnection;
    return pc ? monitor.fabricFor(pc) : undefined;
  };

  /** A connection is known: catch a callee's pc at answer(), and end its fabric when it closes. */
  const watchConnection = (connection: PeerJsConnection): void => {
    if (watched.has(connection)) return;
    watched.add(connection);
    const scope = createScope(monitor);
    if (!connection.peerConnection) {
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
  const onPeerClose = (): void => {
    for (const fabric of monitor.fabrics()) fabric.terminate();
  };
  listenOn(monitor, peer, 'close', onPeerClose);

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

  return shimMonitor(monitor, fabricOf);
}
