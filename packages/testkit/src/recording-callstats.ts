import {
  EndpointType,
  FabricEvent,
  FabricUsage,
  TransmissionDirection,
  WebRTCFunction,
  type CallstatsClient,
  type CallstatsStatus,
  type FabricPeerConnection,
} from '@shims/core';
import { nextSeq } from './sequence.ts';

export type ClientMethod = keyof CallstatsClient;

export interface RecordedCall {
  seq: number;
  method: ClientMethod;
  args: unknown[];
  status: CallstatsStatus;
}

export interface RecordingCallstatsOptions {
  /**
   * A real client (e.g. callstats.js) to forward every call to; its status is returned and
   * recorded. The checks below still run and record violations.
   */
  delegate?: CallstatsClient;
}

interface Fabric {
  conferenceID: string;
  terminated: boolean;
}

const ok: CallstatsStatus = { status: 'success' };
const has = (table: object, value: unknown): boolean => typeof value === 'string' && Object.hasOwn(table, value);
const looksLikePc = (pc: unknown): pc is FabricPeerConnection =>
  typeof pc === 'object' && pc !== null && (pc as { createOffer?: unknown }).createOffer !== undefined;

/**
 * A `CallstatsClient` that records every call, in order, and checks each one as callstats.js
 * 3.73.16 would, or stricter: what the library would refuse, and what it would take but then
 * drop or misfile (an empty conference ID, an error for a pc never added, an event after
 * `fabricTerminated`, a pc added twice), answers like the library and is recorded as a
 * violation. A shim that callstats.js would reject fails its tests.
 */
export class RecordingCallstats implements CallstatsClient {
  readonly calls: RecordedCall[] = [];
  readonly violations: string[] = [];
  readonly #fabrics = new Map<object, Fabric>();
  readonly #delegate: CallstatsClient | undefined;

  constructor(options: RecordingCallstatsOptions = {}) {
    this.#delegate = options.delegate;
  }

