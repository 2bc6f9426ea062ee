import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FALLBACK_MAPPING, MAPPED_CODES, mapSimplePeerError } from '../../src/map-simple-peer-error.ts';

const require = createRequire(import.meta.url);

/** An error as simple-peer's err-code leaves it: the original object with a `code` added. */
const withCode = (code: unknown, extra: object = {}): Error => Object.assign(new Error('failed'), { code }, extra);

describe('mapSimplePeerError', () => {
  it('leaves the five pc call failures to the pc wrapper, each under its own function', () => {
    expect(mapSimplePeerError(withCode('ERR_CREATE_OFFER'))).toEqual({ report: 'unless-pc-call-failed', fn: 'createOffer' });
    expect(mapSimplePeerError(withCode('ERR_CREATE_ANSWER'))).toEqual({ report: 'unless-pc-call-failed', fn: 'createAnswer' });
    expect(mapSimplePeerError(withCode('ERR_SET_LOCAL_DESCRIPTION'))).toEqual({ report: 'unless-pc-call-failed', fn: 'setLocalDescription' });
    expect(mapSimplePeerError(withCode('ERR_SET_REMOTE_DESCRIPTION'))).toEqual({ report: 'unless-pc-call-failed', fn: 'setRemoteDescription' });
    expect(mapSimplePeerError(withCode('ERR_ADD_ICE_CANDIDATE'))).toEqual({ report: 'unless-pc-call-failed', fn: 'addIceCandidate' });
  });

  it('maps ICE and connection failures to iceConnectionFailure, unless callstats.js saw them', () => {
    const ice = { report: 'unless-callstats-saw-ice-failure', fn: 'iceConnectionFailure' };
    expect(mapSimplePeerError(withCode('ERR_ICE_CONNECTION_FAILURE'))).toEqual(ice);
    expect(mapSimplePeerError(withCode('ERR_CONNECTION_FAILURE'))).toEqual(ice);
  });

  it('reports signaling and data channel errors, and nothing for a closed pc or a pc never built', () => {
    expect(mapSimplePeerError(withCode('ERR_SIGNALING'))).toEqual({ report: 'always', fn: 'signalingError' });
    expect(mapSimplePeerError(withCode('ERR_DATA_CHANNEL'))).toEqual({ report: 'always', fn: 'applicationError' });
    expect(mapSimplePeerError(withCode('ERR_ICE_CONNECTION_CLOSED'))).toEqual({ report: 'never', fn: null });
    expect(mapSimplePeerError(withCode('ERR_PC_CONSTRUCTOR'))).toEqual({ report: 'never', fn: null });
  });

  it("reports nothing for a data channel aborted by the remote's close (SCTP cause 12), and the rest of data channel errors", () => {
    const abort = withCode('ERR_DATA_CHANNEL', { errorDetail: 'sctp-failure', sctpCauseCode: 12 });
    expect(mapSimplePeerError(abort)).toEqual({ report: 'never', fn: null });
    const otherCause = withCode('ERR_DATA_CHANNEL', { errorDetail: 'sctp-failure', sctpCauseCode: 1 });
    expect(mapSimplePeerError(otherCause)).toEqual({ report: 'always', fn: 'applicationError' });
    // Cause 12 on another code is not a remote abort of the channel.
    expect(mapSimplePeerError(withCode('ERR_SIGNALING', { sctpCauseCode: 12 }))).toEqual({ report: 'always', fn: 'signalingError' });
  });

  it('falls back to applicationError for any other code, no code, a non-string code, or no error object', () => {
    expect(FALLBACK_MAPPING).toEqual({ report: 'always', fn: 'applicationError' });
    for (const code of ['ERR_ADD_TRANSCEIVER', 'ERR_REMOVE_TRACK', 'ERR_PC_PEER_IDENTITY', 'ERR_SOMETHING_NEW', undefined, null, 42, {}]) {
      expect(mapSimplePeerError(withCode(code)), String(code)).toBe(FALLBACK_MAPPING);
    }
    expect(mapSimplePeerError(new Error('no code'))).toBe(FALLBACK_MAPPING);
    expect(mapSimplePeerError('ERR_CREATE_OFFER')).toBe(FALLBACK_MAPPING);
    expect(mapSimplePeerError(null)).toBe(FALLBACK_MAPPING);
  });

  it('does not take inherited object keys for codes', () => {
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(mapSimplePeerError(withCode(code)), code).toBe(FALLBACK_MAPPING);
    }
  });

  it('knows every code simple-peer 9.11.1 destroys a peer with, and no code it does not have', () => {
    // The codes passed to destroy() in simple-peer's source: a new version adding or renaming
    // one fails here, and the table is reviewed with it.
    const source = readFileSync(require.resolve('simple-peer/index.js'), 'utf8');
    const destroyCodes = new Set([...source.matchAll(/destroy\(errCode\(.*?'(ERR_[A-Z_]+)'\)/g)].map((m) => m[1]!));
    expect(destroyCodes).toEqual(
      new Set([
        'ERR_PC_CONSTRUCTOR',
        'ERR_PC_PEER_IDENTITY',
        'ERR_SET_REMOTE_DESCRIPTION',
        'ERR_SIGNALING',
        'ERR_ADD_ICE_CANDIDATE',
        'ERR_ADD_TRANSCEIVER',
        'ERR_UNSUPPORTED_REPLACETRACK',
        'ERR_REMOVE_TRACK',
        'ERR_DATA_CHANNEL',
        'ERR_SET_LOCAL_DESCRIPTION',
        'ERR_CREATE_OFFER',
        'ERR_CREATE_ANSWER',
        'ERR_CONNECTION_FAILURE',
        'ERR_ICE_CONNECTION_FAILURE',
        'ERR_ICE_CONNECTION_CLOSED',
      ]),
    );
    for (const code of MAPPED_CODES) expect(destroyCodes.has(code), `${code} is a code simple-peer uses`).toBe(true);
  });
});
