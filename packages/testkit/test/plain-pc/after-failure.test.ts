// A failure the app survives (a failed addIceCandidate: ICE goes on with peer-reflexive
// candidates) must not make a case compare two snapshots taken while the call is still coming up:
// the case waits for the app's own flow to end before it hangs up. With no wait at all, the same
// call is caught half-way, which is how PeerJS's addIceCandidate case once raced.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, runCase, type Harness } from '@shims/testkit';

describe('a case after a failure the app survives', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await openHarness({ entry: fileURLToPath(new URL('./page.ts', import.meta.url)) });
  });
  afterAll(() => harness?.close());

  it("waits for the app's flow to end, however short the settle time", async () => {
    const report = await runCase(harness, 'fail:addIceCandidate', 'none', undefined, { settleMs: 0 });
    expect(report.injected?.consumedByPc, 'an addIceCandidate failed').not.toBeNull();
    expect(report.established, 'the app saw the failure').toBe(false);
    expect(report.appOutcome, 'the call carried audio all the same').toEqual({ audioReceived: true, errors: 1 });
  });

  it('catches the call half-way when it does not wait (the race this wait removes)', async () => {
    const report = await runCase(harness, 'fail:addIceCandidate', 'none', undefined, { settleMs: 0, afterFailureMs: 0 });
    expect(report.injected?.consumedByPc).not.toBeNull();
    expect(report.appOutcome).toEqual({ audioReceived: false, errors: 1 });
  });
});
