// The Chime scenarios: the real amazon-chime-sdk-js 3.32 with @shims/amazon-chime
// (RecordingCallstats) in headless Chromium, against testkit's startChimeServer.
import { openHarness, type Harness, type ChimeTestServer } from '@shims/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryWithSdk } from './chime-bundle.ts';
import { chimeServer } from './chime-server.ts';
import type { ChimeScenarios, ScenarioCall } from './page-scenarios.ts';

declare const chimeScenarios: ChimeScenarios;

const POLL = { timeout: 15_000, interval: 100 };

describe('Chime scenarios: amazon-chime-sdk-js 3.32.0 with @shims/amazon-chime against the local Chime server', () => {
  let server: ChimeTestServer;
  let harness: Harness;
  let dispose = (): void => {};
  const page = <T>(fn: (api: ChimeScenarios, arg: never) => T | Promise<T>, arg?: unknown): Promise<T> =>
    harness.page.evaluate(([source, a]) => new Function('api', 'arg', `return (${source})(api, arg)`)(chimeScenarios, a) as T, [
      fn.toString(),
      arg,
    ] as const);
  const calls = (id: number) => page((api, i: number) => api.calls(i), id);
  const of = (list: ScenarioCall[], method: string) => list.filter((c) => c.method === method);
  const join = (meeting: string, user = 'alice') =>
    page((api, info: Parameters<ChimeScenarios['join']>[0]) => api.join(info), server.join(meeting, user));

  beforeAll(async () => {
    server = await chimeServer();
    const built = await entryWithSdk('3.32', new URL('./page-scenarios.ts', import.meta.url));
    dispose = built.dispose;
    harness = await openHarness({ entry: built.entry });
  });
  afterAll(async () => {
    await harness?.close();
    await server?.close();
    dispose();
  });

  it("maps remote attendees' cameras to their user IDs (present at join and joining later) and the mixed audio to the media server", async () => {
    server.addAttendee('scn-users', 'bob', { video: true });
    const id = await join('scn-users');
    await expect.poll(() => page((api, i: number) => api.tiles(i), id), POLL).toEqual(['bob camera']);
    const carol = server.addAttendee('scn-users', 'carol', { video: true });
    await expect.poll(() => page((api, i: number) => api.tiles(i), id), POLL).toEqual(['bob camera', 'carol camera']);
    await expect
      .poll(
        async () =>
          of(await calls(id), 'associateMstWithUserID')
            .map((c) => c.detail)
            .sort(),
        POLL,
      )
      .toEqual(['bob camera', 'carol camera', 'chime-media-server mixed-audio']);
    await expect.poll(() => page((api, i: number) => api.remoteAudioPackets(i), id), POLL).toBeGreaterThan(0);
    server.removeAttendee('scn-users', carol.attendeeId);
    await expect.poll(() => page((api, i: number) => api.tiles(i), id), POLL).toEqual(['bob camera']);
    await page((api, i: number) => api.leave(i), id);
    const all = await calls(id);
    expect(of(all, 'addNewFabric')).toHaveLength(1);
    expect(all.filter((c) => c.detail === 'fabricTerminated')).toHaveLength(1);
    expect(of(all, 'reportError')).toEqual([]);
    expect(new Set(of(all, 'associateMstWithUserID').map((c) => c.pc)), 'all on the one pc').toEqual(new Set([of(all, 'addNewFabric')[0]!.pc]));
    expect(await page((api, i: number) => api.violations(i), id)).toEqual([]);
  });

  it('maps mute, camera stop and start and a content share onto the attendee pc; the content share pc is a fabric of its own', async () => {
    const id = await join('scn-local');
    await page((api, i: number) => api.mute(i, true), id);
    await page((api, i: number) => api.mute(i, false), id);
    await page((api, i: number) => api.camera(i, true), id);
    await expect
      .poll(async () => server.mediaCounts('scn-local', server.clients('scn-local')[0]!).then((c) => c.videoPacketsReceived), POLL)
      .toBeGreaterThan(0);
    await page((api, i: number) => api.camera(i, false), id);
    await page((api, i: number) => api.camera(i, true), id);
    expect(await page((api, i: number) => api.contentShare(i), id)).toEqual({ started: true, stopped: true });
    await page((api, i: number) => api.leave(i), id);
    const all = await calls(id);
    const [attendee, content] = of(all, 'addNewFabric').map((c) => c.pc);
    const events = of(all, 'sendFabricEvent');
    expect(events.filter((c) => c.pc === attendee).map((c) => c.detail)).toEqual([
      'audioMute',
      'audioUnmute',
      'videoPause',
      'videoResume',
      'screenShareStart',
      'screenShareStop',
      'fabricTerminated',
    ]);
    expect(content, 'the content share pc was added').toBeDefined();
    expect(events.filter((c) => c.pc === content).map((c) => c.detail)).toEqual(['fabricTerminated']);
    expect(of(all, 'addNewFabric').map((c) => c.detail)).toEqual(['chime-media-server multiplex', 'chime-media-server multiplex']);
    expect(await page((api, i: number) => api.violations(i), id)).toEqual([]);
  });

  it('a dropped signaling connection: the SDK reconnects on a new pc; the old one ends once, the new one is added before its first call', async () => {
    server.addAttendee('scn-reconnect', 'bob');
    const id = await join('scn-reconnect');
    await expect.poll(async () => of(await calls(id), 'associateMstWithUserID').length, POLL).toBe(1);
    server.dropSignaling('scn-reconnect');
    await expect.poll(async () => of(await calls(id), 'addNewFabric').length, POLL).toBe(2);
    await expect.poll(async () => of(await calls(id), 'associateMstWithUserID').length, POLL).toBe(2);
    const all = await calls(id);
    const [first, second] = of(all, 'addNewFabric').map((c) => c.pc);
    expect(
      all.filter((c) => c.detail === 'fabricTerminated').map((c) => c.pc),
      'the old pc ended once',
    ).toEqual([first]);
    for (const pc of (await page((api, i: number) => api.order(i), id)).filter((p) => p.index === first || p.index === second)) {
      expect(pc.added, `pc #${pc.index} added`).not.toBeNull();
      expect(pc.added!, `pc #${pc.index} added before the SDK's first call on it`).toBeLessThan(pc.firstCall!);
    }
    await page((api, i: number) => api.leave(i), id);
    expect((await calls(id)).filter((c) => c.detail === 'fabricTerminated').map((c) => c.pc)).toEqual([first, second]);
    expect(await page((api, i: number) => api.violations(i), id)).toEqual([]);
  });

  it('20 sessions in a row: each pc added and ended once, and nothing of the shim left on a session after dispose', async () => {
    const joins = Array.from({ length: 20 }, (_, i) => server.join(`scn-row-${i}`, `user-${i}`));
    const rows = await page((api, list: Parameters<ChimeScenarios['sessionsInARow']>[0]) => api.sessionsInARow(list), joins);
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row).toEqual({ added: 1, terminated: 1, violations: 0, observersLeft: 0, plainFields: true });
    expect(server.peerStates().filter((p) => p.meetingId.startsWith('scn-row-') && p.connectionState !== 'closed')).toEqual([]);
  });
});
