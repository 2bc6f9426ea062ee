import { describe, expect, it } from 'vitest';
import { APP_ID, appJwtFor, authenticate, claimsOf, makeAppJwt, SECRET, startCollector } from './helpers.js';

const errorReason = (body: unknown): string =>
  (body as { 'urn:x-callstats:auth:errorActions': { action: number; params: { errorReason: string } }[] })['urn:x-callstats:auth:errorActions'][0]!
    .params.errorReason;

describe('POST auth/authenticate', () => {
  it('exchanges the HS256 code for a bearer token callstats.js accepts', async () => {
    const collector = await startCollector({
      submissionInterval: 5000,
      collectSDP: true,
      ingestedEvents: ['sdpSubmissionEvent'],
      now: () => Date.parse('2026-11-24T12:00:00Z'),
    });
    const res = await authenticate(collector, 'alice smith/ü', appJwtFor('alice smith/ü'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(3600);
    expect(body.access_token.split('.')).toHaveLength(3);
    expect(claimsOf(body.access_token)).toEqual({
      appID: 123456789,
      userID: encodeURIComponent('alice smith/ü'),
      expiry: '2026-11-24T13:00:00.000Z',
      submissionInterval: 5000,
      collectSDP: true,
      ingestedEvents: ['sdpSubmissionEvent'],
    });
  });

  it('lists sdpSubmissionEvent in ingestedEvents when collectSDP is on (callstats.js sends no SDP without it), and nothing when off', async () => {
    const withSdp = await startCollector({ collectSDP: true });
    const sdp = (await (await authenticate(withSdp, 'alice', appJwtFor('alice'))).json()) as { access_token: string };
    expect(claimsOf(sdp.access_token)).toMatchObject({ collectSDP: true, ingestedEvents: ['sdpSubmissionEvent'] });
    const plain = await startCollector();
    const none = (await (await authenticate(plain, 'alice', appJwtFor('alice'))).json()) as { access_token: string };
    expect(claimsOf(none.access_token)).not.toHaveProperty('ingestedEvents');
    expect(claimsOf(none.access_token)).not.toHaveProperty('collectSDP');
    await expect(startCollector({ ingestedEvents: 'sdpSubmissionEvent' as never })).rejects.toThrow(/ingestedEvents must be an array of event names/);
  });

  it('answers 400 with errorActions (action 2) for a code signed with another secret', async () => {
    const collector = await startCollector();
    const res = await authenticate(collector, 'alice', appJwtFor('alice', 'not-the-secret'));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toEqual({ 'urn:x-callstats:auth:errorActions': [{ action: 2, params: { errorReason: expect.stringMatching(/signature/) } }] });
  });

  it.each([
    ['a code for another user', 'alice', appJwtFor('bob'), APP_ID, /userID/],
    ['an unknown app', 'alice', appJwtFor('alice', SECRET, '42'), '42', /unknown appID 42/],
    ['a code that is not a JWT', 'alice', 'stub-token', APP_ID, /not a JWT/],
  ])('refuses %s', async (_name, userID, code, appID, reason) => {
    const collector = await startCollector();
    const res = await authenticate(collector, userID, code, appID);
    expect(res.status).toBe(400);
    expect(errorReason(await res.json())).toMatch(reason);
  });

  it('refuses a malformed form with errorActions', async () => {
    const collector = await startCollector();
    const res = await fetch(`${collector.url}/auth/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=alice&grant_type=password',
    });
    expect(res.status).toBe(400);
    expect(errorReason(await res.json())).toMatch(/client_id.*grant_type|grant_type.*client_id/s);
  });

  it('accepts the keyId:secret form', async () => {
    const collector = await startCollector({ apps: { [APP_ID]: { keyId: 'a2V5LTE=', secret: 'k-secret' } } });
    const hexKeyId = Buffer.from('key-1').toString('hex');
    const good = makeAppJwt('k-secret', { userID: 'alice', appID: APP_ID, keyId: hexKeyId });
    expect((await authenticate(collector, 'alice', good)).status).toBe(200);
    const noKey = makeAppJwt('k-secret', { userID: 'alice', appID: APP_ID });
    expect((await authenticate(collector, 'alice', noKey)).status).toBe(400);
  });

  it('asks verifyToken in token-generator mode', async () => {
    const calls: string[][] = [];
    const collector = await startCollector({
      apps: {},
      verifyToken: async (code, userID, appID) => {
        calls.push([code, userID, appID]);
        return code === 'good-token';
      },
    });
    expect((await authenticate(collector, 'alice', 'good-token')).status).toBe(200);
    const refused = await authenticate(collector, 'alice', 'bad-token');
    expect(refused.status).toBe(400);
    expect(errorReason(await refused.json())).toBe('token rejected');
    expect(calls).toEqual([
      ['good-token', 'alice', APP_ID],
      ['bad-token', 'alice', APP_ID],
    ]);
  });

  it('accepts any token only with acceptAnyToken', async () => {
    const strict = await startCollector({ apps: {} });
    expect((await authenticate(strict, 'alice', 'whatever')).status).toBe(400);
    const dev = await startCollector({ apps: {}, acceptAnyToken: true });
    expect((await authenticate(dev, 'alice', 'whatever', '777')).status).toBe(200);
  });

  it('issues tokens with the configured lifetime', async () => {
    const collector = await startCollector({ tokenTtlSeconds: 60, now: () => 0 });
    const body = (await (await authenticate(collector, 'alice', appJwtFor('alice'))).json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(60);
    expect(claimsOf(body.access_token).expiry).toBe('1970-01-01T00:01:00.000Z');
  });
});
