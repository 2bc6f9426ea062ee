import { randomBytes } from 'node:crypto';

/** A Twilio-style SID: two-letter prefix (RM room, PA participant, MT track) + 32 hex digits. */
export function randomSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}
