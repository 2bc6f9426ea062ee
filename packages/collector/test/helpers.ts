import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { createCollector, type Collector, type CollectorOptions } from '../src/index.js';

export const APP_ID = '123456789';
export const SECRET = 'test-secret';

/** Every request the real callstats.js 3.73.16 sent in a PeerJS call (paths relative to the base). */
export interface SampleRequest {
  method: string;
  path: string;
  body: unknown;
}
export const SAMPLE: SampleRequest[] = JSON.parse(readFileSync(new URL('./callstats-requests.sample.json', import.meta.url), 'utf8'));

/**
 * What callstats.js 3.73.16 sent, in test/browser/real-callstats.test.ts, for `reportError(pc,
 * createOffer, DOMException)` on a pc that never connected and for `sendFabricEvent` hold, resume,
 * audioMute and audioUnmute: re-addressed to the sample's call (a new pc to `dave-…`, and the
 * terminated pc `7fa6l27n2a` a second before it hung up).
 */
const ACTIONS_SAMPLE: SampleRequest[] = JSON.parse(readFileSync(new URL('./callstats-actions.sample.json', import.meta.url), 'utf8'));

/** The sample with ACTIONS_SAMPLE in it: the failure after the last setup, the rest before the hang-up. */
export function sampleWithActions(): SampleRequest[] {
  const [failure, ...actions] = ACTIONS_SAMPLE;
  const lastSetup = SAMPLE.findLastIndex((r) => r.path.endsWith('/events/fabric/setup'));
  const terminated = SAMPLE.findIndex((r) => r.path.endsWith('/events/fabric/terminated'));
  return [...SAMPLE.slice(0, lastSetup + 1), failure!, ...SAMPLE.slice(lastSetup + 1, terminated), ...actions, ...SAMPLE.slice(terminated)];
}

const open: Collector[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** A collector closed after the test; errors it logs fail loudly only when asked for. */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const collector = await createCollector({ apps: { [APP_ID]: { secret: SECRET } }, logger: { error: () => {} }, ...options });
  open.push(collector);
  return collector;
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** The JWT callstats.js makes from an app secret (Jwt.sign + buildToken), made here with node:crypto. */
export function makeAppJwt(secret: string, payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256' }): string {
  const data = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${data}.${createHmac('sha256', Buffer.from(secret, 'latin1')).update(data).digest('base64url')}`;
}

export function appJwtFor(userID: string, secret: string = SECRET, appID: string = APP_ID): string {
  return makeAppJwt(secret, { userID, appID, generateTurnCredentials: false });
}

export async function authenticate(collector: Collector, userID: string, code: string, appID: string = APP_ID): Promise<Response> {
  return fetch(`${collector.proxyConfig.authServiceURL}authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: `${userID}@${appID}`, code, grant_type: 'authorization_code' }).toString(),
  });
}

/** A bearer token for `userID`, through the real authenticate route. */
export async function tokenFor(collector: Collector, userID: string, code: string = appJwtFor(userID)): Promise<string> {
  const res = await authenticate(collector, userID, code);
  if (res.status !== 200) throw new Error(`authenticate: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The middle part of an access token, decoded as callstats.js does (standard base64). */
export function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(atob(accessToken.split('.')[1]!));
}

export async function postJson(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function getJson<T = Record<string, unknown>>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as T };
}

export function eventBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    callstatsVersion: '3.73.16',
    timestamp: 1_795_521_356_000,
    eventType: 'fabricStateChange',
    localID: 'alice',
    deviceID: 'device-1',
    remoteID: 'bob',
    connectionID: 'pc-1',
    changedState: 'signalingState',
    prevState: 'stable',
    newState: 'have-local-offer',
    ...overrides,
  };
}

/** Joins `userID` to `conferenceID` and returns what later calls need. */
export async function join(
  collector: Collector,
  userID: string,
  conferenceID: string,
): Promise<{ token: string; ucID: string; eventsURL: string; statsURL: string }> {
  const token = await tokenFor(collector, userID);
  const base = `${collector.proxyConfig.restEventURL}${APP_ID}/conferences/${encodeURIComponent(conferenceID)}`;
  const res = await postJson(
    base,
    eventBody({ eventType: 'userJoined', localID: userID, connectionID: undefined, endpointInfo: { type: 'browser' } }),
    token,
  );
  if (res.status !== 200) throw new Error(`userJoined: ${res.status} ${await res.text()}`);
  const { ucID } = (await res.json()) as { ucID: string };
  return {
    token,
    ucID,
    eventsURL: `${base}/${encodeURIComponent(ucID)}/events/`,
    statsURL: `${collector.proxyConfig.restStatsURL}${APP_ID}/conferences/${encodeURIComponent(conferenceID)}/${encodeURIComponent(ucID)}/`,
  };
}

/**
 * Replays the sample against a collector, in order. The stub that recorded it answered
 * `uc-example-room` as ucID: that segment becomes the ucID this collector issues.
 */
export async function replaySample(
  collector: Pick<Collector, 'url'>,
  requests: SampleRequest[] = SAMPLE,
): Promise<{ statuses: number[]; ucID: string }> {
  const base = collector.url;
  let token = '';
  let ucID = '';
  const statuses: number[] = [];
  for (const request of requests) {
    const path = ucID ? request.path.replace('/uc-example-room/', `/${ucID}/`) : request.path;
    let res: Response;
    if (path === 'auth/authenticate') {
      const form = new URLSearchParams(request.body as string);
      res = await fetch(`${base}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      if (res.ok) token = ((await res.clone().json()) as { access_token: string }).access_token;
    } else if (request.method === 'GET') {
      res = await fetch(`${base}/${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    } else {
      res = await postJson(`${base}/${path}`, request.body, path.startsWith('collector/') ? undefined : token);
    }
    statuses.push(res.status);
    const answer = (await res.json()) as { ucID?: string };
    if (answer.ucID) ucID = answer.ucID;
  }
  return { statuses, ucID };
}
