// The oldest amazon-chime-sdk-js the range claims, 3.0.0 (the first 3.x: the same controller,
// session state and CreatePeerConnectionTask the shim hooks, protobufjs 6 in the SDK): the
// conformance cases that tell whether the shim reaches its pc and lets go of it, with
// RecordingCallstats, against the same server; the whole suite runs on 3.32.0 (conformance.test.ts).
import {
  assertAddedBeforeFirstEvent,
  assertAttachedLate,
  assertCleanDispose,
  assertFailureReported,
  assertMuteMapped,
  assertOneTerminationPerPc,
  openHarness,
  runCase,
  type ChimeTestServer,
  type Harness,
} from '@shims/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryWithSdk } from './chime-bundle.ts';
import { startServerWithGuest } from './chime-server.ts';

describe('conformance (matrix): amazon-chime-sdk-js 3.0.0 against the local Chime server (one server-side attendee, the mix as audio)', () => {
  let server: ChimeTestServer;
  let harness: Harness;
  let dispose = (): void => {};

  beforeAll(async () => {
    const started = await startServerWithGuest(12);
    server = started.server;
    const page = await entryWithSdk('3.0', new URL('./page-3.0.ts', import.meta.url));
    dispose = page.dispose;
    harness = await openHarness({ entry: page.entry, config: started.config });
  });
  afterAll(async () => {
    await harness?.close();
    await server?.close();
    dispose();
  });

  it('adds its pc before its first event, maps the mute, ends the pc once; attached late, the same; the app sees what it sees without the shim', async () => {
    const [reference, report] = [await runCase(harness, 'lifecycle', 'none'), await runCase(harness, 'lifecycle', 'recording')];
    assertAddedBeforeFirstEvent(report, reference);
    assertOneTerminationPerPc(report);
    assertMuteMapped(report);
    expect(report.calls.filter((c) => c.method === 'addNewFabric')).toHaveLength(1);
    assertAttachedLate(await runCase(harness, 'late', 'recording'), await runCase(harness, 'late', 'none'), report);
  });

  it('reports a setRemoteDescription failure with the original error', async () => {
    assertFailureReported(
      'setRemoteDescription',
      await runCase(harness, 'fail:setRemoteDescription', 'recording'),
      await runCase(harness, 'fail:setRemoteDescription', 'none'),
    );
  });

  it('sends nothing after dispose and leaves no listener or wrapper behind', async () => {
    assertCleanDispose(await runCase(harness, 'dispose', 'recording'), await runCase(harness, 'dispose', 'none'), { compareListeners: true });
  });
});
