// The pc tap every conformance suite stands on, checked in real Chromium and Firefox: the constructor keeps
// the browser's prototype (SDK wrappers that introspect it work, Twilio's Chrome wrapper subscribes
// remote tracks), and creation order, listeners and failures armed below a shim's wrapper work.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_LABELS, enginesToRun, openHarness, type Harness } from '@shims/testkit';

for (const engine of enginesToRun()) {
  describe(`the pc tap in ${ENGINE_LABELS[engine]}`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await openHarness({ entry: fileURLToPath(new URL('./page.ts', import.meta.url)), engine });
    });
    afterAll(() => harness?.close());
    const check = <T>(name: string): Promise<T> =>
      harness.page.evaluate((n) => (window as unknown as { tapChecks: Record<string, () => unknown> }).tapChecks[n]!(), name) as Promise<T>;

    it("keeps the browser's prototype, its own property names, instanceof and statics; records the pc without instance patches", async () => {
      expect(await check('introspection')).toEqual({
        samePrototype: true,
        sameOwnNames: true,
        instanceOfGlobal: true,
        instanceOfNative: true,
        prototypeOfPc: true,
        isEventTarget: true,
        name: 'RTCPeerConnection',
        generateCertificate: 'function',
        recorded: true,
        instancePatches: [],
      });
    });

    it("records a subclass's pcs; the subclass's override runs above an armed failure", async () => {
      expect(await check('subclass')).toEqual({
        instanceOfSubclass: true,
        instanceOfGlobal: true,
        overrideRan: 1,
        injected: true,
        consumedByThisPc: true,
      });
    });

    it('counts the listeners added and not removed', async () => {
      expect(await check('listeners')).toEqual([2, 1]);
    });

    it("fails an armed function below a shim's instance wrapper, which hears the failure", async () => {
      expect(await check('failureBelowAWrapper')).toEqual({
        wrapped: ['addIceCandidate', 'close', 'createAnswer', 'createOffer', 'setLocalDescription', 'setRemoteDescription'],
        injected: true,
        wrapperHeard: true,
        consumedByThisPc: true,
        afterUnwrap: [],
      });
    });

    it("lets Twilio's ChromeRTCPeerConnection proxy the native pc it builds: a real call connects and its remote track arrives", async () => {
      expect(await check('twilioWrapperCall')).toEqual({
        wrapperIsNotThePc: true,
        nativeRecorded: true,
        gathered: true,
        connected: true,
        tracks: ['audio'],
        receivers: ['audio'],
        nativeListeners: true,
      });
    });
  });
}
