// What the scenarios page answers Node with: plain data only.

/** A recorded client call: the pc as `call` (the current call's pc), `other` or null, errors as text. */
export interface DescribedCall {
  method: string;
  pc: 'call' | 'other' | null;
  rest: unknown[];
}

export interface ScenarioApi {
  /** A Device with the shim on RecordingCallstats; `ownClass`: the app gives its own pc class. */
  device(options?: { ownClass?: boolean; namedByFunction?: boolean }): string;
  /** `device.connect()` to `to`, up with audio both ways. */
  connect(to: string): Promise<{ callSid: string; inbound: number; outbound: number; fabricFor: boolean; ownClassBuilt: number }>;
  /** `device.register()`, then waits for the server's call and accepts or rejects it (or lets it be canceled). */
  register(): Promise<void>;
  incoming(answer: 'accept' | 'reject' | 'none'): Promise<{ callSid: string; inbound: number; fabricFor: boolean }>;
  /** Tone packets received since the last call of this. */
  inbound(): Promise<number>;
  /** Waits for the call's status (e.g. `reconnecting`, `open`, `closed`). */
  waitStatus(status: string): Promise<boolean>;
  mute(): void;
  hangUp(): void;
  destroy(): void;
  dispose(): void;
  /** What was sent so far, and what the shim left: fabrics, listeners on the call, wrappers. */
  state(): {
    calls: DescribedCall[];
    fabrics: number;
    muteListeners: number;
    deviceWrappers: string[];
    mediaWrappers: string[];
    ownOption: boolean;
    events: string[];
  };
  /** `count` calls in a row, each with a Device and a monitor of its own (a client that keeps no pc). */
  serial(count: number): Promise<{ tally: Record<string, number>; pcWrappers: number }>;
  /** After `serial` and a collection: the monitors and Devices still reachable. */
  alive(): { monitors: number; devices: number };
}

declare global {
  interface Window {
    voiceScenarios: ScenarioApi;
    __shimsReady?: boolean;
  }
}
