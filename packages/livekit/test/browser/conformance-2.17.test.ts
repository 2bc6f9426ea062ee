// The oldest livekit-client the range claims, 2.17.0: the first release joining with one pc by
// default, before the offer travelled inside the join request (it joins on /rtc/v1, then offers).
// The conformance cases that tell whether the shim reaches its pcs and lets go of them, with
// RecordingCallstats; the whole suite runs on 2.23.0 (conformance.test.ts).
import { fileURLToPath } from 'node:url';
import {
  assertAddedBeforeFirstEvent,
  assertAttachedLate,
  assertCleanDispose,
  assertFailureReported,
  assertMuteMapped,
  assertOneTerminationPerPc,
  openHarness,
  runCase,
  type Harness,
  type LiveKitTestServer,
} from '@shims/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerWithGuest } from './livekit-server.ts';

describe('conformance (matrix): livekit-client 2.17.0 against the local LiveKit server (single pc on /rtc/v1, one server-side participant)', () => {
  let server: LiveKitTestServer;
  let harness: Harness;

  beforeAll(async () => {
    const started = await startServerWithGuest(true, 20);
    server = started.server;
    harness = await openHarness({ entry: fileURLToPath(new URL('./page-2.17.ts', import.meta.url)), config: started.config });
  });
  afterAll(async () => {
    await harness?.close();
    await server?.close();
  });

  it('adds its one pc before its first event, maps the mute, ends the pc once; the app sees what it sees without the shim', async () => {
    const reference = await runCase(harness, 'lifecycle', 'none');
    const report = await runCase(harness, 'lifecycle', 'recording');
    assertAddedBeforeFirstEvent(report, reference);
    assertOneTerminationPerPc(report);
    assertMuteMapped(report);
    expect(report.calls.filter((c) => c.method === 'addNewFabric')).toHaveLength(1);
    // Late attachment, against this run as the one attached from the start.
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
