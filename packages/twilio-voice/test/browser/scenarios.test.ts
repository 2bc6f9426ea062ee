// The Voice scenarios: the real @twilio/voice-sdk 2.18.5 in headless Chromium against the
// testkit's Voice signaling server (startTwilioVoiceServer), one browser for all of them.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness, type TwilioVoiceTestServer } from '@shims/testkit';
import type { DescribedCall } from './scenarios-api.ts';
import { startVoiceServer } from './voice-server.ts';

const POLL = { timeout: 10_000, interval: 100 };
const ADDED = { method: 'addNewFabric', pc: 'call', rest: ['bob', 'audio', 'scenario', { remoteEndpointType: 'server' }] };
const event = (name: string): DescribedCall => ({ method: 'sendFabricEvent', pc: 'call', rest: [name, 'scenario'] });

describe('@twilio/voice-sdk 2.18.5 calls against the testkit Voice server', () => {
  let harness: Harness;
  let server: TwilioVoiceTestServer;
  let stop: () => Promise<void>;
  const page = () => harness.page;
  const state = () => page().evaluate(() => window.voiceScenarios.state());
  const callOf = (callSid: string) => server.calls().find((c) => c.callSid === callSid);

  beforeAll(async () => {
    // Every call through a UDP gate the test can close: the media cut that makes the SDK restart ICE.
    const started = await startVoiceServer({ gateMedia: true });
    ({ server, stop } = started);
    harness = await openHarness({
      entry: fileURLToPath(new URL('./scenarios-page.ts', import.meta.url)),
      config: started.config,
      chromiumArgs: started.chromiumArgs,
    });
  });
  afterAll(async () => {
    await harness?.close();
    await stop?.();
  });

  describe('an outgoing call, step by step', () => {
    let callSid = '';
    let identity = '';

    it('device.connect(): the pc is an audio fabric of the callee before anything else; audio flows both ways', async () => {
      identity = await page().evaluate(() => window.voiceScenarios.device());
      const connected = await page().evaluate(() => window.voiceScenarios.connect('bob'));
      callSid = connected.callSid;
      expect(connected.fabricFor, 'fabricFor(call) is the fabric of its pc').toBe(true);
      expect(connected.inbound, 'tone packets from the server').toBeGreaterThan(0);
      expect(connected.outbound, 'microphone packets to the server').toBeGreaterThan(0);
      await expect.poll(async () => (await server.mediaCounts(callSid)).audioPacketsReceived, POLL).toBeGreaterThan(0);
      expect((await state()).calls).toEqual([ADDED]);
      expect(callOf(callSid)).toMatchObject({ direction: 'outgoing', identity, to: 'bob' });
    });

    it('call.mute(true), again, then mute(false): one audioMute, one audioUnmute', async () => {
      await page().evaluate(() => window.voiceScenarios.mute());
      expect((await state()).calls.slice(1)).toEqual([event('audioMute'), event('audioUnmute')]);
    });

    it('the signaling WebSocket drops and comes back: the SDK resumes the call, the fabric goes on, nothing is sent', async () => {
      server.dropSignaling(identity);
      await expect.poll(async () => (await state()).events, POLL).toContain('reconnected');
      expect(callOf(callSid)?.reconnects).toBe(1);
      // What the app sees: the Device's error for the dropped socket (31005), the call reconnecting.
      expect((await state()).events).toEqual(['accept', 'device error 31005', 'reconnecting', 'reconnected']);
      const after = await state();
      expect(after.fabrics).toBe(1);
      expect(after.calls).toHaveLength(3);
    });

    it('the media is cut: the SDK restarts ICE (reinvite) and the call comes back on the same pc; the fabric goes on, nothing is sent', async () => {
      server.cutMedia(callSid, true);
      await expect.poll(() => callOf(callSid)?.reinvites, { timeout: 20_000, interval: 200 }).toBeGreaterThan(0);
      server.cutMedia(callSid, false);
      await expect.poll(async () => (await state()).events.filter((e) => e === 'reconnected'), { timeout: 20_000, interval: 200 }).toHaveLength(2);
      const after = await state();
      expect(
        after.events.filter((e) => e === 'reconnecting'),
        'the call reconnecting, for its media this time',
      ).toHaveLength(2);
      expect(after.fabrics).toBe(1);
      expect(after.calls).toHaveLength(3);
      await expect.poll(async () => (await page().evaluate(() => window.voiceScenarios.inbound())) > 0, POLL).toBe(true);
    });

    it('the remote party hangs up: one fabricTerminated, last; the shim lets go of the call', async () => {
      server.hangUp(callSid);
      await expect.poll(async () => (await state()).events, POLL).toContain('disconnect');
      const after = await state();
      expect(after.calls.at(-1)).toEqual(event('fabricTerminated'));
      expect(after.calls.filter((c) => c.rest[0] === 'fabricTerminated')).toHaveLength(1);
      expect(after.fabrics).toBe(0);
      expect(after.muteListeners, "the shim's listeners on the call").toBe(0);
    });

    it('device.destroy(): the monitor ends itself; no wrapper left on the Device or mediaDevices', async () => {
      await page().evaluate(() => window.voiceScenarios.destroy());
      const after = await state();
      expect(after.deviceWrappers).toEqual([]);
      expect(after.mediaWrappers).toEqual([]);
      expect(after.calls.filter((c) => c.method === 'addNewFabric')).toHaveLength(1);
    });
  });

  describe('incoming calls', () => {
    it('accepted, then hung up by the Device: a fabric of the caller, one fabricTerminated; the server sees the hang-up', async () => {
      const identity = await page().evaluate(() => window.voiceScenarios.device());
      await page().evaluate(() => window.voiceScenarios.register());
      const answered = page().evaluate(() => window.voiceScenarios.incoming('accept'));
      await server.callDevice(identity, 'bob');
      const { callSid, inbound, fabricFor } = await answered;
      expect(fabricFor).toBe(true);
      expect(inbound).toBeGreaterThan(0);
      await page().evaluate(() => window.voiceScenarios.hangUp());
      await expect.poll(() => callOf(callSid)?.ended, POLL).toBe('hangup-by-client');
      const after = await state();
      expect(after.calls).toEqual([ADDED, event('fabricTerminated')]);
      expect(after.muteListeners).toBe(0);
      await page().evaluate(() => window.voiceScenarios.destroy());
    });

    for (const [how, answer] of [
      ['rejected by the Device', 'reject'],
      ['canceled by the caller before the Device answers', 'none'],
    ] as const) {
      it(`${how}: no pc, nothing sent, the shim lets go of the call`, async () => {
        const identity = await page().evaluate(() => window.voiceScenarios.device());
        await page().evaluate(() => window.voiceScenarios.register());
        const ringing = page().evaluate((a) => window.voiceScenarios.incoming(a), answer);
        const callSid = await server.callDevice(identity, 'bob');
        await ringing;
        if (answer === 'none') server.cancel(callSid);
        await expect.poll(async () => (await state()).events, POLL).toContain(answer === 'none' ? 'cancel' : 'reject');
        await expect.poll(() => callOf(callSid)?.ended, POLL).toBe(answer === 'none' ? 'canceled' : 'rejected');
        const after = await state();
        expect(after.calls).toEqual([]);
        expect(after.muteListeners).toBe(0);
        await page().evaluate(() => window.voiceScenarios.destroy());
      });
    }
  });

  it("the app's own RTCPeerConnection class and a remoteUserID function: the class builds the pc, the function names the remote side; dispose() puts the option back", async () => {
    await page().evaluate(() => window.voiceScenarios.device({ ownClass: true, namedByFunction: true }));
    const connected = await page().evaluate(() => window.voiceScenarios.connect('dave'));
    expect(connected.ownClassBuilt, "the app's class built the call's pc").toBe(1);
    expect(connected.inbound).toBeGreaterThan(0);
    expect((await state()).calls).toEqual([{ ...ADDED, rest: ['outgoing:dave', ...ADDED.rest.slice(1)] }]);
    await page().evaluate(() => window.voiceScenarios.dispose());
    const disposed = await state();
    expect(disposed.ownOption, "the Device's option is the app's class again").toBe(true);
    expect(disposed.deviceWrappers).toEqual([]);
    await page().evaluate(() => window.voiceScenarios.hangUp());
    expect((await state()).calls, 'nothing after dispose').toHaveLength(1);
    await page().evaluate(() => window.voiceScenarios.destroy());
  });

  it(
    'twenty calls in a row, each with its own Device and monitor: twenty fabrics added and ended, no wrapper left on a pc, no monitor retained after a collection',
    { timeout: 150_000 },
    async () => {
      const cdp = await page().context().newCDPSession(page());
      const result = await page().evaluate(() => window.voiceScenarios.serial(20));
      expect(result.tally).toEqual({ addNewFabric: 20, fabricTerminated: 20, other: 0, accepted: 20 });
      expect(result.pcWrappers, 'wrappers left on the closed pcs').toBe(0);
      const alive = async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        return page().evaluate(() => window.voiceScenarios.alive());
      };
      // The shim's claim: no monitor outlives its Device's destroy() and a collection.
      await expect.poll(async () => (await alive()).monitors, { timeout: 30_000, interval: 250 }).toBe(0);
      // The Devices go too: a destroyed Device keeps the shim's class in its options, which holds
      // nothing of the monitor. The SDK lets go of each destroyed Device some seconds later (all 20
      // within 6 s on an idle machine), except that one may stay: every Device shares the SDK's
      // static AudioContext (`Device._audioContext`, device.ts), which can keep the last one's audio
      // graph reachable. Measured: none or one left; one still after 90 s when this test runs alone,
      // and once in a whole CI run. A shim that held Devices would leave all twenty.
      await expect.poll(async () => (await alive()).devices, { timeout: 30_000, interval: 500 }).toBeLessThanOrEqual(1);
      await cdp.detach();
    },
  );
});
