import { describe, expect, it } from 'vitest';
import { commonJsExport, twilioDefaultPeerConnection } from '../../src/twilio-default-peer-connection.ts';

describe("Twilio's default pc class, from twilio-video's internal module", () => {
  it('resolves in the installed twilio-video to a constructor (in Node, the one that says "not supported")', () => {
    const Default = twilioDefaultPeerConnection();
    expect(typeof Default).toBe('function');
    expect(() => new Default!()).toThrow('RTCPeerConnection is not supported');
  });

  it("reads module.exports however it is presented (the CommonJS value, or an ESM namespace's default), and nothing else", () => {
    class Twilio {}
    expect(commonJsExport(Twilio)).toBe(Twilio);
    expect(twilioDefaultPeerConnection(Twilio)).toBe(Twilio);
    expect(twilioDefaultPeerConnection({ default: Twilio })).toBe(Twilio);
    expect(twilioDefaultPeerConnection({ default: { RTCPeerConnection: Twilio } })).toBeUndefined();
    expect(twilioDefaultPeerConnection({})).toBeUndefined();
    expect(twilioDefaultPeerConnection(null)).toBeUndefined();
  });
});
