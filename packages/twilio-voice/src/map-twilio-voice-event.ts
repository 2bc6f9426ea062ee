import type { FabricLifecycleEvent, PeerConnectionFunction } from '@shims/core';
import type { TwilioVoiceCall } from './twilio-voice-types.js';

// The TwilioErrors a Call emits when a pc function failed (`rtc/peerconnection.ts`), and the
// functions each can stand for, the reported one first. The SDK's `info.code` is 31000 for all of
// them; the error it emits carries these codes.
//   53400 ClientLocalDescFailed  "Error creating the offer": createOffer, then setLocalDescription.
//   53402 ClientRemoteDescFailed "Error processing answer" (setRemoteDescription), or for an
//         incoming call "Error creating the answer" (setRemoteDescription, createAnswer,
//         setLocalDescription of the answer).
const FUNCTIONS: Record<number, readonly PeerConnectionFunction[]> = {
  53400: ['setLocalDescription', 'createOffer'],
  53402: ['setRemoteDescription', 'createAnswer', 'setLocalDescription'],
};

/** The pc functions a Call `error` may stand for; undefined when it stands for none. */
export const functionsOfError = (error: unknown): readonly PeerConnectionFunction[] | undefined =>
  FUNCTIONS[(error as { code?: number } | null)?.code ?? 0];

/** The remote side of a call: the caller of an incoming call, the `To` of an outgoing one. */
export const remoteOfCall = (call: TwilioVoiceCall): string =>
  (call.direction === 'INCOMING' ? call.parameters?.From : call.customParameters?.get('To')) || 'twilio-voice';

export const muteEvent = (muted: boolean): FabricLifecycleEvent => (muted ? 'audioMute' : 'audioUnmute');
