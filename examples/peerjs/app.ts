// The reference app: one user of a PeerJS call (audio, and a data connection for chat), monitored
// by callstats.js. Each user runs it in their own browser. The only line the shim asks of an app is
// the `monitorPeerJs(...)` one.
import { Peer, type MediaConnection } from 'peerjs';
import { monitorPeerJs } from '@shims/peerjs';

declare global {
  interface Window {
    app: typeof app;
  }
}

/** What the runner passes to both users' pages (the harness's `config`). */
interface AppConfig {
  peerServerPort: number;
  conferenceID: string;
  /** Makes this call's PeerJS ids unique on the PeerServer. */
  callID: string;
}
const config = (): AppConfig => (window as unknown as { __shimsConfig: AppConfig }).__shimsConfig;

type Client = Parameters<typeof monitorPeerJs>[0];

let peer: Peer | undefined;
let microphone: MediaStream | undefined;
let monitor: ReturnType<typeof monitorPeerJs> | undefined;
const calls: MediaConnection[] = [];
const peerIdOf = (user: string): string => `${user}-${config().callID}`;

const app = {
  /** Signs in to PeerServer as `user`, with the user's callstats.js client; answers calls with the microphone. */
  async join(user: string, callstats: Client): Promise<void> {
    const { peerServerPort, conferenceID } = config();
    peer = new Peer(peerIdOf(user), { host: '127.0.0.1', port: peerServerPort, path: '/', key: 'peerjs', config: { iceServers: [] } });
    // ← the one line. PeerJS ids carry the call's suffix; callstats.js gets the user behind each.
    monitor = monitorPeerJs(callstats, peer, { conferenceID, remoteUserID: (peerId) => peerId.replace(/-[^-]*$/, '') });
    const joined = peer;
    await new Promise((resolve, reject) => {
      joined.on('open', resolve);
      joined.on('error', reject);
    });
    microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    const mic = microphone;
    joined.on('call', (call) => {
      calls.push(call);
      call.answer(mic);
    });
    joined.on('connection', (chat) => chat.on('data', (data) => console.log(`${user} received: ${String(data)}`)));
  },

  /** Calls `user` (audio both ways), opens a chat and says hello; resolves once the other side's audio arrives. */
  async call(user: string, hello: string): Promise<void> {
    const call = peer!.call(peerIdOf(user), microphone!);
    calls.push(call);
    await new Promise((resolve) => call.on('stream', resolve));
    const chat = peer!.connect(peerIdOf(user));
    await new Promise<void>((resolve) => chat.on('open', () => resolve()));
    void chat.send(hello);
  },

  /** The mute button: the microphone goes silent and callstats.js hears of it on every call. */
  setMuted(muted: boolean): void {
    for (const track of microphone?.getAudioTracks() ?? []) track.enabled = !muted;
    for (const call of calls) monitor?.fabricFor(call)?.send(muted ? 'audioMute' : 'audioUnmute');
  },

  hangUp(): void {
    peer?.destroy();
    microphone?.getTracks().forEach((track) => track.stop());
  },
};

window.app = app;
