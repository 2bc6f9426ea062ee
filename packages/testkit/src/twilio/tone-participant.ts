import wrtc from '@roamhq/wrtc';
import { randomSid } from './sids.ts';

const SAMPLE_RATE = 48_000;
const FRAME = SAMPLE_RATE / 100; // 10 ms, what RTCAudioSource expects per onData call

/**
 * A participant that lives on the server: one real audio track, a 440 Hz tone fed into a wrtc
 * `RTCAudioSource` every 10 ms, sent to each client through that client's server-side pc.
 */
export class ToneParticipant {
  readonly sid = randomSid('PA');
  readonly trackSid = randomSid('MT');
  readonly trackName: string;
  readonly track: MediaStreamTrack;
  readonly stream: MediaStream;
  revision = 1;
  private readonly timer: NodeJS.Timeout;

  readonly identity: string;

  constructor(identity: string) {
    this.identity = identity;
    const source = new wrtc.nonstandard.RTCAudioSource();
    this.track = source.createTrack();
    this.stream = new wrtc.MediaStream([this.track]);
    this.trackName = this.track.id;
    const samples = new Int16Array(FRAME);
    let phase = 0;
    this.timer = setInterval(() => {
      for (let i = 0; i < FRAME; i++, phase++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase) / SAMPLE_RATE));
      source.onData({ samples, sampleRate: SAMPLE_RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME });
    }, 10);
  }

  /** The participant as the SDK reads it in `participants[]`. */
  state(connected: boolean): object {
    return {
      sid: this.sid,
      identity: this.identity,
      revision: this.revision,
      state: connected ? 'connected' : 'disconnected',
      tracks: connected ? [{ sid: this.trackSid, name: this.trackName, kind: 'audio', enabled: true, priority: 'standard' }] : [],
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.track.stop();
  }
}
