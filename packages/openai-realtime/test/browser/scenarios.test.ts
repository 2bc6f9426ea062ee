// The openai-realtime scenarios: the real @openai/agents-realtime 0.20.0 in headless Chromium
// against the testkit's realtime endpoint (startRealtimeServer), one harness for all of them.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, startRealtimeServer, type Harness, type RealtimeTestServer } from '@shims/testkit';
// Type-only: the page's `window.realtimeScenarios`.
import type {} from './scenarios-api.ts';

const POLL = { timeout: 10_000, interval: 100 };
const MODEL = 'gpt-realtime-2.1'; // the SDK's DEFAULT_OPENAI_REALTIME_MODEL: the remote user by default

describe('@openai/agents-realtime 0.20.0 sessions against the testkit realtime endpoint', () => {
  let harness: Harness;
  let server: RealtimeTestServer;
  const refusing = new Map<number, RealtimeTestServer>();

  beforeAll(async () => {
    server = await startRealtimeServer();
    for (const status of [401, 503]) refusing.set(status, await startRealtimeServer({ failCalls: status }));
    harness = await openHarness({ entry: fileURLToPath(new URL('./scenarios-page.ts', import.meta.url)) });
  });

  afterAll(async () => {
    await harness?.close();
    await server?.close();
    for (const s of refusing.values()) await s.close();
  });

  describe('one session, step by step', () => {
    let callId = '';

    it('connects: the pc is a multiplex fabric of the model before anything else, audio flows both ways', async () => {
      const connected = await harness.page.evaluate(([url]) => window.realtimeScenarios.connect(url!, 'session-1'), [server.baseUrl]);
      callId = connected.callId!;
      expect(callId).toMatch(/^rtc_/);
      expect(connected.calls).toEqual([{ method: 'addNewFabric', pc: 'session', rest: [MODEL, 'multiplex', 'session-1'] }]);
      expect(connected.fabrics).toBe(1);
      expect(connected.fabricFor, 'fabricFor(session) is the fabric of its pc').toBe(true);
      expect(connected.inbound, 'audio packets from the endpoint').toBeGreaterThan(0);
      expect(connected.outbound, 'audio packets to the endpoint').toBeGreaterThan(0);
      await expect.poll(async () => (await server.mediaCounts(callId)).audioPacketsReceived, POLL).toBeGreaterThan(0);
      expect(server.calls().find((c) => c.id === callId)).toMatchObject({ authorization: 'Bearer ek_test_key', channelOpen: true });
    });

    it('maps session.mute(true) and mute(false) to one audioMute and one audioUnmute; the SDK still mutes the track', async () => {
      const result = await harness.page.evaluate(() => window.realtimeScenarios.mute());
      expect(result.muted).toEqual([false]);
      expect(result.unmuted).toEqual([true]);
      expect(result.calls.slice(1).map((c) => c.rest[0])).toEqual(['audioMute', 'audioUnmute']);
    });

    it('reports neither an error event the model sends on oai-events nor an interruption: callstats.js has no event for them', async () => {
      await harness.page.evaluate(() => window.realtimeScenarios.listenForErrors());
      server.sendEvent(callId, { type: 'error', error: { type: 'invalid_request_error', code: 'unknown_parameter', message: 'test error' } });
      await expect.poll(() => harness.page.evaluate(() => window.realtimeScenarios.errorsHeard.length), POLL).toBe(1);
      const calls = await harness.page.evaluate(() => window.realtimeScenarios.interrupt());
      expect(calls.map((c) => c.method)).toEqual(['addNewFabric', 'sendFabricEvent', 'sendFabricEvent']);
    });

    it('session.close(): one fabricTerminated, last; no fabric, wrapper or media watcher left; the endpoint sees the call end', async () => {
      const closed = await harness.page.evaluate(() => window.realtimeScenarios.close());
      expect(closed.signalingState).toBe('closed');
      expect(closed.calls.map((c) => c.rest[0])).toEqual([MODEL, 'audioMute', 'audioUnmute', 'fabricTerminated']);
      expect(closed.fabrics).toBe(0);
      expect(closed.pcWrappers).toEqual([]);
      expect(closed.mediaWrappers).toEqual([]);
      expect(closed.appErrors).toEqual([]);
      await expect.poll(() => server.openCalls(), POLL).toBe(0);
    });
  });

  for (const status of [401, 503]) {
    it(`an endpoint answering ${status}: the SDK's error reported once as setRemoteDescription, the fabric ended once, nothing left open; the app sees what it sees without the shim`, async () => {
      const endpoint = refusing.get(status)!;
      const without = await harness.page.evaluate(
        ([url, id]) => window.realtimeScenarios.refused(url!, id!, false),
        [endpoint.baseUrl, `refused-${status}-bare`],
      );
      const withShim = await harness.page.evaluate(
        ([url, id]) => window.realtimeScenarios.refused(url!, id!, true),
        [endpoint.baseUrl, `refused-${status}`],
      );
      expect(without.appError).toMatch(new RegExp(`^Error: Realtime call request failed with status ${status}: refused by the test endpoint`));
      expect(withShim.appError).toBe(without.appError);
      expect(withShim.appOutcome).toEqual(without.appOutcome);
      expect(withShim.calls.map((c) => [c.method, c.rest[0]])).toEqual([
        ['addNewFabric', MODEL],
        ['reportError', `refused-${status}`],
        ['sendFabricEvent', 'fabricTerminated'],
      ]);
      expect(withShim.calls[1]!.rest.slice(1)).toEqual(['setRemoteDescription', withShim.appError]);
      expect(withShim.reportedIsAppError, 'the reported error is the very Error the app received').toBe(true);
      expect(withShim.signalingState).toBe('closed');
      expect(withShim.fabrics).toBe(0);
      expect(withShim.pcWrappers).toEqual([]);
      expect(withShim.mediaWrappers).toEqual([]);
      expect(endpoint.posts).toBe(2);
      expect(endpoint.calls()).toEqual([]);
    });
  }

  it('an endpoint that cannot be reached (fetch fails): the TypeError reported once as setRemoteDescription, the fabric ended once', async () => {
    // Port 9 (discard): nothing listens there, the connection is refused.
    const url = 'http://127.0.0.1:9/v1/realtime/calls';
    const without = await harness.page.evaluate(([u]) => window.realtimeScenarios.refused(u!, 'unreachable-bare', false), [url]);
    const withShim = await harness.page.evaluate(([u]) => window.realtimeScenarios.refused(u!, 'unreachable', true), [url]);
    expect(without.appError).toMatch(/^TypeError: /);
    expect(withShim.appError).toBe(without.appError);
    expect(withShim.calls.map((c) => [c.method, c.rest[0], c.rest[1]])).toEqual([
      ['addNewFabric', MODEL, 'multiplex'],
      ['reportError', 'unreachable', 'setRemoteDescription'],
      ['sendFabricEvent', 'fabricTerminated', 'unreachable'],
    ]);
    expect(withShim.reportedIsAppError, 'the reported error is the very TypeError the app received').toBe(true);
    expect(withShim.fabrics).toBe(0);
  });

  it('twenty sessions in a row, each with its own monitor: twenty fabrics added and ended, nothing left on pcs or mediaDevices, nothing retained after a collection', async () => {
    const cdp = await harness.page.context().newCDPSession(harness.page);
    const alive = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return harness.page.evaluate(() => window.realtimeScenarios.alive());
    };
    await harness.page.evaluate(() => window.realtimeScenarios.forget());
    const before = server.calls().length;
    const result = await harness.page.evaluate(([url]) => window.realtimeScenarios.serial(url!, 20, true), [server.baseUrl]);
    expect(result.tally).toEqual({ addNewFabric: 20, fabricTerminated: 20, other: 0, failed: 0, fabricsLeft: 0 });
    expect(result.pcWrappers, 'wrappers left on the closed pcs').toBe(0);
    expect(result.mediaWrappers, 'wrappers left on navigator.mediaDevices').toBe(0);
    expect(server.calls().length - before).toBe(20);
    await expect.poll(() => server.openCalls(), POLL).toBe(0);
    // No monitor outlives its session. (The transports do, with or without the shim: Chromium
    // keeps each closed pc, and the pc holds its transport through the SDK's own handlers.)
    await expect.poll(async () => (await alive()).monitors, POLL).toBe(0);
    await cdp.detach();
  });
});
