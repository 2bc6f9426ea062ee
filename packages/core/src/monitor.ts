import { callClient } from './call-client.js';
import type { CallstatsClient, FabricAttributes, ReportedError } from './contract/callstats-client.js';
import { FABRIC_USAGES, type FabricEvent, type FabricUsage, type WebRTCFunction } from './contract/callstats-enums.js';
import type { FabricPeerConnection } from './contract/fabric-peer-connection.js';
import { createWarnOnce, type ShimLogger, type Warn } from './logger.js';
import { withDisposeSymbol } from './replace-method.js';
import { createScope, type ShimChanges } from './shim-changes.js';
import { invalidArgument, requireMethods, requireNonEmptyString, requireOneOf } from './validate.js';
import { wrapPeerConnection } from './wrap-peer-connection.js';

export interface MonitorOptions {
  /** The callstats.js client (`new callstats()`, initialized), or anything with the same methods. */
  client: CallstatsClient;
  /** The conference every fabric of this monitor belongs to. */
  conferenceID: string;
  /** Where failures of the monitoring itself go; default: `console.warn`, once per kind. */
  logger?: ShimLogger;
  /**
   * Attach the pc's local and remote SDP to reported errors. Off by default: SDP carries IP
   * addresses and media details, so it leaves the page only when the app opts in.
   */
  includeSdp?: boolean;
  /** Who speaks in log lines, e.g. `@shims/peerjs`. */
  source?: string;
}

export interface AddFabricOptions {
  /** The remote side: a user ID, or what the SDK knows of it (peer id, plugin and feed). */
  remoteUserID: string;
  /** Default: `multiplex` (audio, video and data over one bundled transport). */
  fabricUsage?: FabricUsage;
  fabricAttributes?: FabricAttributes;
  /**
   * Wrap the pc's methods so their failures are reported and its `close()` terminates the
   * fabric. Default: true. A fake pc, whose SDK reports failures some other way, turns it off.
   */
  wrapMethods?: boolean;
}

/** Fabric events a shim sends during a call; `fabricTerminated` comes from `terminate()` alone. */
export type FabricLifecycleEvent = Extract<
  FabricEvent,
  'fabricHold' | 'fabricResume' | 'audioMute' | 'audioUnmute' | 'videoPause' | 'videoResume' | 'screenShareStart' | 'screenShareStop'
>;

/** One pc registered as a fabric. Every method is a no-op once the fabric is no longer active. */
export interface FabricHandle {
  readonly pc: FabricPeerConnection;
  readonly remoteUserID: string;
  /** True from registration until `terminate()`, `detach()` or the monitor's disposal. */
  readonly active: boolean;
  send(event: FabricLifecycleEvent, eventData?: unknown): void;
  reportError(fn: WebRTCFunction, error: unknown): void;
  /** Tell the client which remote user a received stream (by SSRC) belongs to. */
  associateStream(userID: string, ssrc: string, usageLabel: string, videoElementId?: string): void;
  /** Sends `fabricTerminated` the first time, then detaches. Called by the pc's `close()` too. */
  terminate(): void;
  /** Stops monitoring this pc without telling the client: removes wrappers and listeners. */
  detach(): void;
}

/**
 * A monitor: the fabrics of one conference, and every change its shim made to the SDK's objects
 * (`patchMethod`, `listenOn`, `onDispose`, or a `createScope` of them), undone in reverse at `dispose()`.
 */
export interface Monitor extends ShimChanges, Disposable {
  readonly conferenceID: string;
  readonly disposed: boolean;
  /** Registers a pc as a fabric now, before its next event. A pc already live here returns its handle. */
  addFabric(pc: FabricPeerConnection, options: AddFabricOptions): FabricHandle;
  fabricFor(pc: FabricPeerConnection): FabricHandle | undefined;
  /** The fabrics still active, in the order they were added. */
  fabrics(): FabricHandle[];
  /** Reports a `getUserMedia`/`getDisplayMedia` failure that the SDK surfaced itself. */
  reportMediaError(error: unknown): void;
  /** One warning per kind through the logger, for shims that find an SDK internal moved. */
  warn: Warn;
  /** Stops monitoring: every change undone in reverse, every fabric detached (not terminated). */
  dispose(): void;
}

/**
 * Who the remote side of a fabric is: a fixed user ID, or a function of what the SDK knows of the
 * remote side (`R`: a peer id, a SIP session, a Janus handle...).
 */
