import { createFakePeerConnection, type FabricAttributes, type FabricHandle, type FabricUsage, type Monitor } from '@shims/core';
import { ssrcOfRemoteTrack, statsFromTwilioReports } from './map-twilio-stats.js';
import { functionOfTwilioError, isMediaConnectionError } from './map-twilio-event.js';
import type { TwilioRoom, TwilioStatsReport } from './twilio-types.js';

/** Where a remote track's stream was found: the fabric that receives it, and its SSRC. */
interface StreamLocation {
  fabric: FabricHandle;
  ssrc: string;
}

/** The fabrics of one Room, however the shim reached them; the Room's events go through here. */
export interface RoomFabrics {
  /** The fabrics still live, for fabric events (mute, screen share). */
  live(): FabricHandle[];
  /** Finds a received track's SSRC; `undefined` while no packet of it has been counted yet. */
  locate(trackSid: string | undefined, trackId: string | undefined): Promise<StreamLocation | undefined>;
  reconnecting(error: unknown): void;
  reconnected(): void;
  /** The Room ended: report what its error says (where the shim cannot see the pcs), end every fabric once. */
  disconnected(error: unknown): void;
  /** Monitoring stops (dispose): nothing is sent, the Room is let go. */
  release(): void;
}

export const FABRIC_USAGE: FabricUsage = 'multiplex';
export const FABRIC_ATTRIBUTES: FabricAttributes = { remoteEndpointType: 'server' };

/**
 * Way (a): the Room's real pcs, built through the shim's constructor and already fabrics. The
 * pcs' own wrappers report their failures and their close ends them; callstats.js reads their
 * ICE states (reconnection included) itself, so Twilio's events add nothing but the end.
 */
export function realRoomFabrics(monitor: Monitor, isRoomPc: (fabric: FabricHandle) => boolean): RoomFabrics {
  const live = (): FabricHandle[] => monitor.fabrics().filter(isRoomPc);
  return {
    live,
    async locate(_trackSid, trackId) {
      if (!trackId) return undefined;
      for (const fabric of live()) {
        const report = await fabric.pc.getStats();
        for (const stats of report.values() as Iterable<RTCStats & { trackIdentifier?: string; ssrc?: number }>) {
          if (stats.type === 'inbound-rtp' && stats.trackIdentifier === trackId && stats.ssrc !== undefined)
            return { fabric, ssrc: String(stats.ssrc) };
        }
      }
      return undefined;
    },
    reconnecting() {},
    reconnected() {},
    disconnected() {
      // Twilio closed its pcs before telling the app (each one ended then); end any it left open.
      for (const fabric of live()) fabric.terminate();
    },
    release() {},
  };
}

/**
 * Way (b): a Room connected without the shim's constructor. No pc is reachable through Twilio's
 * public API, so one fake pc stands for the Room's media connection (the integrations guide's
 * Step 1-bis): its stats come from `room.getStats()`, its states from the Room's events.
 */
export function fakeRoomFabrics(monitor: Monitor, room: TwilioRoom, remoteUserID: string): RoomFabrics {
  let source: TwilioRoom | undefined = room;
  const reports = async (): Promise<TwilioStatsReport[]> => {
    if (!source) return [];
    try {
      const result = await source.getStats();
      return Array.isArray(result) ? result : [];
    } catch {
      // A disconnected Room has no stats; the monitoring client gets an empty report.
      return [];
    }
  };
  const fake = createFakePeerConnection({ getStats: async () => statsFromTwilioReports(await reports()) });
  const fabric = monitor.addFabric(fake.pc, { remoteUserID, fabricUsage: FABRIC_USAGE, fabricAttributes: FABRIC_ATTRIBUTES, wrapMethods: false });
  // Connected already: walk the states a pc goes through, so the client sees the setup happen.
  fake.update({ iceGatheringState: 'complete', iceConnectionState: 'checking', connectionState: 'connecting' });
  if (room.state !== 'reconnecting') fake.update({ iceConnectionState: 'connected', connectionState: 'connected' });
  let mediaDropped = room.state === 'reconnecting';

  return {
    live: () => (fabric.active ? [fabric] : []),
    async locate(trackSid, trackId) {
      const ssrc = ssrcOfRemoteTrack(await reports(), trackSid, trackId);
      return ssrc && fabric.active ? { fabric, ssrc } : undefined;
    },
    reconnecting(error) {
      // A signaling reconnection leaves the media flowing: only a media one moves the ICE state.
      if (!isMediaConnectionError(error)) return;
      mediaDropped = true;
      fake.update({ iceConnectionState: 'disconnected', connectionState: 'disconnected' });
    },
    reconnected() {
      if (!mediaDropped) return;
      mediaDropped = false;
      fake.update({ iceConnectionState: 'connected', connectionState: 'connected' });
    },
    disconnected(error) {
      const fn = functionOfTwilioError(error);
      if (fn) fabric.reportError(fn, error);
      if (isMediaConnectionError(error)) fake.update({ iceConnectionState: 'failed', connectionState: 'failed' });
      fabric.terminate();
      source = undefined;
      fake.close();
    },
    release() {
      // The fake pc stays as the client holds it (a dispose tells the client nothing), but it
      // lets go of the Room: from now on its stats are empty.
      source = undefined;
    },
  };
}
