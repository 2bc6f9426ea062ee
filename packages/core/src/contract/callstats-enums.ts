/**
 * The enum values of callstats.js (npm `callstats-js` 3.73.16), spelled exactly as the library
 * spells them. The library checks each value against its own table and answers
 * `{ status: 'failure' }` for one it does not know. On a client they are instance getters
 * (`cs.fabricUsage`); the exported `callstats` factory has none, so shims use these constants.
 */

/** What a fabric carries: `callstats.fabricUsage`. */
export const FabricUsage = {
  audio: 'audio',
  video: 'video',
  screen: 'screen',
  data: 'data',
  multiplex: 'multiplex',
  unbundled: 'unbundled',
} as const;
export type FabricUsage = (typeof FabricUsage)[keyof typeof FabricUsage];
/** The same values as a list: what a shim validates against without pulling in the table. */
export const FABRIC_USAGES: readonly FabricUsage[] = ['audio', 'video', 'screen', 'data', 'multiplex', 'unbundled'];

/**
 * Events of `sendFabricEvent`: `callstats.fabricEvent`. `fabricSetupFailed` is in the table but
 * refused by `sendFabricEvent` (it is what `reportError` sends); `fabricUsageEvent` is accepted
 * and then dropped by the library.
 */
export const FabricEvent = {
  fabricSetupFailed: 'fabricSetupFailed',
  fabricHold: 'fabricHold',
  fabricResume: 'fabricResume',
  audioMute: 'audioMute',
  audioUnmute: 'audioUnmute',
  videoPause: 'videoPause',
  videoResume: 'videoResume',
  fabricTerminated: 'fabricTerminated',
  screenShareStart: 'screenShareStart',
  screenShareStop: 'screenShareStop',
  dominantSpeaker: 'dominantSpeaker',
  activeDeviceList: 'activeDeviceList',
  fabricUsageEvent: 'fabricUsageEvent',
  applicationErrorLog: 'applicationErrorLog',
  callDetails: 'callDetails',
  callUnAnswered: 'callUnAnswered',
} as const;
export type FabricEvent = (typeof FabricEvent)[keyof typeof FabricEvent];

/** The function a failure came from, for `reportError`: `callstats.webRTCFunctions`. */
export const WebRTCFunction = {
  getUserMedia: 'getUserMedia',
  createOffer: 'createOffer',
  createAnswer: 'createAnswer',
  setLocalDescription: 'setLocalDescription',
  setRemoteDescription: 'setRemoteDescription',
  addIceCandidate: 'addIceCandidate',
  iceConnectionFailure: 'iceConnectionFailure',
  signalingError: 'signalingError',
  applicationLog: 'applicationLog',
  applicationError: 'applicationError',
} as const;
export type WebRTCFunction = (typeof WebRTCFunction)[keyof typeof WebRTCFunction];

/** `fabricAttributes.remoteEndpointType`: `callstats.endpointType`. */
export const EndpointType = { peer: 'peer', server: 'server' } as const;
export type EndpointType = (typeof EndpointType)[keyof typeof EndpointType];

/** `fabricAttributes.fabricTransmissionDirection`: `callstats.transmissionDirection` (note `receiveonly`). */
export const TransmissionDirection = {
  sendonly: 'sendonly',
  receiveonly: 'receiveonly',
  sendrecv: 'sendrecv',
  inactive: 'inactive',
} as const;
export type TransmissionDirection = (typeof TransmissionDirection)[keyof typeof TransmissionDirection];

/** The five peerconnection methods whose failures a shim reports. */
export type PeerConnectionFunction = 'createOffer' | 'createAnswer' | 'setLocalDescription' | 'setRemoteDescription' | 'addIceCandidate';
export const PEER_CONNECTION_FUNCTIONS: readonly PeerConnectionFunction[] = [
  'createOffer',
  'createAnswer',
  'setLocalDescription',
  'setRemoteDescription',
  'addIceCandidate',
];
