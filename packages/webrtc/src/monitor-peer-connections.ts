import {
  createShimMonitor,
  invalidArgument,
  requireNonEmptyString,
  isPeerConnectionWrapped,
  patchMethod,
  PEER_CONNECTION_FUNCTIONS,
  shimMonitor,
  type CallstatsClient,
  type FabricHandle,
  type FabricPeerConnection,
  type FabricUsage,
  type PeerConnectionFunction,
  type ShimKernel,
  type ShimMonitor,
} from '@shims/core';
import { tapGlobalConstructors } from './global-constructor.js';
import { checkCommonOptions, checkPeerConnection, checkUsage, SOURCE, usageOfPeerConnection, type MonitorPeerConnectionsOptions } from './options.js';

/** What the app tells the global tap about a pc it built before (or around) the tap. */
export interface AddPeerConnectionOptions {
  /** Default: the monitor's `remoteUserID`, as for a pc it tapped. */
  remoteUserID?: string;
  /** Default: the monitor's `fabricUsage`, else from the pc's SDP, transceivers, else `multiplex`. */
  fabricUsage?: FabricUsage;
}

/** `fabricFor(pc)`: the fabric of a pc this monitor registered, while it is active. */
export interface PeerConnectionsMonitor extends ShimMonitor<RTCPeerConnection> {
  /**
   * Registers a pc the tap did not see: one built before `monitorPeerConnections` (late
   * attachment) or through a constructor captured earlier. Registered now; a pc already
   * registered (here, or by a vendor shim) is not added again: its fabric here, or undefined.
   */
  addPeerConnection(pc: RTCPeerConnection, options?: AddPeerConnectionOptions): FabricHandle | undefined;
}

const WHERE = 'monitorPeerConnections';

/** Where each pc function's legacy failure callback sits: `createOffer(success, failure)`, `setLocalDescription(d, success, failure)`. */
const FAILURE_INDEX: Record<PeerConnectionFunction, number> = {
  createOffer: 1,
  createAnswer: 1,
  setLocalDescription: 2,
  setRemoteDescription: 2,
  addIceCandidate: 2,
};

/** The calls that register a pending pc: every event callstats.js listens to comes after one of them. */
const REGISTERING = new Set<PeerConnectionFunction>(['setLocalDescription', 'setRemoteDescription']);

/** Runs `original` and hands its failure (thrown, rejected, or through the legacy callback) to `onFailure`; the caller gets what it would. */
function callWatchingFailure(
  original: (...args: unknown[]) => unknown,
  self: unknown,
  args: unknown[],
  index: number,
  onFailure: (error: unknown) => void,
): unknown {
  const appFailure = args[index];
  if (typeof appFailure === 'function') {
    args[index] = function reportThenForward(this: unknown, error: unknown): unknown {
      onFailure(error);
      return (appFailure as (e: unknown) => unknown).call(this, error);
    };
    return original.apply(self, args);
  }
  let result: unknown;
  try {
    result = original.apply(self, args);
  } catch (error) {
    onFailure(error);
    throw error;
  }
  if (typeof (result as PromiseLike<unknown> | null)?.then !== 'function') return result;
  return (result as PromiseLike<unknown>).then(undefined, (error: unknown) => {
    onFailure(error);
    throw error;
  });
}

/**
 * Monitors every RTCPeerConnection the page builds from now on through the global constructor
 * (`RTCPeerConnection` and the prefixed aliases present), until `dispose()`.
 *
 * A pc is registered at its first `setLocalDescription` or `setRemoteDescription`, which precede
 * every event callstats.js listens to: probe pcs that SDKs build to test the browser (a data
 * channel, a transceiver, even a `createOffer` to read codecs) and close without negotiating never
 * reach callstats.js. A `createOffer`, `createAnswer` or `addIceCandidate` that fails before that
 * registers the pc and reports the failure. From registration on, `@shims/core`'s pc wrapper
 * reports each failure once with the original error and `close()` sends one `fabricTerminated`.
 *
 * A pc a vendor shim (any monitor of `@shims/core`) registered first is left to it: never added twice.
 */
