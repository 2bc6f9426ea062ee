import type { FabricLifecycleEvent } from '@shims/core';
import type { ChimeVideoTileState } from './amazon-chime-types.js';

/** Which ID names a remote attendee in `associateMstWithUserID`. */
export type AttendeeUserID = 'externalUserId' | 'attendeeId';
export const ATTENDEE_USER_IDS: readonly AttendeeUserID[] = ['externalUserId', 'attendeeId'];

/** Chime's modality suffix: `<attendeeId>#content` is that attendee's content share. */
const CONTENT = '#content';

/** The local camera as its tile shows it: sending now, and whether a stop was mapped to a pause. */
export interface CameraState {
  readonly on: boolean;
  readonly paused: boolean;
}

/**
 * The local tile bound to a stream (`on`) or not: stopping a sending camera pauses the video,
 * starting it again resumes it; the first start, and a tile made before its stream, are no event.
 */
export function nextCamera(camera: CameraState, on: boolean): { camera: CameraState; event?: FabricLifecycleEvent } {
  if (camera.on && !on) return { camera: { on, paused: true }, event: 'videoPause' };
  if (!camera.on && on && camera.paused) return { camera: { on, paused: false }, event: 'videoResume' };
  return { camera: { on, paused: camera.paused } };
}

/**
 * A remote tile's user and usage label for `associateMstWithUserID`: the camera or content share
 * of the attendee it is bound to (a content share names the attendee who shares, without its
 * `#content` suffix). Undefined for a local tile or one not bound to an attendee's stream.
 */
export function tileUser(state: ChimeVideoTileState, key: AttendeeUserID): { userID: string; usage: 'camera' | 'screen' } | undefined {
  const id = key === 'externalUserId' ? (state.boundExternalUserId ?? state.boundAttendeeId) : state.boundAttendeeId;
  if (state.localTile || !id || !state.boundVideoStream) return undefined;
  const content = state.isContent || id.endsWith(CONTENT);
  return { userID: content && id.endsWith(CONTENT) ? id.slice(0, -CONTENT.length) : id, usage: content ? 'screen' : 'camera' };
}
