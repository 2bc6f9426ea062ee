import { describe, expect, it } from 'vitest';
import { createTokenIssuer, verifyAppJwt } from '../src/token.js';
import { makeAppJwt } from './helpers.js';

const expected = { userID: 'alice', appID: '123456789' };
const now = Date.parse('2026-11-24T12:00:00Z');

describe('verifyAppJwt (the HS256 code callstats.js makes from the app secret)', () => {
  it('accepts a token signed with the secret for the same user and app', () => {
    const code = makeAppJwt('s3cret', { userID: 'alice', appID: '123456789', generateTurnCredentials: false });
    expect(verifyAppJwt(code, 's3cret', expected, now)).toEqual({ ok: true, value: true });
  });

  it.each([
    ['another secret', makeAppJwt('other', { userID: 'alice', appID: '123456789' }), /signature/],
    ['another user', makeAppJwt('s3cret', { userID: 'mallory', appID: '123456789' }), /userID/],
    ['another app', makeAppJwt('s3cret', { userID: 'alice', appID: '987654321' }), /appID/],
    ['alg none', makeAppJwt('s3cret', { userID: 'alice', appID: '123456789' }, { alg: 'none' }), /HS256/],
    ['an expired exp', makeAppJwt('s3cret', { userID: 'alice', appID: '123456789', exp: now / 1000 - 1 }), /expired/],
    ['two parts', 'abc.def', /not a JWT/],
  ])('rejects %s', (_name, code, reason) => {
    const verdict = verifyAppJwt(code, 's3cret', expected, now);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });

  it('rejects a payload changed after signing', () => {
    const [h, , s] = makeAppJwt('s3cret', { userID: 'alice', appID: '123456789' }).split('.');
    const forged = Buffer.from(JSON.stringify({ userID: 'alice', appID: '123456789', admin: true })).toString('base64url');
    expect(verifyAppJwt(`${h}.${forged}.${s}`, 's3cret', expected, now).ok).toBe(false);
  });

  it('checks the keyId of a keyId:secret app, in the hex form callstats.js sends or as written', () => {
    const keyId = 'a2V5LTE='; // base64 of "key-1": the library sends strtohex(atob(keyId))
    const hex = Buffer.from('key-1').toString('hex');
    const withKey = { ...expected, keyId };
    expect(verifyAppJwt(makeAppJwt('s3cret', { userID: 'alice', appID: '123456789', keyId: hex }), 's3cret', withKey, now).ok).toBe(true);
    expect(verifyAppJwt(makeAppJwt('s3cret', { userID: 'alice', appID: '123456789', keyId }), 's3cret', withKey, now).ok).toBe(true);
    expect(verifyAppJwt(makeAppJwt('s3cret', { userID: 'alice', appID: '123456789', keyId: '00' }), 's3cret', withKey, now).ok).toBe(false);
    expect(verifyAppJwt(makeAppJwt('s3cret', { userID: 'alice', appID: '123456789' }), 's3cret', withKey, now).ok).toBe(false);
  });
});

describe('access tokens', () => {
  const claims = { appID: 123456789, userID: 'alice%20smith', expiry: new Date(now + 60_000).toISOString() };

  it('carry claims callstats.js can read with atob, and verify until expiry', () => {
    const issuer = createTokenIssuer();
    const token = issuer.issue(claims);
    expect(JSON.parse(atob(token.split('.')[1]!))).toEqual(claims);
    expect(issuer.verify(token, now)).toEqual({ ok: true, value: claims });
    const late = issuer.verify(token, now + 60_000);
    expect(late).toMatchObject({ ok: false, expired: true });
  });

  it('are refused when altered or issued by another key', () => {
    const issuer = createTokenIssuer();
    const [h, , s] = issuer.issue(claims).split('.');
    const altered = Buffer.from(JSON.stringify({ ...claims, appID: 1 })).toString('base64');
    expect(issuer.verify(`${h}.${altered}.${s}`, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/not issued/) });
    expect(issuer.verify(createTokenIssuer().issue(claims), now).ok).toBe(false);
    expect(issuer.verify('garbage', now).ok).toBe(false);
  });

  it('are checked again in full once verified: a remembered token still expires, and one altered after it was accepted is refused', () => {
    const issuer = createTokenIssuer();
    const token = issuer.issue(claims);
    expect(issuer.verify(token, now).ok).toBe(true);
    expect(issuer.verify(token, now).ok).toBe(true);
    expect(issuer.verify(token, now + 60_000)).toMatchObject({ ok: false, expired: true });
    const [h, , s] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ ...claims, expiry: new Date(now + 3_600_000).toISOString() })).toString('base64');
    expect(issuer.verify(`${h}.${altered}.${s}`, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/not issued/) });
    expect(issuer.verify(`${token} `, now).ok).toBe(false);
  });
});
