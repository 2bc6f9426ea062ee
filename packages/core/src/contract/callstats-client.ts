import type { EndpointType, FabricEvent, FabricUsage, TransmissionDirection, WebRTCFunction } from './callstats-enums.js';
import type { FabricPeerConnection } from './fabric-peer-connection.js';

/** What callstats.js answers each call with: `{ status: 'success' }` or a failure with its reason. */
export type CallstatsStatus = { status: 'success'; message?: undefined } | { status: 'failure'; message: string };

/** Optional details of a fabric, as callstats.js reads them in `addNewFabric`. */
export interface FabricAttributes {
  /** Default `peer`; `server` for an SFU, MCU or gateway. */
  remoteEndpointType?: EndpointType;
  /** Default `sendrecv`. */
  fabricTransmissionDirection?: TransmissionDirection;
}

/**
 * The `pcCallback` of `addNewFabric`. The library calls it only when the pc's ICE connection drops
 * to `disconnected`, as `('appConnectivityError', 'Connectivity check for PC object to <id> failed.')`.
 */
export type AddFabricCallback = (error: 'appConnectivityError', message: string) => void;

/** What `reportError` reads of an error: a DOMException, an Error-like object, or a text. */
export type ReportedError = DOMException | { name?: string; message?: string; constraintName?: string; stack?: string } | string;

/**
 * The part of the callstats.js client (`new callstats()`) that shims call. The real object is
 * accepted as it is: this package never imports or loads the library. The library's own checks
 * are looser than this type (it accepts any remote user ID but `undefined`, and swaps an empty
 * conference ID for a temporary one); shims hold to the type.
 */
export interface CallstatsClient {
  addNewFabric(
    pc: FabricPeerConnection,
    remoteUserID: string,
    fabricUsage: FabricUsage,
    conferenceID: string,
    fabricAttributes?: FabricAttributes,
    pcCallback?: AddFabricCallback,
  ): CallstatsStatus | undefined | void;
  reportError(
    pc: FabricPeerConnection | null,
    conferenceID: string,
    webRTCFunction: WebRTCFunction,
    domError: ReportedError,
    localSDP?: string,
    remoteSDP?: string,
  ): CallstatsStatus | undefined | void;
  sendFabricEvent(pc: FabricPeerConnection, fabricEvent: FabricEvent, conferenceID: string, eventData?: unknown): CallstatsStatus | undefined | void;
  associateMstWithUserID(
    pc: FabricPeerConnection,
    userID: string,
    conferenceID: string,
    ssrc: string,
    usageLabel: string,
    /** The id of the `<video>` element that plays this stream. */
    associatedVideoTag?: string,
  ): CallstatsStatus | undefined | void;
}
