// What each case of scenarios-page.ts returns: plain data, asserted on in scenarios.test.ts.

interface RecordedCall {
  method: string;
  /** The pc's creation index in the page (the testkit's tap), -1 for none. */
  pc: number;
  /** addNewFabric: `user (usage)`; sendFabricEvent: the event; reportError: the function. */
  what: unknown;
}

export interface Recorded {
  calls: RecordedCall[];
  violations: string[];
}

export interface ScenarioCases {
  probes(): Promise<
    Recorded & {
      peerjsSupports: { data: boolean; audioVideo: boolean };
      opus: boolean;
      probes: Array<{ index: number; closed: boolean; firstEvent: string | null }>;
      /** Probe pcs built by each SDK. */
      counts: { peerjs: number; twilio: number };
      audio: boolean;
    }
  >;
  peerjsCall(): Promise<Recorded & { probes: number[]; audio: boolean }>;
  constructorShape(): Promise<Recorded & Record<string, unknown>>;
  coexistence(order: 'rtcstats-first' | 'tap-first'): Promise<Record<string, unknown>>;
  handOver(): Promise<Recorded & { sameHandle: boolean; singleMonitoring: boolean }>;
  vendorShimBeside(): Promise<Recorded & { tapCalls: string[]; vendorCalls: string[] }>;
  badArguments(): { results: Record<string, string>; untouched: boolean; calls: number };
  appCallbacks(): Promise<Recorded & { warnings: string[] }>;
  whepPlayback(entry: 'global' | 'pc'): Promise<Recorded & { audio: boolean; packets: number }>;
}

export interface WhipPublishResult {
  /** outbound-rtp bytesSent per kind, read while publishing. */
  sent: { audio: number; video: number };
  connectionState: string;
  /** The client's HTTP requests: `METHOD /path/:id status`. */
  requests: string[];
  /** `method arg` per client call, e.g. `addNewFabric whip-server (multiplex)`. */
  calls: string[];
  violations: string[];
}

export interface JanusEchoResult {
  /** Inbound audio packets on janus.js's pc: the echo came back. */
  audio: boolean;
  /** Errors janus.js handed the app. */
  errors: number;
  calls: string[];
  violations: string[];
}
