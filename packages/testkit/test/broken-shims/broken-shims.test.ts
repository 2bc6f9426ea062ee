// The conformance suite must be able to fail: each deliberately broken shim is run through the
// same cases and assertions, and the assertion that guards its fault must throw, while the
// correct shim passes the same assertion in the same page.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertAddedBeforeFirstEvent,
  assertAttachedLate,
  assertCleanDispose,
  assertFailureReported,
  assertMediaFailureReported,
  assertMediaLeftToApp,
  assertOneTerminationPerPc,
  openHarness,
  PagePool,
  runCase,
  type Harness,
} from '@shims/testkit';

// The faults are checked side by side, each case on a page of its own (as the suite runs them).
describe.concurrent('the conformance suite catches broken shims', () => {
  let harness: Harness;
  let pool: PagePool;
  const run = (...args: Parameters<typeof runCase> extends [unknown, ...infer Rest] ? Rest : never) => pool.use((page) => runCase({ page }, ...args));
  beforeAll(async () => {
    harness = await openHarness({ entry: fileURLToPath(new URL('./page.ts', import.meta.url)) });
    pool = new PagePool([harness.page, await harness.openPage(), await harness.openPage()]);
  });
  afterAll(() => harness?.close());

  // The correct shim passes; the broken one fails on the assertion that guards its fault.
  const check = async (driver: string, fault: RegExp, verify: (driver: string) => Promise<void>, correct = 'correct') => {
    await verify(correct);
    await expect(verify(driver)).rejects.toThrow(fault);
  };

  it('a second fabricTerminated', () =>
    check('terminates-twice', /pc #\d+ terminated exactly once/, async (driver) =>
      assertOneTerminationPerPc(await run('lifecycle', 'recording', driver)),
    ));

  it('a swallowed pc failure', () =>
    check('swallows-failures', /one reportError for setRemoteDescription/, async (driver) =>
      assertFailureReported(
        'setRemoteDescription',
        await run('fail:setRemoteDescription', 'recording', driver),
        await run('fail:setRemoteDescription', 'none', driver),
      ),
    ));

  it('a pc added after its first event', () =>
    check('adds-late', /pc #\d+ (is added exactly once|added before its first event)/, async (driver) =>
      assertAddedBeforeFirstEvent(await run('lifecycle', 'recording', driver), await run('lifecycle', 'none', driver)),
    ));

  it('a call already running when the shim is attached', () =>
    check('misses-running-calls', /(the late shim added the pcs of the call|is added exactly once by the late shim)/, async (driver) =>
      assertAttachedLate(await run('late', 'recording', driver), await run('late', 'none', driver), await run('lifecycle', 'recording', driver)),
    ));

  // For an SDK that captures, not watching getUserMedia swallows its failure ('correct' watches
  // nothing, right only where the app captures); where the app captures, reporting it is wrong.
  it('a swallowed getUserMedia failure of an SDK that captures', () =>
    check(
      'correct',
      /errors reported/,
      async (driver) =>
        assertMediaFailureReported(await run('fail:getUserMedia', 'recording', driver), await run('fail:getUserMedia', 'none', driver)),
      'watches-media',
    ));

  it("a report of the app's own getUserMedia failure where the SDK never captures", () =>
    check('watches-media', /getUserMedia failures reported/, async (driver) =>
      assertMediaLeftToApp(await run('fail:getUserMedia', 'recording', driver), await run('fail:getUserMedia', 'none', driver)),
    ));

  it('a wrapper left after dispose', () =>
    check('leaves-wrapper', /instance wrappers left on the pcs/, async (driver) =>
      assertCleanDispose(await run('dispose', 'recording', driver), await run('dispose', 'none', driver), {
        compareListeners: true,
      }),
    ));
});
