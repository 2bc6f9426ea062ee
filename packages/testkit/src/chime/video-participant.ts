import wrtc from '@roamhq/wrtc';

/**
 * A camera that lives on the server: a wrtc `RTCVideoSource` fed a grey I420 frame, at 15 fps,
 * whose brightness moves so the encoder always has something to send.
 */
export class VideoParticipant {
  readonly width = 320;
  readonly height = 180;
  readonly track: MediaStreamTrack;
  /** The MediaStream id the SDK receives it under: the track label of the SUBSCRIBE_ACK. */
  readonly trackLabel: string;
  private readonly timer: NodeJS.Timeout;

  constructor(trackLabel: string) {
    this.trackLabel = trackLabel;
    const source = new wrtc.nonstandard.RTCVideoSource();
    this.track = source.createTrack();
    const data = new Uint8Array((this.width * this.height * 3) / 2);
    let frame = 0;
    this.timer = setInterval(() => {
      data.fill(64 + (frame++ % 128));
      source.onFrame({ width: this.width, height: this.height, data });
    }, 66);
  }

  stop(): void {
    clearInterval(this.timer);
    this.track.stop();
  }
}
