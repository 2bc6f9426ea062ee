// The frames of Chime's signaling channel, encoded by the SDK's own protobuf module
// (`amazon-chime-sdk-js/build/signalingprotocol/SignalingProtocol.js`), which the test passes in:
// the server speaks the protocol of the very SDK version under test.

/** The parts of the SDK's `SignalingProtocol.js` module the server uses. */
export interface ChimeSignalingProtocol {
  SdkSignalFrame: {
    encode(frame: object): { finish(): Uint8Array };
    decode(bytes: Uint8Array): ChimeSignalFrame;
    Type: Record<FrameTypeName, number>;
  };
  SdkPingPongType: { PING: number; PONG: number };
  SdkStreamMediaType: { AUDIO: number; VIDEO: number };
  SdkStreamServiceType: { RX: number; TX: number; DUPLEX: number };
}

type FrameTypeName =
  'JOIN' | 'JOIN_ACK' | 'SUBSCRIBE' | 'SUBSCRIBE_ACK' | 'INDEX' | 'LEAVE' | 'LEAVE_ACK' | 'AUDIO_CONTROL' | 'AUDIO_STREAM_ID_INFO' | 'PING_PONG';

/** A decoded `SdkSignalFrame`: its `type` and the one sub-frame it carries. */
export interface ChimeSignalFrame {
  type: number;
  join?: { protocolVersion?: number };
  sub?: { sdpOffer?: string; receiveStreamIds?: number[]; sendStreams?: Array<{ mediaType?: number; streamId?: number }> };
  audioControl?: { muted?: boolean };
  pingPong?: { type: number; pingId: number };
}

/** The type byte before every protobuf frame on the wire (`DefaultSignalingClient.FRAME_TYPE_RTC`). */
const FRAME_TYPE_RTC = 0x05;

/** A frame as the SDK reads it: the type byte, then the encoded `SdkSignalFrame`. */
export function encodeFrame(protocol: ChimeSignalingProtocol, frame: object): Buffer {
  const body = protocol.SdkSignalFrame.encode({ timestampMs: Date.now(), ...frame }).finish();
  return Buffer.concat([Buffer.from([FRAME_TYPE_RTC]), body]);
}

/** A frame the SDK sent, without its type byte; undefined when it does not decode. */
export function decodeFrame(protocol: ChimeSignalingProtocol, data: Buffer): ChimeSignalFrame | undefined {
  if (data.length < 1 || data[0] !== FRAME_TYPE_RTC) return undefined;
  try {
    return protocol.SdkSignalFrame.decode(new Uint8Array(data.subarray(1)));
  } catch {
    return undefined;
  }
}

/** The name of a frame type, for the log. */
export function frameTypeName(protocol: ChimeSignalingProtocol, type: number): string {
  return Object.entries(protocol.SdkSignalFrame.Type).find(([, value]) => value === type)?.[0] ?? `type-${type}`;
}
