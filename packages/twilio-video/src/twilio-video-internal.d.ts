// twilio-video's typings cover its public entry only: its internal pc module, as the shim reads it.
declare module 'twilio-video/es5/webrtc/rtcpeerconnection/index.js' {
  const RTCPeerConnection: unknown;
  export default RTCPeerConnection;
}