  /** The calls of one method, optionally of one pc. */
  callsOf(method: ClientMethod, pc?: object): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (pc === undefined || c.args[0] === pc));
  }

  /** The pcs added, in order. */
  get fabrics(): object[] {
    return [...this.#fabrics.keys()];
  }

  addNewFabric(...args: Parameters<CallstatsClient['addNewFabric']>): CallstatsStatus {
    const [pc, remoteUserID, fabricUsage, conferenceID, attributes] = args;
    const check = (): CallstatsStatus => {
      if (remoteUserID === undefined || !pc || !fabricUsage) return this.#fail('addNewFabric: Argument missing/invalid');
      if (!this.#conferenceOk('addNewFabric', conferenceID)) return this.#fail('addNewFabric: Argument missing/invalid');
      if (typeof remoteUserID !== 'string' || remoteUserID === '') {
        this.#violation(`addNewFabric: remoteUserID should be a non-empty string, got ${JSON.stringify(remoteUserID)}`);
      }
      if (attributes && typeof attributes === 'object') {
        const { remoteEndpointType, fabricTransmissionDirection } = attributes;
        if (remoteEndpointType && !has(EndpointType, remoteEndpointType)) {
          return this.#fail(`addNewFabric: Invalid EndPoint Type ${String(remoteEndpointType)}`);
        }
        if (fabricTransmissionDirection && !has(TransmissionDirection, fabricTransmissionDirection)) {
          return this.#fail(`addNewFabric: Invalid fabric transmission direction ${String(fabricTransmissionDirection)}`);
        }
      }
      if (!has(FabricUsage, fabricUsage)) return this.#fail(`addNewFabric: Invalid fabricUsage value ${String(fabricUsage)}`);
      if (!looksLikePc(pc)) return this.#fail('addNewFabric: Invalid PeerConnection object passed');
      const existing = this.#fabrics.get(pc);
      if (existing && existing.conferenceID === conferenceID) {
        this.#violation('addNewFabric: the same pc was added twice (callstats.js ignores the second)');
        return ok;
      }
      this.#fabrics.set(pc, { conferenceID, terminated: false });
      return ok;
    };
    return this.#record('addNewFabric', args, check());
  }

  sendFabricEvent(...args: Parameters<CallstatsClient['sendFabricEvent']>): CallstatsStatus {
    const [pc, fabricEvent, conferenceID, eventData] = args;
    const check = (): CallstatsStatus => {
      if (!pc || !fabricEvent) return this.#fail('sendFabricEvent: Argument missing/invalid');
      if (fabricEvent === FabricEvent.fabricSetupFailed) return this.#fail('sendFabricEvent: Unsupported fabricEvent fabricSetupFailed');
      if (!has(FabricEvent, fabricEvent)) return this.#fail(`sendFabricEvent: Invalid fabricEvents value ${String(fabricEvent)}`);
      if (fabricEvent === FabricEvent.activeDeviceList && !(eventData as { deviceList?: unknown } | undefined)?.deviceList) {
        return this.#fail('sendFabricEvent : Argument missing/invalid');
      }
      if (!this.#conferenceOk('sendFabricEvent', conferenceID)) return this.#fail('sendFabricEvent : Argument missing/invalid');
      const fabric = this.#fabrics.get(pc);
      if (!fabric || fabric.conferenceID !== conferenceID) return this.#fail('sendFabricEvent : Invalid PeerConnection object passed');
      if (fabric.terminated) this.#violation(`sendFabricEvent: ${fabricEvent} after fabricTerminated`);
      if (fabricEvent === FabricEvent.fabricTerminated) fabric.terminated = true;
      return ok;
    };
    return this.#record('sendFabricEvent', args, check());
  }

  reportError(...args: Parameters<CallstatsClient['reportError']>): CallstatsStatus {
    const [pc, conferenceID, webRTCFunction, domError] = args;
    const check = (): CallstatsStatus => {
      if (pc === undefined || !webRTCFunction) return this.#fail('reportError: Argument missing/invalid');
      if (!has(WebRTCFunction, webRTCFunction)) return this.#fail(`reportError: Invalid webRTC functionName value ${String(webRTCFunction)}`);
      if (!this.#conferenceOk('reportError', conferenceID)) return this.#fail('reportError: Argument missing/invalid');
      if (domError === undefined) this.#violation('reportError: no error given');
      if (pc !== null) {
        const fabric = this.#fabrics.get(pc);
        // callstats.js answers success here, then drops the report: stricter on purpose.
        if (!fabric || fabric.conferenceID !== conferenceID)
          return this.#fail('reportError: pc was never added to this conference; callstats.js would drop the report');
        if (fabric.terminated) this.#violation(`reportError: ${webRTCFunction} after fabricTerminated`);
      }
      return ok;
    };
    return this.#record('reportError', args, check());
  }

  associateMstWithUserID(...args: Parameters<CallstatsClient['associateMstWithUserID']>): CallstatsStatus {
    const [pc, , conferenceID, ssrc, usageLabel] = args;
    const check = (): CallstatsStatus => {
      if (!pc || !ssrc || !usageLabel) return this.#fail('associateMstWithUserID: Argument missing/invalid');
      if (!looksLikePc(pc)) return this.#fail('associateMstWithUserID: Invalid PeerConnection object passed');
      if (!this.#conferenceOk('associateMstWithUserID', conferenceID)) return this.#fail('associateMstWithUserID: conferenceId does not exist');
      const fabric = this.#fabrics.get(pc);
      if (!fabric || fabric.conferenceID !== conferenceID) return this.#fail('associateMstWithUserID: Invalid PeerConnection object passed');
      return ok;
    };
    return this.#record('associateMstWithUserID', args, check());
  }

  #conferenceOk(method: string, conferenceID: unknown): boolean {
    if (typeof conferenceID === 'string' && conferenceID !== '') return true;
    this.#violation(`${method}: conferenceID missing (callstats.js would file it under a temporary conference)`);
    return false;
  }

  #fail(message: string): CallstatsStatus {
    this.#violation(message);
    return { status: 'failure', message };
  }

  #violation(message: string): void {
    this.violations.push(message);
  }

  #record(method: ClientMethod, args: unknown[], own: CallstatsStatus): CallstatsStatus {
    let status = own;
    if (this.#delegate) {
      const fn = this.#delegate[method] as (...a: unknown[]) => CallstatsStatus | undefined | void;
      status = fn.apply(this.#delegate, args) ?? { status: 'failure', message: `${method} returned nothing` };
    }
    this.calls.push({ seq: nextSeq(), method, args, status });
    return status;
  }
}
