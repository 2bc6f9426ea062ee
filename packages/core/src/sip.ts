// Helpers the SIP shims (JsSIP, SIP.js) share: their options and their remote side.
import { FABRIC_USAGES, type FabricUsage } from './contract/callstats-enums.js';
import type { ShimMonitorOptions } from './monitor.js';
import { requireOneOf } from './validate.js';

/** The options of a SIP shim: the base, plus the usage of outgoing sessions. */
export interface SipMonitorOptions<S> extends ShimMonitorOptions<S> {
  /**
   * The usage of outgoing sessions, whose pc exists before their offer: `audio`, `video` or
   * `multiplex` (default). Incoming sessions take theirs from the offer they received.
   */
  outgoingFabricUsage?: FabricUsage;
}

/** `options.outgoingFabricUsage`, checked (a TypeError naming `where`), default `multiplex`. */
export function outgoingUsageOf(options: { outgoingFabricUsage?: FabricUsage }, where: string): FabricUsage {
  const usage = options.outgoingFabricUsage ?? 'multiplex';
  requireOneOf(usage, FABRIC_USAGES, 'options.outgoingFabricUsage', where);
  return usage;
}

/** A SIP identity's URI as the SDKs hold it. */
export interface SipIdentity {
  readonly uri?: { readonly user?: string | null | undefined; toString(): string } | null | undefined;
}

/** The remote user of a SIP session: the user part of its URI, else the whole URI, else `unknown`. */
export function sipUserOf(identity: SipIdentity | null | undefined): string {
  const uri = identity?.uri;
  return (typeof uri?.user === 'string' && uri.user) || (uri && String(uri)) || 'unknown';
}
