// twilio-video's browser utilities (the codec probe), imported by path in the scenarios page.
declare module 'twilio-video/es5/webrtc/util/index.js' {
  export function isCodecSupported(codec: string, kind: 'audio' | 'video'): Promise<boolean>;
}
