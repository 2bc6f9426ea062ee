import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openHarness, type Harness } from '@shims/testkit';

let harness: Harness;
beforeAll(async () => {
  harness = await openHarness({ entry: fileURLToPath(new URL('./page.ts', import.meta.url)), callstats: true });
});
afterAll(() => harness?.close());

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
  // The library really held the fake pc: it sent the fabric's setup and termination to the server.
  await expect
    .poll(() => harness.callstatsRequests.filter((r) => r.path.includes('/fake-pc-conf/')).map((r) => r.path.split('/').slice(-2).join('/')), {
      timeout: 20_000,
    })
    .toEqual(expect.arrayContaining(['fabric/setup', 'fabric/terminated']));
});