export type RemoteUserID<R> = string | ((remote: R) => string);

/** The options every vendor shim's entry point takes (its own options extend these). */
export interface ShimMonitorOptions<R = never> {
  /** The conference every fabric of this monitor belongs to. */
  conferenceID: string;
  /** The user ID callstats shows for the remote side; each vendor says its default. */
  remoteUserID?: RemoteUserID<R>;
  /** Attach SDP to reported errors (it carries IP addresses). Default: false. */
  collectSDP?: boolean;
  /** Where failures of the monitoring itself go; default: `console.warn`, once per kind. */
  logger?: ShimLogger;
}

/** The handle every vendor's entry point returns; extras are named by the rule in core's README. */
export interface ShimMonitor<T> extends Disposable {
  /** The fabric of this SDK object (connection, session, handle, peer...), while it is active. */
  fabricFor(object: T): FabricHandle | undefined;
  /** The fabrics still active, in the order they were added. */
  fabrics(): FabricHandle[];
  /** Stops monitoring: every change the shim made is undone; nothing more is sent. */
  dispose(): void;
}

/** The monitor a shim works with: `userOf(remote)` resolves `options.remoteUserID`. */
export interface ShimKernel<R> extends Monitor {
  userOf(remote: R): string;
}

/**
 * `createMonitor` from a shim's own options: one place checks that they are an object and that
 * `remoteUserID` is a user ID or a function (TypeErrors naming `source`), and maps `collectSDP`
 * and the log source. `defaultUser` names the remote side when the app does not (default: `String(remote)`).
 */
export function createShimMonitor<R>(
  client: CallstatsClient,
  options: ShimMonitorOptions<R>,
  source: string,
  defaultUser: (remote: R) => string = String,
): ShimKernel<R> {
  if (typeof options !== 'object' || options === null) throw invalidArgument(source, 'options', 'must be an object with conferenceID', options);
  const user = options.remoteUserID;
  // A user ID (checked here) or a function of the remote side.
  if (user !== undefined && typeof user !== 'function') requireNonEmptyString(user, 'options.remoteUserID', source);
  const monitor = buildMonitor(
    {
      client,
      conferenceID: options.conferenceID,
      includeSdp: options.collectSDP === true,
      source,
      logger: options.logger,
    },
    source,
  ) as ShimKernel<R>;
  monitor.userOf = (remote) => String(typeof user === 'function' ? user(remote) : (user ?? defaultUser(remote)));
  return monitor;
}

/**
 * The vendor's handle: `extras` (the object itself, so its getters stay getters) with `fabricFor`,
 * `fabrics()`, `dispose()` and `[Symbol.dispose]` added. `fabricFor` answers with active fabrics
 * only: look them up with `monitor.fabricFor(pc)`, which forgets a fabric once it ends.
 */
export function shimMonitor<T, E extends object = object>(
  monitor: Monitor,
  fabricFor: (object: T) => FabricHandle | undefined,
  extras?: E,
): ShimMonitor<T> & NoInfer<E> {
  return withDisposeSymbol(Object.assign(extras ?? ({} as E), { fabricFor, fabrics: monitor.fabrics, dispose: monitor.dispose }));
}

const WHERE = 'createMonitor';

/** The error object itself where the client can read it; anything else as text. */
function asReportedError(error: unknown): ReportedError {
  return (typeof error === 'object' && error !== null) || typeof error === 'string' ? error : String(error);
}
const PC_METHODS = ['getStats', 'addEventListener', 'removeEventListener'] as const;

/** A client call's arguments, with the optional last one only when it is given. */
function withOptional<A extends unknown[]>(args: A, optional: unknown): A {
  if (optional !== undefined) args.push(optional);
  return args;
}

export function createMonitor(options: MonitorOptions): Monitor {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument(WHERE, 'options', 'must be an object with client and conferenceID', options);
  }
  return buildMonitor(options);
}

/**
 * `createMonitor` once `options` is known to be an object (a shim's own options were checked).
 * Errors name the option as the app passed it, and `where`: the function or shim it called.
 */
