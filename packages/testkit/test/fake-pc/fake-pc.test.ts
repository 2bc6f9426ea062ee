import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_LABELS, enginesToRun, openHarness, type Harness } from '@shims/testkit';

for (const engine of enginesToRun()) {
  describe(`in ${ENGINE_LABELS[engine]}`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await openHarness({ entry: fileURLToPath(new URL('./page.ts', import.meta.url)), callstats: true, engine });
    });
    afterAll(() => harness?.close());

    // callstats.js in Firefox takes only an `instanceof RTCPeerConnection` as a pc.
    it('the real callstats.js takes a fake peerconnection as a fabric and sends its setup and termination', async () => {
      const result = await harness.page.evaluate(() =>
        (window as unknown as { runFakePc(id: string): Promise<Record<string, unknown>> }).runFakePc('fake-pc-conf'),
      );
      expect(result.statsTypes).toEqual(expect.arrayContaining(['candidate-pair', 'transport']));
      expect(result.calls).toEqual([
        { method: 'addNewFabric', event: 'sdk-remote', status: { status: 'success' } },
        { method: 'sendFabricEvent', event: 'audioMute', status: { status: 'success' } },
        { method: 'sendFabricEvent', event: 'fabricTerminated', status: { status: 'success' } },
      ]);
      expect(result.violations).toEqual([]);
      expect(result.instanceOfPeerConnection, 'the fake is an instanceof RTCPeerConnection').toBe(true);
      expect(result.unreadable, 'pc members that throw when read from the fake').toEqual([]);
      // The library really held the fake pc: it sent the fabric's setup and termination to the server.
      await expect
        .poll(() => harness.callstatsRequests.filter((r) => r.path.includes('/fake-pc-conf/')).map((r) => r.path.split('/').slice(-2).join('/')), {
          timeout: 20_000,
        })
        .toEqual(expect.arrayContaining(['fabric/setup', 'fabric/terminated']));
    });
  });
}
