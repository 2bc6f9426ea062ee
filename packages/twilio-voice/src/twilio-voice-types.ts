// The parts of @twilio/voice-sdk's objects the shim reads, typed structurally: the package imports
// nothing from the SDK (an app never loads a second copy, and the SDK's types stay out of ours).

/** An emitter as the SDK's Device and Call are (the `events` package's EventEmitter). */
export interface TwilioVoiceEmitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/** A `Call`: one phone call of the Device, made (`device.connect()`) or received (`incoming`). */
export interface TwilioVoiceCall extends TwilioVoiceEmitter {
  /** `INCOMING` or `OUTGOING`. */
  readonly direction: string;
  /** What the gateway says of the call: `CallSid`, and for an incoming one `From`, `To`. */
  readonly parameters: Readonly<Record<string, string | undefined>>;
  /** The `params` the app gave `device.connect()` (`To`, ...). */
  readonly customParameters: ReadonlyMap<string, string>;
  /** `pending`, `connecting`, `ringing`, `open`, `reconnecting`, `closed`. */
  status(): string;
  isMuted(): boolean;
}

/** A `Device`: the shim reads its public `calls`, `state`, `connect()` and `updateOptions()`. */
export interface TwilioVoiceDevice extends TwilioVoiceEmitter {
  readonly calls: readonly TwilioVoiceCall[];
  readonly state: string;
  connect(options?: object): Promise<TwilioVoiceCall>;
  updateOptions(options?: object): void;
}

/** @internal What a call in progress when the monitor starts is read through (no public path). */
export interface CallInternals {
  _mediaHandler?: { version?: { pc?: RTCPeerConnection | null } | null };
}
