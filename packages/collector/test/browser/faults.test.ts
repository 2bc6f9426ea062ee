// What the real callstats.js does when its server misbehaves, through @shims/testkit's fault
// proxy in front of the collector: an expired token, a failing route, a slow route.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, startTestCollector, type Harness, type TestCollector } from '@shims/testkit';
import { createCollector } from '../../src/index.js';

describe('the real callstats.js against collector faults', { timeout: 60_000 }, () => {
  let collector: TestCollector;
  let harness: Harness;
  let n = 0;
  const call = (holdMs = 500): Promise<string> => {
    const conferenceID = `faults-${++n}`;
    return harness.page
      .evaluate(([id, hold]) => (window as unknown as { faultCall(c: string, h: number): Promise<string> }).faultCall(id, hold), [
        conferenceID,
        holdMs,
      ] as const)
      .then(() => conferenceID);
  };

  beforeAll(async () => {
    collector = await startTestCollector(createCollector);
    harness = await openHarness({ entry: fileURLToPath(new URL('./faults-page.ts', import.meta.url)), callstats: { base: collector.url } });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
    await collector?.close();
  });

  it('authenticates again after "Token has expired" and goes on reporting', async () => {
    collector.inject({ path: /\/fabric\/setup$/, expiredToken: true, times: 1 });
    const conferenceID = await call();
    await collector.waitForEvent({ conferenceID, eventType: 'fabricTerminated', count: 2 });
    const setups = await collector.events(conferenceID, 'fabricSetup');
    expect(setups, 'the refused setup is lost (callstats.js never resends), the other arrives').toHaveLength(1);
    const authentications = collector.requests.filter((r) => r.path.endsWith('/auth/authenticate'));
    expect(authentications.length, 'a second authentication after the 401').toBeGreaterThanOrEqual(2);
    expect(collector.requests.filter((r) => r.faulted)).toHaveLength(1);
  });

  it('loses an event the server fails, keeps the rest, and the server keeps serving', async () => {
    collector.inject({ path: /\/fabric\/terminated$/, status: 503, times: 1 });
    const conferenceID = await call();
    await collector.waitForEvent({ conferenceID, eventType: 'fabricSetup', count: 2 });
    await collector.waitForEvent({ conferenceID, eventType: 'fabricTerminated', count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await collector.events(conferenceID, 'fabricTerminated'), 'one of the two was failed').toHaveLength(1);
  });

  it('stores what arrives late through a slow route', async () => {
    collector.inject({ path: /\/fabric\/setup$/, delayMs: 1_500 });
    const conferenceID = await call();
    await collector.waitForEvent({ conferenceID, eventType: 'fabricSetup', count: 2 });
    collector.clearFaults();
    await collector.waitForEvent({ conferenceID, eventType: 'fabricTerminated', count: 2 });
  });

  it('starts empty after reset, with the library still authenticated', async () => {
    await collector.reset();
    expect(await collector.api<{ conferences: unknown[] }>('conferences')).toEqual({ conferences: [] });
    const conferenceID = await call();
    await collector.waitForEvent({ conferenceID, eventType: 'fabricTerminated', count: 2 });
  });
});
