// What the scenarios page (scenarios-page.ts) exposes as `window.realtimeScenarios`, as plain data.

/** A client call: the pc as `session` (the session's pc) or `other`, errors as `Name: message`. */
export interface DescribedCall {
  method: string;
  pc: string | null;
  rest: unknown[];
}

export interface ScenarioApi {
  connect(
    baseUrl: string,
    conferenceID: string,
  ): Promise<{ callId: string | undefined; inbound: number; outbound: number; fabrics: number; fabricFor: boolean; calls: DescribedCall[] }>;
  mute(): { muted: Array<boolean | undefined>; unmuted: Array<boolean | undefined>; calls: DescribedCall[] };
  interrupt(): DescribedCall[];
  close(): Promise<{
    signalingState: string;
    fabrics: number;
    pcWrappers: string[];
    mediaWrappers: string[];
    calls: DescribedCall[];
    appErrors: string[];
  }>;
  errorsHeard: string[];
  listenForErrors(): void;
  refused(
    baseUrl: string,
    conferenceID: string,
    withShim: boolean,
  ): Promise<{
    appError: string;
    appOutcome: unknown;
    reportedIsAppError: boolean;
    signalingState: string;
    fabrics: number;
    pcWrappers: string[];
    mediaWrappers: string[];
    calls: DescribedCall[];
  }>;
  serial(
    baseUrl: string,
    count: number,
    withShim: boolean,
  ): Promise<{
    tally: { addNewFabric: number; fabricTerminated: number; other: number; failed: number; fabricsLeft: number };
    pcWrappers: number;
    mediaWrappers: number;
  }>;
  alive(): { transports: number; monitors: number };
  forget(): void;
}

declare global {
  interface Window {
    realtimeScenarios: ScenarioApi;
  }
}
