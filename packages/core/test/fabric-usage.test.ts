import { describe, expect, it } from 'vitest';
import { isDisplayTrack, mediaDirections, outgoingUsageOf, sdpHolds, sipUserOf, trackKindsOf, usageOfKinds, usageOfOffer } from '../src/index.js';

const sdp = (...lines: string[]) => ['v=0', ...lines].join('\r\n');

describe('fabric usage', () => {
  it('from kinds: one known kind is its usage, none is the given default, more is multiplex', () => {
    expect(usageOfKinds(['audio'])).toBe('audio');
    expect(usageOfKinds(['video', 'video'])).toBe('video');
    expect(usageOfKinds(['screen'])).toBe('screen');
    expect(usageOfKinds(['audio', 'video'])).toBe('multiplex');
    expect(usageOfKinds(['text'])).toBe('multiplex');
    expect(usageOfKinds([])).toBe('multiplex');
    expect(usageOfKinds([], 'data')).toBe('data');
  });

  it('from streams: the kinds of their tracks, skipping what is not a stream', () => {
    const stream = { getTracks: () => [{ kind: 'audio' }, { kind: 'video' }] };
    expect(trackKindsOf([stream, null, {}])).toEqual(['audio', 'video']);
  });

  it('from an offer: every section, or audio and video only', () => {
    const dataOnly = sdp('m=application 9 UDP/DTLS/SCTP webrtc-datachannel');
    const audioData = sdp('m=audio 9 UDP/TLS/RTP/SAVPF 111', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel');
    expect(usageOfOffer(dataOnly)).toBe('data');
    expect(usageOfOffer(audioData)).toBe('multiplex');
    expect(usageOfOffer(audioData, true)).toBe('audio');
    expect(usageOfOffer(sdp('m=video 9 RTP/AVP 96'), true)).toBe('video');
    expect(usageOfOffer(dataOnly, true)).toBe('multiplex');
    expect(usageOfOffer(undefined)).toBe('multiplex');
    expect(usageOfOffer(null, true)).toBe('multiplex');
  });
});

describe('hold from SDP', () => {
  it('reads each audio/video section, else the session direction', () => {
    const held = sdp('a=sendonly', 'm=audio 9 RTP/AVP 0', 'm=video 9 RTP/AVP 96', 'a=inactive', 'm=video 0 RTP/AVP 96');
    expect(mediaDirections(held)).toEqual(['sendonly', 'inactive']);
    expect(sdpHolds(held)).toBe(true);
    expect(sdpHolds(sdp('m=audio 9 RTP/AVP 0', 'a=recvonly'))).toBe(false);
    expect(sdpHolds(sdp('m=audio 9 RTP/AVP 0'))).toBe(false);
    expect(sdpHolds(undefined)).toBe(false);
  });
});

describe('screen share', () => {
  it('is a video track with a displaySurface', () => {
    expect(isDisplayTrack({ kind: 'video', getSettings: () => ({ displaySurface: 'monitor' }) })).toBe(true);
    expect(isDisplayTrack({ kind: 'video', getSettings: () => ({}) })).toBe(false);
    expect(isDisplayTrack({ kind: 'audio', getSettings: () => ({ displaySurface: 'monitor' }) })).toBe(false);
    expect(isDisplayTrack({ getSettings: () => ({ displaySurface: 'window' }) })).toBe(true);
    expect(
      isDisplayTrack({
        kind: 'video',
        getSettings: () => {
          throw new Error('x');
        },
      }),
    ).toBe(false);
    expect(isDisplayTrack(null)).toBe(false);
  });
});

describe('SIP helpers', () => {
  it('names the remote user by the URI user part, else the URI, else unknown', () => {
    expect(sipUserOf({ uri: { user: 'bob', toString: () => 'sip:bob@x' } })).toBe('bob');
    expect(sipUserOf({ uri: { user: null, toString: () => 'sip:x' } })).toBe('sip:x');
    expect(sipUserOf(undefined)).toBe('unknown');
  });

  it('checks the outgoing usage', () => {
    expect(outgoingUsageOf({}, 'f')).toBe('multiplex');
    expect(outgoingUsageOf({ outgoingFabricUsage: 'audio' }, 'f')).toBe('audio');
    expect(() => outgoingUsageOf({ outgoingFabricUsage: 'x' as never }, 'f')).toThrow(/f: options.outgoingFabricUsage must be one of/);
  });
});

describe('hold from SDP (as SIP.js offers it)', () => {
  const AUDIO = (direction: string) => `v=0\r\nm=audio 9 x\r\na=${direction}\r\n`;
  it('reads each audio/video section’s direction, media level first', () => {
    expect(mediaDirections(`${AUDIO('sendonly')}m=video 9 x\r\n`)).toEqual(['sendonly', 'sendrecv']);
    expect(mediaDirections('v=0\r\na=inactive\r\nm=audio 9 x\r\nm=application 9 x\r\nm=video 0 x\r\n')).toEqual(['inactive']);
    expect(sdpHolds(AUDIO('inactive'))).toBe(true);
    expect(sdpHolds(`${AUDIO('sendonly')}m=video 9 x\r\na=sendrecv\r\n`)).toBe(false);
  });
});
