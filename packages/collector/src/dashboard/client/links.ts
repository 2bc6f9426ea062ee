/**
 * The dashboard's links and query API URLs. Pure (no DOM): test/dashboard.test.ts runs them in
 * Node against a collector.
 */

/** What the URL's hash selects: a conference of an app, and a fabric of a user in it. */
export interface Selection {
  conferenceID: string | null;
  appID: string | null;
  connectionID: string | null;
  ucID: string | null;
}

/** What names a conference in a link (a `ConferenceSummary`, or the selection's). */
interface ConferenceRef {
  conferenceID: string;
  appID?: string | null;
}

/** What names a fabric in a link (a `FabricRecord`). */
interface FabricRef {
  connectionID: string;
  ucID?: string | null;
}

/** The query string of an API call. */
export type ApiParams = Readonly<Record<string, string | number>>;

/**
 * A selection in the URL's hash. Conferences are per app and a fabric is its user's (two apps
 * may use one conference ID, two users one connection ID), so a link names the app and the ucID
 * too: `#conference=<id>&app=<appID>&fabric=<connectionID>&user=<ucID>`. A link without them
 * (older, or typed by hand) means what the query API means: the oldest conference, the first user.
 */
export function hashFor(conference: ConferenceRef, fabric: FabricRef | null): string {
  const params = new URLSearchParams();
  params.set('conference', conference.conferenceID);
  if (conference.appID) params.set('app', conference.appID);
  if (fabric) {
    params.set('fabric', fabric.connectionID);
    if (fabric.ucID) params.set('user', fabric.ucID);
  }
  return '#' + params.toString();
}

export function parseHash(hash: string): Selection {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const conferenceID = params.get('conference');
  const connectionID = conferenceID === null ? null : params.get('fabric');
  return {
    conferenceID,
    appID: conferenceID === null ? null : params.get('app'),
    connectionID,
    ucID: connectionID === null ? null : params.get('user'),
  };
}

/** The query API's `?appID=` (conference routes) for a selection. */
export function conferenceQuery(selection: Pick<Selection, 'appID'>): Record<string, string> {
  return selection.appID ? { appID: selection.appID } : {};
}

/** The query API's `?appID=` and `?ucID=` (fabric routes) for a selection. */
export function fabricQuery(selection: Pick<Selection, 'appID' | 'ucID'>): Record<string, string> {
  return Object.assign(conferenceQuery(selection), selection.ucID ? { ucID: selection.ucID } : {});
}

/** `api` (the query API's root, ending in `/`) + the encoded path segments + the query. */
export function apiURL(api: URL, segments: readonly string[], params: ApiParams = {}): URL {
  const url = new URL(segments.map((s) => encodeURIComponent(s)).join('/'), api);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  return url;
}

export const sameConference = (c: ConferenceRef, selection: Selection): boolean =>
  c.conferenceID === selection.conferenceID && (!selection.appID || c.appID === selection.appID);

export const sameFabric = (f: FabricRef, selection: Selection): boolean =>
  f.connectionID === selection.connectionID && (!selection.ucID || f.ucID === selection.ucID);
