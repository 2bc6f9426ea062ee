// The conformance driver for janus.js: a VideoRoom publisher and a subscriber to its own feed, on
// the real Janus the test started. Two handles, two pcs: the publisher offers (createOffer,
// setLocalDescription, the server's answer through handleRemoteJsep), the subscriber answers the
// server's offer (setRemoteDescription, createAnswer); trickle candidates go to addIceCandidate.
import type { ConformanceDriver, DriverCall } from '@shims/testkit/page';
import { monitorJanus, type JanusMonitor } from '../../src/index.ts';
import { attach, destroySession, inboundPackets, janusReady, newSession, videoRoom, waitFor, type Handle, type Session } from './janus-app.ts';

type Message = { msg: Record<string, unknown>; jsep: { type: string; sdp: string } | undefined };

export interface Inbox {
  onmessage(msg: Record<string, unknown>, jsep?: { type: string; sdp: string }): void;
  next(test: (m: Message) => boolean, timeoutMs?: number): Promise<Message>;
}

/** A handle's messages as a queue the flow awaits. */
export function messages(): Inbox {
  const queue: Message[] = [];
  const waiters: Array<{ test: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  return {
    onmessage(msg: Record<string, unknown>, jsep?: { type: string; sdp: string }) {
      const message = { msg, jsep };
      const at = waiters.findIndex((w) => w.test(message));
      if (at >= 0) waiters.splice(at, 1)[0]!.resolve(message);
      else queue.push(message);
    },
    next(test: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
      const at = queue.findIndex(test);
      if (at >= 0) return Promise.resolve(queue.splice(at, 1)[0]!);
      return new Promise((resolve, reject) => {
        const waiter = { test, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const at = waiters.indexOf(waiter);
          if (at < 0) return;
          waiters.splice(at, 1);
          reject(new Error('no such Janus message in time'));
        }, timeoutMs);
      });
    },
  };
}

/** Joins the room as a publisher and publishes `tracks`; resolves with the handle and its feed id. */
export async function publish(
  session: Session,
  fail: (e: unknown) => void,
  tracks: object[],
  display = 'pub',
): Promise<{ handle: Handle; feed: number; up: Promise<void> }> {
  const inbox = messages();
  let up!: () => void;
  const webrtcUp = new Promise<void>((resolve) => (up = resolve));
  const handle = await attach(session, 'janus.plugin.videoroom', {
    onmessage: inbox.onmessage,
    webrtcState: (on: boolean) => on && up(),
  });
  handle.send({ message: { request: 'join', ptype: 'publisher', room: videoRoom(), display } });
  const joined = await inbox.next((m) => m.msg.videoroom === 'joined');
  const feed = joined.msg.id as number;
  handle.createOffer({
    tracks,
    success: (jsep: unknown) => handle.send({ message: { request: 'publish' }, jsep }),
    error: fail,
  });
  const answered = inbox.next((m) => m.jsep?.type === 'answer', 15_000);
  answered.then(
    ({ jsep }) => handle.handleRemoteJsep({ jsep, error: fail }),
    () => {},
  );
  return { handle, feed, up: webrtcUp };
}

/** Subscribes to `feed`; the subscriber answers the server's offer. */
export async function subscribe(session: Session, fail: (e: unknown) => void, feed: number): Promise<Handle> {
  const inbox = messages();
  const handle = await attach(session, 'janus.plugin.videoroom', { onmessage: inbox.onmessage });
  handle.send({ message: { request: 'join', ptype: 'subscriber', room: videoRoom(), streams: [{ feed }] } });
  const { jsep } = await inbox.next((m) => m.jsep?.type === 'offer');
  handle.createAnswer({
    jsep,
    tracks: [],
    success: (answer: unknown) => handle.send({ message: { request: 'start', room: videoRoom() }, jsep: answer }),
    error: fail,
  });
  return handle;
}

export const janusDriver: ConformanceDriver = {
  name: 'janus-gateway@1.4.2 (VideoRoom publisher + subscriber)',
  startCall({ client, conferenceID }): DriverCall {
    const errors: unknown[] = [];
    let failed: (error: unknown) => void = () => {};
    const appFailure = new Promise<never>((_, reject) => (failed = reject));
    appFailure.catch(() => {});
    const fail = (error: unknown): void => {
      errors.push(error);
      failed(error);
    };
    let session: Session | undefined;
    let monitor: JanusMonitor | undefined;
    const handles: Handle[] = [];
    let feed: number | undefined;
    const outcome = { published: false, audioReceived: false };

    const flow = (async () => {
      await janusReady;
      const created = newSession(fail);
      session = created.session;
      // Where an app calls it: right after `new Janus(...)`, before any attach.
      if (client) monitor = monitorJanus(client, session, { conferenceID });
      await created.connected;
      const pub = await publish(session, fail, [{ type: 'audio', capture: true, recv: false }]);
      handles.push(pub.handle);
      await pub.up;
      outcome.published = true;
      feed = pub.feed;
      const sub = await subscribe(session, fail, pub.feed);
      handles.push(sub);
      await waitFor(() => sub.webrtcStuff.pc !== null, 5_000);
      outcome.audioReceived = await inboundPackets(sub.webrtcStuff.pc);
      if (!outcome.audioReceived) throw new Error('the subscriber received no audio');
    })();
    flow.catch((error: unknown) => failed(error));

    return {
      established: Promise.race([flow, appFailure]),
      // janus.js gives up a negotiation whose step failed (its `error` callbacks are final), so the app's flow
      // ends with the failure; addIceCandidate failures it ignores never reach the app.
      finished: Promise.race([flow, appFailure]),
      setMuted(kind, muted) {
        const publisher = handles[0];
        if (!publisher) return;
        if (kind === 'audio') muted ? publisher.muteAudio() : publisher.unmuteAudio();
        else muted ? publisher.muteVideo() : publisher.unmuteVideo();
      },
      async hangUp() {
        for (const handle of handles.reverse()) handle.detach();
        if (session) await destroySession(session);
      },
      disposeShim: () => monitor?.dispose(),
      // janus.js keeps a session's handles private: an app monitoring mid-call hands them over. It
      // also keeps no record of what a subscriber joined, so the app names the feed the shim would
      // have read from the `join` it saw.
      attachShim(lateClient) {
        if (!session) return;
        monitor = monitorJanus(lateClient, session, { conferenceID });
        const [publisher, subscriber] = handles;
        if (publisher) monitor.addHandle(publisher);
        if (subscriber) monitor.describeHandle(subscriber, { remoteUserID: `janus.plugin.videoroom:${feed}` });
      },
      roles: (): Record<string, string> => (feed === undefined ? {} : { [String(feed)]: 'feed' }),
      appOutcome: () => ({ ...outcome }),
      appErrors: () => errors,
    };
  },
};
