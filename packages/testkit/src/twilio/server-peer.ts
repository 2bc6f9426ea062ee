import wrtc from '@roamhq/wrtc';

/** An ICE candidate as the SDK sends and expects it inside `peer_connections[].ice.candidates`. */
export interface CandidateJson {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

/** `peer_connections[].ice`: every candidate so far (cumulative), per ufrag, with a revision. */
export interface IceState {
  candidates?: CandidateJson[];
  ufrag: string;
  revision: number;
  complete?: boolean;
}

export interface MediaCounts {
  audioPacketsReceived: number;
  videoPacketsReceived: number;
  audioPacketsSent: number;
}

function ufragOf(sdp: string | undefined): string {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp ?? '')?.[1] ?? '';
}

/**
 * The server's end of one of the SDK's peer connections (a Node WebRTC pc from @roamhq/wrtc):
 * it answers the SDK's offers, makes offers of its own when a server-side participant adds or
 * removes a track, and trickles its ICE candidates through `onIce`, which the room turns into
 * `update` messages. No STUN/TURN: host candidates only, which is all loopback needs.
 */
export class ServerPeer {
  readonly pc: RTCPeerConnection;
  private readonly localCandidates: CandidateJson[] = [];
  private iceRevision = 0;
  /** How many of the SDK's candidates (for its current ufrag) were already added. */
  private remoteAdded = new Map<string, number>();

  readonly id: string;

  constructor(id: string, onIce: (ice: IceState) => void) {
    this.id = id;
    this.pc = new wrtc.RTCPeerConnection({ iceServers: [] });
    this.pc.addEventListener('icecandidate', (event) => {
      const { candidate } = event;
      if (candidate && candidate.candidate) {
        this.localCandidates.push({ candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex });
      }
      onIce({
        candidates: this.localCandidates.slice(),
        ufrag: ufragOf(this.pc.localDescription?.sdp),
        revision: ++this.iceRevision,
        ...(candidate ? {} : { complete: true }),
      });
    });
  }

  /** The SDK's offer in, our answer out (its SDP carries no candidates: they are trickled). */
  async answer(offer: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    return answer.sdp ?? '';
  }

  /** A server-initiated renegotiation: the SDK answers it with createAnswer. */
  async offer(): Promise<string> {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    return offer.sdp ?? '';
  }

  async acceptAnswer(answer: string): Promise<void> {
    if (this.pc.signalingState !== 'have-local-offer') return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  /** Adds the candidates of `ice` that were not added yet (the SDK always sends the whole list). */
  async addRemoteIce(ice: IceState): Promise<void> {
    const candidates = ice.candidates ?? [];
    const done = this.remoteAdded.get(ice.ufrag) ?? 0;
    this.remoteAdded.set(ice.ufrag, Math.max(done, candidates.length));
    for (const candidate of candidates.slice(done)) {
      if (!candidate.candidate) continue;
      await this.pc.addIceCandidate(candidate).catch(() => undefined);
    }
  }

  async mediaCounts(): Promise<MediaCounts> {
    const counts: MediaCounts = { audioPacketsReceived: 0, videoPacketsReceived: 0, audioPacketsSent: 0 };
    if (this.pc.connectionState === 'closed') return counts;
    const report = await this.pc.getStats();
    report.forEach((stat: { type: string; kind?: string; mediaType?: string; packetsReceived?: number; packetsSent?: number }) => {
      const kind = stat.kind ?? stat.mediaType;
      if (stat.type === 'inbound-rtp' && kind === 'audio') counts.audioPacketsReceived += stat.packetsReceived ?? 0;
      if (stat.type === 'inbound-rtp' && kind === 'video') counts.videoPacketsReceived += stat.packetsReceived ?? 0;
      if (stat.type === 'outbound-rtp' && kind === 'audio') counts.audioPacketsSent += stat.packetsSent ?? 0;
    });
    return counts;
  }

  close(): void {
    if (this.pc.signalingState !== 'closed') this.pc.close();
  }
}