export function monitorPeerConnections(client: CallstatsClient, options: MonitorPeerConnectionsOptions): PeerConnectionsMonitor {
  checkCommonOptions(WHERE, client, options, false);
  checkUsage(WHERE, options.fabricUsage, true);
  if (options.include !== undefined && typeof options.include !== 'function') {
    throw invalidArgument(WHERE, 'options.include', 'must be a function (pc, configuration) => boolean', options.include);
  }
  // remoteUserID is resolved here, with the configuration; the kernel only checks it.
  const monitor: ShimKernel<RTCPeerConnection> = createShimMonitor<RTCPeerConnection>(client, { ...options, remoteUserID: undefined }, SOURCE);
  /** pcs built through the tap and not yet registered or left to another monitor, with their configuration. */
  const pending = new WeakMap<object, RTCConfiguration | undefined>();

  const userOf = (pc: RTCPeerConnection, configuration: RTCConfiguration | undefined): string => {
    const user = options.remoteUserID;
    if (typeof user === 'string') return user;
    if (typeof user === 'function') {
      try {
        const named = user(pc, configuration);
        if (typeof named === 'string' && named !== '') return named;
        monitor.warn(
          'remoteUserID:result',
          `options.remoteUserID returned ${typeof named === 'string' ? 'an empty string' : typeof named}; using "remote"`,
        );
      } catch (error) {
        monitor.warn('remoteUserID:threw', 'options.remoteUserID threw; using "remote"', error);
      }
    }
    return 'remote';
  };

  const usageOf = (pc: RTCPeerConnection, configuration: RTCConfiguration | undefined, description?: unknown): FabricUsage => {
    const usage = options.fabricUsage;
    if (typeof usage === 'string') return usage;
    if (typeof usage === 'function') {
      try {
        const chosen = usage(pc, configuration);
        if (chosen !== undefined) return chosen;
      } catch (error) {
        monitor.warn('fabricUsage:threw', 'options.fabricUsage threw; using the usage from the SDP', error);
      }
    }
    return usageOfPeerConnection(pc, description);
  };

  /** Adds the pc as a fabric, unless another monitor holds it already or it cannot be held. */
  const register = (pc: RTCPeerConnection, remoteUserID: string, fabricUsage: FabricUsage): FabricHandle | undefined => {
    pending.delete(pc);
    if (monitor.disposed) return undefined;
    const own = monitor.fabricFor(pc);
    if (own) return own;
    // A vendor shim (or a second tap) registered it: that monitor owns it.
    if (isPeerConnectionWrapped(pc)) return undefined;
    try {
      return monitor.addFabric(pc, { remoteUserID, fabricUsage });
    } catch (error) {
      monitor.warn('pc:unusable', 'a pc cannot be monitored; it goes on unmonitored', error);
      return undefined;
    }
  };

  const registerPending = (pc: RTCPeerConnection, description?: unknown): FabricHandle | undefined => {
    const configuration = pending.get(pc);
    return register(pc, userOf(pc, configuration), usageOf(pc, configuration, description));
  };

  const prototypes = tapGlobalConstructors(monitor, (pc, args) => {
    if (monitor.disposed) return;
    const configuration = (typeof args[0] === 'object' && args[0] !== null ? args[0] : undefined) as RTCConfiguration | undefined;
    if (options.include) {
      try {
        if (!options.include(pc, configuration)) return;
      } catch (error) {
        monitor.warn('include:threw', 'options.include threw; the pc is not monitored', error);
        return;
      }
    }
    pending.set(pc, configuration);
  });

  // The pc functions, watched on the prototypes the constructors build, where other libraries'
  // prototype patches sit (adapter.js, rtcstats): no pc gets an instance property before it is
  // registered, and `@shims/core`'s instance wrappers sit above once it is.
  for (const prototype of prototypes) {
    for (const fn of PEER_CONNECTION_FUNCTIONS) {
      patchMethod(
        monitor,
        prototype,
        fn,
        (original) =>
          function watchedUntilRegistered(this: unknown, ...args: unknown[]): unknown {
            const pc = this as RTCPeerConnection;
            if (monitor.disposed || typeof pc !== 'object' || pc === null || !pending.has(pc)) return original.apply(this, args);
            let fabric: FabricHandle | undefined;
            try {
              if (REGISTERING.has(fn)) fabric = registerPending(pc, args[0]);
            } catch {
              // Monitoring must not change the app's call.
            }
            // This very call started below the wrapper the registration installed: its failure is reported here.
            return callWatchingFailure(original, this, args, FAILURE_INDEX[fn], (error) => {
              try {
                const target = fabric ?? (pending.has(pc) ? registerPending(pc) : monitor.fabricFor(pc));
                target?.reportError(fn, error);
              } catch {
                // Never into the app.
              }
            });
          },
      );
    }
    // A pc closed before it negotiated (a probe) is forgotten: nothing to end.
    patchMethod(
      monitor,
      prototype,
      'close',
      (original) =>
        function closeWatched(this: unknown, ...args: unknown[]): unknown {
          if (typeof this === 'object' && this !== null) pending.delete(this);
          return original.apply(this, args);
        },
    );
  }

  return shimMonitor(monitor, (pc: RTCPeerConnection) => monitor.fabricFor(pc as FabricPeerConnection), {
    addPeerConnection(pc: RTCPeerConnection, add: AddPeerConnectionOptions = {}): FabricHandle | undefined {
      const where = `${WHERE} addPeerConnection`;
      checkPeerConnection(where, 'pc', pc);
      if (typeof add !== 'object' || add === null) throw invalidArgument(where, 'options', 'must be an object', add);
      if (add.remoteUserID !== undefined) requireNonEmptyString(add.remoteUserID, 'options.remoteUserID', where);
      checkUsage(where, add.fabricUsage, false);
      if (pc.signalingState === 'closed') return undefined;
      const configuration = pending.get(pc) ?? (typeof pc.getConfiguration === 'function' ? pc.getConfiguration() : undefined);
      return register(pc, add.remoteUserID ?? userOf(pc, configuration), add.fabricUsage ?? usageOf(pc, configuration));
    },
  });
}
