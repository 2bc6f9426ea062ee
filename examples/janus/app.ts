// The reference app: a janus.js session with an EchoTest call (fake camera and microphone), muted
// and unmuted once, monitored by callstats.js. The only line the shim asks of an app is the
// `monitorJanus(...)` one, right after `new Janus(...)`.
import Janus from 'janus-gateway';
import adapter from 'webrtc-adapter';
import { monitorJanus } from '@shims/janus';

type Handle = {
  webrtcStuff: { pc: RTCPeerConnection | null };
  send(callbacks: object): void;
  createOffer(callbacks: object): void;
  handleRemoteJsep(callbacks: object): void;
  muteAudio(): boolean;
  unmuteAudio(): boolean;
  hangup(sendRequest?: boolean): void;
  detach(): void;
};
type JanusStatic = {
  init(options: object): void;
  useDefaultDependencies(deps: object): object;
  new (options: object): { attach(callbacks: object): void; destroy(callbacks?: object): void };
};

declare global {
  interface Window {
    runExample(): Promise<void>;
    __shimsReady?: boolean;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** What run.ts hands the page: the Janus WebSocket URL and how long to talk. */
const config = (): { janusUrl: string; callSeconds?: number } =>
  (window as unknown as { __shimsConfig: { janusUrl: string; callSeconds?: number } }).__shimsConfig;

async function runExample(): Promise<void> {
  const J = Janus as unknown as JanusStatic;
  if (typeof J?.init !== 'function') throw new Error('janus.js did not load: its default export is not the Janus class');
  // Your callstats.js client, created and initialized as usual (here by the page that loads this app).
  const callstats = (window as unknown as { __exampleClient: Parameters<typeof monitorJanus>[0] }).__exampleClient;
  await new Promise<void>((resolve) => J.init({ debug: false, dependencies: J.useDefaultDependencies({ adapter }), callback: resolve }));

  let connected!: () => void;
  const up = new Promise<void>((resolve) => (connected = resolve));
  const janus = new J({
    server: config().janusUrl,
    iceServers: [],
    success: () => connected(),
    error: (e: unknown) => console.error(`janus: ${String(e)}`),
  });
  monitorJanus(callstats, janus, { conferenceID: 'example-room' }); // ← the one line
  await up;

  let answered!: (jsep: unknown) => void;
  const answer = new Promise((resolve) => (answered = resolve));
  const handle = await new Promise<Handle>((resolve, reject) =>
    janus.attach({
      plugin: 'janus.plugin.echotest',
      success: resolve,
      error: reject,
      onmessage: (_msg: unknown, jsep?: { type: string }) => jsep?.type === 'answer' && answered(jsep),
      webrtcState: (on: boolean) => console.log(`app: webrtcState ${on}`),
    }),
  );
  handle.createOffer({
    tracks: [
      { type: 'audio', capture: true, recv: true },
      { type: 'video', capture: true, recv: true },
    ],
    success: (jsep: unknown) => handle.send({ message: { audio: true, video: true }, jsep }),
    error: (e: unknown) => console.error(`createOffer: ${String(e)}`),
  });
  handle.handleRemoteJsep({ jsep: await answer });
  // Talk for a while: callstats.js polls getStats every 5 s and sends batches to the collector.
  const seconds = config().callSeconds ?? 6;
  await sleep((seconds / 2) * 1_000);
  handle.muteAudio();
  await sleep(1_000);
  handle.unmuteAudio();
  await sleep((seconds / 2) * 1_000);
  handle.hangup(true);
  handle.detach();
  await new Promise((resolve) => janus.destroy({ success: resolve, error: resolve }));
}

window.runExample = runExample;
window.__shimsReady = true;
