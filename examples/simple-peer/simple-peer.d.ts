// simple-peer ships no types. Rather than pull in @types/simple-peer, the example declares what it
// uses of simple-peer 9, so that the peer monitorSimplePeer creates keeps simple-peer's type.
declare module 'simple-peer' {
  interface Peer {
    readonly destroyed: boolean;
    signal(data: unknown): void;
    send(data: string | Uint8Array): void;
    destroy(error?: Error): void;
    on(event: 'signal', listener: (data: unknown) => void): this;
    on(event: 'data', listener: (data: Uint8Array) => void): this;
    on(event: 'connect' | 'close', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    removeListener(event: 'signal' | 'data' | 'connect' | 'close' | 'error', listener: (...args: never[]) => void): this;
  }
  const SimplePeer: new (options?: object) => Peer;
  export default SimplePeer;
}
