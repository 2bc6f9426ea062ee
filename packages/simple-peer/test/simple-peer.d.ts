// Types for the simple-peer 9.11.1 the tests drive (the package ships none, and the shim itself
// must not depend on @types/simple-peer): only what the tests call.
declare module 'simple-peer' {
  export interface SignalData {
    type?: string;
    sdp?: string;
    candidate?: unknown;
    renegotiate?: boolean;
    transceiverRequest?: unknown;
  }

  export interface Instance {
    readonly destroyed: boolean;
    readonly streams: MediaStream[];
    readonly initiator: boolean;
    readonly connected: boolean;
    readonly destroying: boolean;
    signal(data: SignalData | string): void;
    send(data: string | ArrayBufferView | ArrayBuffer): void;
    destroy(error?: Error): void;
    on(event: 'signal', listener: (data: SignalData) => void): this;
    on(event: 'connect' | 'close', listener: () => void): this;
    on(event: 'data', listener: (data: Uint8Array) => void): this;
    on(event: 'stream', listener: (stream: MediaStream) => void): this;
    on(event: 'error', listener: (error: Error & { code?: string }) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    once(event: string, listener: (...args: any[]) => void): this;
    removeListener(event: string, listener: (...args: any[]) => void): this;
    listenerCount(event: string): number;
    eventNames(): Array<string | symbol>;
  }

  export interface Options {
    initiator?: boolean;
    config?: RTCConfiguration;
    stream?: MediaStream;
    streams?: MediaStream[];
    trickle?: boolean;
    sdpTransform?: (sdp: string) => string;
    // As @types/simple-peer types it: the shim's WebRTCImplementation must accept it.
    wrtc?: {
      RTCPeerConnection: typeof RTCPeerConnection;
      RTCSessionDescription: typeof RTCSessionDescription;
      RTCIceCandidate: typeof RTCIceCandidate;
    };
    [option: string]: unknown;
  }

  const SimplePeer: { new (options?: Options): Instance; readonly WEBRTC_SUPPORT: boolean };
  export default SimplePeer;
}

// The UMD bundle, which the browser pages import (the CJS entry needs Node's `global` and `events`).
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export type { Instance, Options, SignalData } from 'simple-peer';
  export default SimplePeer;
}
