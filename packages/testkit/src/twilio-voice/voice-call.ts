import { ServerPeer, type MediaCounts } from '../twilio/server-peer.ts';
import { MediaGate } from './media-gate.ts';
import { randomSid } from '../twilio/sids.ts';
import { ToneParticipant } from '../twilio/tone-participant.ts';

/** How a call ended, as the server saw it. */
export type VoiceCallEnd = 'hangup-by-client' | 'hangup-by-server' | 'rejected' | 'canceled' | 'server-closed';

/** One call as the test sees it. */
export interface VoiceCallLog {
  readonly callSid: string;
  readonly direction: 'outgoing' | 'incoming';
  /** The Device's identity (its token's). */
  readonly identity: string;
  readonly from: string;
  readonly to: string;
  /** ICE restarts the SDK asked for (`reinvite`), each answered on the same server pc. */
  reinvites: number;
  /** Signaling reconnections of the call (`invite` with `reconnect`), each answered. */
  reconnects: number;
  ended: VoiceCallEnd | null;
}

const GATHERING_LIMIT_MS = 2_000;

/**
 * The server's end of one call: a @roamhq/wrtc pc (testkit's `ServerPeer`) sending a 440 Hz tone
 * (testkit's `ToneParticipant`). Voice signaling carries no trickled candidates: every SDP the
 * server sends holds all of its candidates, so it waits for gathering to complete first.
 */
export class VoiceCall {
  readonly log: VoiceCallLog;
  /** The token the SDK sends back to resume the call after a signaling drop. */
  readonly reconnectToken = randomSid('RT');
  private readonly peer: ServerPeer;
  private readonly tone: ToneParticipant;
  /** Between the browser and the server pc, where the test can cut the media (`gated` calls only). */
  readonly gate: MediaGate | undefined;

  constructor(direction: VoiceCallLog['direction'], identity: string, from: string, to: string, gated = false) {
    this.gate = gated ? new MediaGate() : undefined;
    this.log = { callSid: randomSid('CA'), direction, identity, from, to, reinvites: 0, reconnects: 0, ended: null };
    this.peer = new ServerPeer(this.log.callSid, () => {});
    this.tone = new ToneParticipant(from);
    this.peer.pc.addTrack(this.tone.track, this.tone.stream);
  }

  /** The SDK's offer (first, or an ICE restart's) in; the answer with every candidate out. */
  async answer(offer: string): Promise<string> {
    await this.peer.answer(offer);
    return this.completeSdp();
  }

  /** An incoming call's offer, with every candidate. */
  async offer(): Promise<string> {
    await this.peer.offer();
    return this.completeSdp();
  }

  acceptAnswer(answer: string): Promise<void> {
    return this.peer.acceptAnswer(answer);
  }

  mediaCounts(): Promise<MediaCounts> {
    return this.peer.mediaCounts();
  }

  get connectionState(): string {
    return this.peer.pc.connectionState;
  }

  end(how: VoiceCallEnd): void {
    if (this.log.ended) return;
    this.log.ended = how;
    this.tone.stop();
    this.peer.close();
    this.gate?.close();
  }

  private async completeSdp(): Promise<string> {
    await this.gate?.start();
    const pc = this.peer.pc;
    const until = Date.now() + GATHERING_LIMIT_MS;
    while (pc.iceGatheringState !== 'complete' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    const sdp = pc.localDescription?.sdp ?? '';
    return this.gate ? this.gate.rewrite(sdp) : sdp;
  }
}