function buildMonitor(options: MonitorOptions, where = WHERE): Monitor {
  const { client, conferenceID, includeSdp = false, logger } = options;
  requireMethods(client, ['addNewFabric', 'reportError', 'sendFabricEvent', 'associateMstWithUserID'], 'client', where);
  requireNonEmptyString(conferenceID, 'options.conferenceID', where);
  // console.warn itself, or an object with warn (console, pino, winston).
  if (logger !== undefined && typeof logger !== 'function') requireMethods(logger, ['warn'], 'options.logger', where);
  const warn = createWarnOnce(options.source ?? '@shims/core', logger);
  const fabrics = new Map<FabricPeerConnection, FabricHandle>();
  const changes = createScope();
  let disposed = false;

  const sdpOf = (pc: FabricPeerConnection | null): [string?, string?] =>
    includeSdp && pc ? [pc.localDescription?.sdp, pc.remoteDescription?.sdp] : [];

  const reportError = (pc: FabricPeerConnection | null, fn: WebRTCFunction, error: unknown): void => {
    callClient(client, 'reportError', [pc, conferenceID, fn, asReportedError(error), ...sdpOf(pc)], warn);
  };

  function addFabric(pc: FabricPeerConnection, fabric: AddFabricOptions): FabricHandle {
    const where = 'addFabric';
    requireMethods(pc, PC_METHODS, 'pc', where);
    if (typeof fabric !== 'object' || fabric === null) throw invalidArgument(where, 'options', 'must be an object', fabric);
    requireNonEmptyString(fabric.remoteUserID, 'remoteUserID', where);
    const usage: FabricUsage = fabric.fabricUsage ?? 'multiplex';
    requireOneOf(usage, FABRIC_USAGES, 'fabricUsage', where);
    const existing = fabrics.get(pc);
    if (existing) return existing;
    const handle = createFabricHandle(pc, fabric.remoteUserID);
    if (disposed) {
      warn('addFabric:disposed', 'addFabric after dispose(): the pc is not monitored');
      handle.detach();
      return handle;
    }
    fabrics.set(pc, handle);
    const args: Parameters<CallstatsClient['addNewFabric']> = [pc, fabric.remoteUserID, usage, conferenceID];
    callClient(client, 'addNewFabric', withOptional(args, fabric.fabricAttributes || undefined), warn);
    if (fabric.wrapMethods !== false) {
      handle.unwrap = wrapPeerConnection(pc, {
        onFailure: (fn, error) => handle.reportError(fn, error),
        onClose: () => handle.terminate(),
      });
    }
    return handle;
  }

  function createFabricHandle(pc: FabricPeerConnection, remoteUserID: string) {
    let active = true;
    const detach = (): void => {
      if (!active) return;
      active = false;
      if (fabrics.get(pc) === handle) fabrics.delete(pc);
      handle.unwrap?.();
    };
    const handle = {
      pc,
      remoteUserID,
      get active() {
        return active;
      },
      /** Removes the pc's method wrappers, if addFabric installed them. */
      unwrap: undefined as (() => void) | undefined,
      // Any event, fabricTerminated too (terminate sends it); FabricHandle gives apps the others.
      send(event: FabricEvent, eventData?: unknown) {
        const args: Parameters<CallstatsClient['sendFabricEvent']> = [pc, event, conferenceID];
        if (active) callClient(client, 'sendFabricEvent', withOptional(args, eventData), warn);
      },
      reportError(fn: WebRTCFunction, error: unknown) {
        if (active) reportError(pc, fn, error);
      },
      associateStream(userID: string, ssrc: string, usageLabel: string, videoElementId?: string) {
        const args: Parameters<CallstatsClient['associateMstWithUserID']> = [pc, userID, conferenceID, ssrc, usageLabel];
        if (active) callClient(client, 'associateMstWithUserID', withOptional(args, videoElementId), warn);
      },
      terminate() {
        handle.send('fabricTerminated');
        detach();
      },
      detach,
    };
    return handle;
  }

  const monitor: Omit<Monitor, typeof Symbol.dispose> = {
    conferenceID,
    get disposed() {
      return disposed;
    },
    addFabric,
    fabricFor: (pc) => fabrics.get(pc),
    fabrics: () => [...fabrics.values()],
    reportMediaError(error) {
      if (!disposed) reportError(null, 'getUserMedia', error);
    },
    onDispose: changes.onDispose,
    warn,
    dispose() {
      if (disposed) return;
      disposed = true;
      changes.dispose();
      for (const fabric of [...fabrics.values()]) fabric.detach();
    },
  };
  return withDisposeSymbol(monitor);
}
