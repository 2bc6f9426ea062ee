import {
  createScope,
  createShimMonitor,
  invalidArgument,
  listenOn,
  patchMethod,
  shimMonitor,
  watchPageMediaDevices,
  wrapPeerConnection,
  type CallstatsClient,
  type FabricHandle,
  type ShimMonitor,
  type ShimMonitorOptions,
  type WatchMediaOptions,
} from '@shims/core';
import type { OpenAIRealtimeSessionLike, OpenAIRealtimeWebRTCLike } from './openai-realtime-types.js';

/**
 * `remoteUserID`: a user ID, or a function of the model the session talks to (the transport's
 * `currentModel` when it connects); default: the model, e.g. `gpt-realtime-2.1`.
 * `watchMediaDevices`: report the page's `getUserMedia` failures while a session is connecting,
 * which is when the transport opens the microphone (default true).
 */
export interface MonitorOpenAIRealtimeOptions extends ShimMonitorOptions<string>, WatchMediaOptions {}

/** `fabricFor(session or transport)`: the fabric of its pc, while it is active. */
export interface OpenAIRealtimeMonitor extends ShimMonitor<OpenAIRealtimeSessionLike | OpenAIRealtimeWebRTCLike> {}

const SOURCE = '@shims/openai-realtime';

/**
 * Monitors the WebRTC session of an `@openai/agents-realtime` `RealtimeSession` (or of its
 * `OpenAIRealtimeWebRTC` transport) with callstats.js: each pc the transport builds in
 * `connect()` is a fabric from its first moment, until the session closes.
 *
 * The pc is taken from the transport's public `connectionState.peerConnection` when the transport
 * says `connection_change: 'connecting'`, synchronously after building it. Its failing pc calls
 * are reported with the original error, and so is a failed SDP exchange with the endpoint (the
 * step that stands for `setRemoteDescription`); a failed microphone goes through core's media
 * path; `mute()` sends audioMute/audioUnmute; the pc's close sends one `fabricTerminated`.
 */
export function monitorOpenAIRealtime(
  client: CallstatsClient,
  session: OpenAIRealtimeSessionLike | OpenAIRealtimeWebRTCLike,
  options: MonitorOpenAIRealtimeOptions,
): OpenAIRealtimeMonitor {
  const transport = ((session as Partial<OpenAIRealtimeSessionLike> | null)?.transport ?? session) as OpenAIRealtimeWebRTCLike;
  const state: unknown = transport?.connectionState;
  // The WebSocket and SIP transports have a connectionState too, without a peerConnection.
  if (
    typeof state !== 'object' ||
    !state ||
    !('peerConnection' in state) ||
    typeof transport.on !== 'function' ||
    typeof transport.mute !== 'function'
  ) {
    throw invalidArgument('monitorOpenAIRealtime', 'session', 'must be a RealtimeSession or OpenAIRealtimeWebRTC (the WebRTC transport)', session);
  }
  const monitor = createShimMonitor(client, options, SOURCE);
  let fabric: FabricHandle | undefined;
  let muted = false;
  // The transport says why a connect attempt failed right after it closed the pc.
  let failure: unknown;

  const add = (pc: RTCPeerConnection | undefined, connecting: boolean): void => {
    if (!pc || monitor.fabricFor(pc) || pc.signalingState === 'closed') return;
    const scope = createScope(monitor);
    const added = (fabric = monitor.addFabric(pc, { remoteUserID: monitor.userOf(String(transport.currentModel)), wrapMethods: false }));
    let reported: unknown;
    let closed = false;
    let exchanging = false;
    // Runs when the scope ends: a microtask after close(), or at once if the app disposes first.
    scope.onDispose(() => {
      if (!closed) return;
      if (exchanging && failure && failure !== reported) added.reportError('setRemoteDescription', failure);
      added.terminate();
    });
    muted = false;
    scope.onDispose(
      wrapPeerConnection(pc, {
        onFailure(fn, error) {
          reported = error;
          added.reportError(fn, error);
        },
        onClose() {
          // The offer went out and no answer was set: the HTTP exchange with the endpoint failed,
          // and the transport says why right after this close().
          exchanging = pc.signalingState === 'have-local-offer';
          closed = true;
          failure = undefined;
          queueMicrotask(scope.dispose);
        },
      }),
    );
    // The transport opens the microphone after building the pc, before the offer.
    if (connecting) watchPageMediaDevices(options, { reportMediaError: monitor.reportMediaError, onDispose: (media = createScope(scope)).onDispose });
  };
  let media = createScope();

  listenOn(monitor, transport, 'connection_change', (status: string) => {
    try {
      if (status === 'connecting') add(transport.connectionState.peerConnection, true);
      else media.dispose();
    } catch (error) {
      // The app's remoteUserID function threw, say: the session must connect all the same.
      monitor.warn('connecting', "the session's pc is not monitored", error);
    }
  });
  listenOn(monitor, transport, 'error', (event: { error?: unknown }) => (failure = event?.error));
  patchMethod(
    monitor,
    transport,
    'mute',
    (original) =>
      function mute(this: unknown, ...args: unknown[]): unknown {
        const result: unknown = original.apply(this, args);
        const now = transport.muted === true;
        if (now !== muted && fabric?.active) {
          muted = now;
          fabric.send(now ? 'audioMute' : 'audioUnmute');
        }
        return result;
      },
  );
  // Attached mid-session: the pc the transport holds now.
  add(transport.connectionState.peerConnection, false);

  return shimMonitor(monitor, (of: OpenAIRealtimeSessionLike | OpenAIRealtimeWebRTCLike) => {
    const pc = (of === session || of === transport) && transport.connectionState.peerConnection;
    return pc ? monitor.fabricFor(pc) : undefined;
  });
}
