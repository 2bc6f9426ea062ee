// What the test pages share: janus.js initialized with webrtc-adapter, sessions and handles as
// promises, and small waits. The page imports `@shims/testkit/page` first (the pc tap).
import Janus from 'janus-gateway';
import adapter from 'webrtc-adapter';
import { pageConfig } from '@shims/testkit/page';
import type { JanusPluginHandle, JanusSession } from '../../src/index.ts';

export type Handle = JanusPluginHandle & {
  webrtcStuff: { pc: RTCPeerConnection | null };
  send(callbacks: { message: object; jsep?: unknown }): void;
  handleRemoteJsep(callbacks: { jsep: unknown; error?: (e: unknown) => void }): void;
  hangup(sendRequest?: boolean): void;
  detach(callbacks?: { success?: () => void; error?: (e: unknown) => void }): void;
  muteAudio(mid?: string): boolean;
  unmuteAudio(mid?: string): boolean;
  muteVideo(mid?: string): boolean;
  unmuteVideo(mid?: string): boolean;
};
export type Session = JanusSession & { destroy(callbacks?: { success?: () => void; error?: (e: unknown) => void; cleanupHandles?: boolean }): void };
type JanusCtor = {
  init(options: object): void;
  useDefaultDependencies(deps: object): object;
  new (options: object): Session;
};
const JanusClass = Janus as unknown as JanusCtor;

export const janusReady: Promise<void> = new Promise((resolve, reject) => {
  if (typeof JanusClass?.init !== 'function') {
    reject(new Error('janus.js did not load: its default export is not the Janus class'));
    return;
  }
  JanusClass.init({ debug: false, dependencies: JanusClass.useDefaultDependencies({ adapter }), callback: () => resolve() });
});

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const serverUrl = (): string => (pageConfig() as { janusUrl: string }).janusUrl;
export const videoRoom = (): number => (pageConfig() as { videoRoom: number }).videoRoom;

/** A new Janus session; `attachHook` runs on it before it connects (where an app calls monitorJanus). */
export function newSession(onError: (error: unknown) => void): { session: Session; connected: Promise<void> } {
  let session!: Session;
  const connected = new Promise<void>((resolve, reject) => {
    session = new JanusClass({
      server: serverUrl(),
      iceServers: [],
      success: () => resolve(),
      error: (error: unknown) => {
        onError(error);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    });
  });
  connected.catch(() => {});
  return { session, connected };
}

/** `session.attach()` as a promise; `callbacks` are the app's handle callbacks. */
export function attach(session: Session, plugin: string, callbacks: Record<string, unknown>): Promise<Handle> {
  return new Promise((resolve, reject) =>
    session.attach({ plugin, ...callbacks, success: (handle: JanusPluginHandle) => resolve(handle as Handle), error: reject }),
  );
}

export async function destroySession(session: Session, cleanupHandles = false): Promise<void> {
  await Promise.race([new Promise<void>((resolve) => session.destroy({ cleanupHandles, success: resolve, error: () => resolve() })), sleep(2_000)]);
}

export async function inboundPackets(pc: RTCPeerConnection | null, kind: 'audio' | 'video' = 'audio', timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (pc && pc.signalingState !== 'closed' && Date.now() < until) {
    for (const stats of (await pc.getStats()).values()) {
      if (stats.type === 'inbound-rtp' && stats.kind === kind && stats.packetsReceived > 0) return true;
    }
    await sleep(100);
  }
  return false;
}

export function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = (): void => {
      if (condition()) resolve(true);
      else if (Date.now() - started > timeoutMs) resolve(false);
      else setTimeout(poll, 20);
    };
    poll();
  });
}
