// The conformance driver for PeerJS: two Peers in one page, registered on the real PeerServer the
// test started, with a media call (fake microphone, answered with a stream) and a data connection.
import { pageConfig, type ConformanceDriver, type DriverCall } from '@shims/testkit/page';
import type { EmitterLike } from '@shims/core';
import { monitorPeerJs, type PeerJsMonitor, type PeerJsPeer } from '../../src/index.ts';

export interface TestPeer extends PeerJsPeer {
  readonly id: string;
  readonly open: boolean;
  listenerCount?(event: string): number;
}
export type PeerConstructor = new (id: string, options: object) => TestPeer;

export function peerOptions(): object {
  const { peerServerPort } = pageConfig() as { peerServerPort: number };
  return { host: '127.0.0.1', port: peerServerPort, path: '/', key: 'peerjs', secure: false, config: { iceServers: [] }, debug: 0 };
}

export const opened = (peer: TestPeer): Promise<void> => (peer.open ? Promise.resolve() : new Promise((resolve) => peer.on('open', () => resolve())));

export const once = (emitter: EmitterLike, event: string): Promise<unknown> =>
  new Promise((resolve) => emitter.on(event, (value: unknown) => resolve(value)));

export async function audioFlowing(pc: RTCPeerConnection | null, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (pc && Date.now() < until) {
    for (const stats of (await pc.getStats()).values()) {
      if (stats.type === 'inbound-rtp' && stats.kind === 'audio' && stats.packetsReceived > 0) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

// Unique across the pages that run cases side by side (each page counts from 0).
let counter = 0;
export const uniqueId = (role: string): string => `${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${++counter}`;

export function peerJsDriver(Peer: PeerConstructor, version: string): ConformanceDriver {
  return {
    name: `peerjs ${version}`,
    startCall({ client, conferenceID }): DriverCall {
      // The ids as given: PeerJS forgets a Peer's id at destroy().
      const ids = { caller: uniqueId('caller'), callee: uniqueId('callee') };
      const caller = new Peer(ids.caller, peerOptions());
      const callee = new Peer(ids.callee, peerOptions());
      const monitors: PeerJsMonitor[] = [];
      const attach = (to: NonNullable<typeof client>): void => {
        monitors.push(monitorPeerJs(to, caller, { conferenceID }), monitorPeerJs(to, callee, { conferenceID }));
      };
      if (client) attach(client);
      const errors: unknown[] = [];
      let failed: (error: unknown) => void = () => {};
      const appFailure = new Promise<never>((_, reject) => (failed = reject));
      appFailure.catch(() => {});
      for (const peer of [caller, callee]) {
        peer.on('error', (error: unknown) => {
          errors.push(error);
          failed(error);
        });
      }
      const outcome = { remoteStream: false, audioReceived: false, dataReceived: null as unknown };
      let stream: MediaStream | undefined;

      const flow = (async () => {
        await Promise.all([opened(caller), opened(callee)]);
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        const answerWith = stream;
        callee.on('call', (call: { answer(stream: MediaStream): void }) => call.answer(answerWith));
        const dataArrived = new Promise<void>((resolve) =>
          callee.on('connection', (conn: { on(e: string, l: (data: unknown) => void): void }) =>
            conn.on('data', (data) => {
              outcome.dataReceived = data;
              resolve();
            }),
          ),
        );
        const media = caller.call(callee.id, stream)!;
        await once(media, 'stream');
        outcome.remoteStream = true;
        outcome.audioReceived = await audioFlowing(media.peerConnection);
        const data = caller.connect(callee.id)! as unknown as { on(e: string, l: () => void): void; send(d: unknown): void };
        await new Promise<void>((resolve) => data.on('open', resolve));
        data.send('hello');
        await Promise.race([dataArrived, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (!outcome.audioReceived || outcome.dataReceived !== 'hello') throw new Error('the call did not carry audio and data');
      })();
      flow.catch((error: unknown) => failed(error));

      return {
        established: Promise.race([flow, appFailure]),
        finished: flow,
        hangUp() {
          caller.destroy();
          callee.destroy();
          stream?.getTracks().forEach((track) => track.stop());
        },
        disposeShim: () => monitors.forEach((m) => m.dispose()),
        attachShim: attach,
        roles: () => ({ [ids.caller]: 'caller', [ids.callee]: 'callee' }),
        appOutcome: () => ({ ...outcome }),
        appErrors: () => errors,
      };
    },
  };
}
