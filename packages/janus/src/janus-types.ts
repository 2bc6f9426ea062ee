// The parts of janus.js (npm janus-gateway 1.x) the shim touches, typed structurally so that no
// janus.js type reaches this package's public declarations and no janus.js code is imported.

/** One entry of janus.js's `tracks` array (createOffer, createAnswer, replaceTracks). */
export interface JanusTrackOption {
  type?: string;
  capture?: unknown;
  add?: boolean;
  replace?: boolean;
  remove?: boolean;
  recv?: boolean;
}

/** What `handle.createOffer()` / `createAnswer()` / `replaceTracks()` take. */
export interface JanusOfferCallbacks {
  tracks?: JanusTrackOption[];
  jsep?: { type?: string; sdp?: string };
  success?: (...args: never[]) => void;
  error?: (error: unknown) => void;
  [key: string]: unknown;
}

/** A plugin handle, as janus.js hands it to `attach({ success(handle) })`. */
export interface JanusPluginHandle {
  readonly plugin?: string;
  readonly id?: number | string;
  getPlugin?(): string;
  getId?(): number | string;
  readonly webrtcStuff?: { pc?: RTCPeerConnection | null } | null;
  createOffer(callbacks?: JanusOfferCallbacks): void;
  createAnswer(callbacks?: JanusOfferCallbacks): void;
  send?(callbacks: { message?: unknown; [key: string]: unknown }): void;
  replaceTracks?(callbacks: JanusOfferCallbacks): void;
  muteAudio?(mid?: string): boolean;
  unmuteAudio?(mid?: string): boolean;
  muteVideo?(mid?: string): boolean;
  unmuteVideo?(mid?: string): boolean;
  hangup?(sendRequest?: boolean): void;
  detach?(callbacks?: unknown): void;
  onlocaltrack?(track: MediaStreamTrack, on: boolean): void;
  oncleanup?(): void;
}

/** What `janus.attach()` takes. */
export interface JanusAttachCallbacks {
  plugin: string;
  success?: (handle: JanusPluginHandle) => void;
  [key: string]: unknown;
}

/** A Janus session: `new Janus({ server, success })`. */
export interface JanusSession {
  attach(callbacks: JanusAttachCallbacks): void;
  destroy?(callbacks?: unknown): void;
}
