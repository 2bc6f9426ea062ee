import { describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../src/token.js';
import { APP_ID, eventBody, getJson, join, postJson, startCollector, tokenFor } from './helpers.js';

async function nothingStored(collector: Awaited<ReturnType<typeof startCollector>>, conferenceID: string, eventsBefore: number): Promise<void> {
  const events = await collector.storage.listEvents({ conferenceID });
  expect(events).toHaveLength(eventsBefore);
  expect(await collector.storage.listFabrics(conferenceID)).toEqual([]);
}

describe('bearer tokens on REST calls', () => {
  const cases: [string, (token: string) => Record<string, string>][] = [
    ['missing', () => ({})],
    ['not a token', () => ({ authorization: 'Bearer nonsense' })],
    ['another scheme', (token) => ({ authorization: `Basic ${token}` })],
    [
      'signed by another collector',
      () => ({ authorization: `Bearer ${createTokenIssuer().issue({ appID: 123456789, userID: 'alice', expiry: '2999-01-01T00:00:00Z' })}` }),
    ],
  ];

  it.each(cases)('refuses a %s token with 401 on events and stats, and stores nothing', async (_name, headers) => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    for (const [url, body] of [
      [`${alice.eventsURL}fabric/statechange`, eventBody()],
      [`${alice.statsURL}stats`, eventBody({ eventType: 'stats', stats: [] })],
      [`${collector.proxyConfig.restEventURL}${APP_ID}/conferences/other-room`, eventBody({ eventType: 'userJoined' })],
    ] as const) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers(alice.token) },
        body: JSON.stringify(body),
      });
      expect(res.status, url).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      // msg is what callstats.js reads: "Token has expired" makes it authenticate again.
      expect(await res.json()).toMatchObject({ status: 'error', message: expect.any(String), msg: 'Token has expired' });
    }
    await nothingStored(collector, 'room', 1);
    expect(await collector.storage.listConferences()).toHaveLength(1);
    const settings = await fetch(`${collector.proxyConfig.appSettingsURL}${APP_ID}/configurations`, { headers: headers(alice.token) });
    expect(settings.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    let now = Date.parse('2026-11-24T12:00:00Z');
    const collector = await startCollector({ now: () => now, tokenTtlSeconds: 60 });
    const alice = await join(collector, 'alice', 'room');
    now += 61_000;
    const res = await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'bearer token has expired' });
    await nothingStored(collector, 'room', 1);
  });

  it("refuses a token of another app than the URL's", async () => {
    const collector = await startCollector({ acceptAnyToken: true });
    const token = await tokenFor(collector, 'alice', 'anything');
    const res = await postJson(`${collector.proxyConfig.restEventURL}42/conferences/room`, eventBody({ eventType: 'userJoined' }), token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: `bearer token is for app ${APP_ID}, not 42` });
    expect(await collector.storage.listConferences()).toEqual([]);
    expect((await getJson(`${collector.proxyConfig.appSettingsURL}42/configurations`, token)).status).toBe(401);
  });

  it("refuses another user's ucID with 403 and an unknown ucID with 404", async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const bob = await join(collector, 'bob', 'room');
    const asBob = await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), bob.token);
    expect(asBob.status).toBe(403);
    expect(await asBob.json()).toMatchObject({ message: expect.stringMatching(/another user/) });
    const unknown = await postJson(`${alice.eventsURL.replace(alice.ucID, 'made-up')}fabric/statechange`, eventBody(), alice.token);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: expect.stringMatching(/unknown ucID made-up.*userJoined/) });
    const unknownStats = await postJson(`${alice.statsURL.replace(alice.ucID, 'made-up')}stats`, eventBody({ stats: [] }), alice.token);
    expect(unknownStats.status).toBe(404);
    expect(await unknownStats.json()).toMatchObject({ message: expect.stringMatching(/unknown ucID/) });
    await nothingStored(collector, 'room', 2);
  });

  it('scopes conference IDs per app: a second app gets its own conference, and cannot touch the first', async () => {
    const collector = await startCollector({ acceptAnyToken: true });
    const alice = await join(collector, 'alice', 'room');
    const res = await fetch(`${collector.url}/auth/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=carol%40777&grant_type=authorization_code&code=x',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const joined = await postJson(
      `${collector.proxyConfig.restEventURL}777/conferences/room`,
      eventBody({ eventType: 'userJoined', localID: 'carol' }),
      access_token,
    );
    expect(joined.status).toBe(200);
    const { ucID } = (await joined.json()) as { ucID: string };
    expect(ucID).not.toBe(alice.ucID);
    // carol's ucID is app 777's: used under app 123456789's conference it is unknown.
    const squat = await postJson(
      `${collector.proxyConfig.restEventURL}${APP_ID}/conferences/room/${ucID}/events/fabric/terminated`,
      eventBody(),
      access_token,
    );
    expect(squat.status).toBe(401);
    const conferences = await collector.storage.listConferences();
    expect(conferences.map((c) => [c.appID, c.conferenceID, c.users.map((u) => u.userID)])).toEqual([
      [APP_ID, 'room', ['alice']],
      ['777', 'room', ['carol']],
    ]);
    expect((await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token)).status).toBe(200);
    expect((await collector.storage.listEvents({ conferenceID: 'room', appID: APP_ID })).map((e) => e.ucID)).toEqual([alice.ucID, alice.ucID]);
    expect((await collector.storage.listEvents({ conferenceID: 'room', appID: '777' })).map((e) => e.ucID)).toEqual([ucID]);
  });
});
