// @shims/webrtc in real Chromium beyond the conformance suite: SDKs' probe pcs and a real PeerJS
// call under the tap, the constructor and its statics, coexistence with rtcstats and app patches,
// vendor shims beside it, bad arguments, and a WHEP player against a real WHEP endpoint. One
// browser; each case in a fresh page of its own (rtcstats changes a page's globals for good).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertAddedBeforeFirstEvent,
  assertFailureReported,
  freePort,
  openHarness,
  runCase,
  startServerProcess,
  startWhepServer,
  type Harness,
  type ServerProcess,
  type WhepTestServer,
} from '@shims/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioCases } from './scenario-cases.ts';
import type {} from './scenarios-page.ts';

const require = createRequire(import.meta.url);
let harness: Harness;
let whep: WhepTestServer;
let peerServer: ServerProcess;

beforeAll(async () => {
  whep = await startWhepServer();
  const started = await startPeerServer();
  peerServer = started.server;
  harness = await openHarness({
    entry: fileURLToPath(new URL('./scenarios-page.ts', import.meta.url)),
    config: { whepEndpoint: whep.endpoint, peerServerPort: started.port },
  });
});

afterAll(async () => {
  await harness?.close();
  await whep?.close();
  await peerServer?.stop();
});

/** PeerJS's real PeerServer (npm `peer` 1.0.2) on 127.0.0.1, as a child process. */
async function startPeerServer(): Promise<{ port: number; server: ServerProcess }> {
  const port = await freePort();
  // The package's exports hide its bin script: it sits beside the main entry.
  const bin = join(dirname(require.resolve('peer')), 'bin', 'peerjs.js');
  const server = await startServerProcess({
    command: process.execPath,
    args: [bin, '--host', '127.0.0.1', '--port', String(port), '--key', 'peerjs', '--path', '/'],
    readyWhen: /Started PeerServer/,
  });
  return { port, server };
}

/** Runs a case in a fresh page (the page's globals are the case's alone), then closes it. */
async function run<K extends keyof ScenarioCases>(name: K, ...args: Parameters<ScenarioCases[K]>): Promise<Awaited<ReturnType<ScenarioCases[K]>>> {
  const page = await harness.page.context().newPage();
  try {
    await page.goto(harness.url);
    await page.waitForFunction(() => (window as { __shimsReady?: boolean }).__shimsReady === true, null, { timeout: 10_000 });
    return (await page.evaluate(
      ([caseName, caseArgs]: readonly [keyof ScenarioCases, readonly unknown[]]) =>
        (window.__webrtcCases![caseName] as (...a: unknown[]) => Promise<unknown>)(...caseArgs),
      [name, args] as const,
    )) as Awaited<ReturnType<ScenarioCases[K]>>;
  } finally {
    await page.close();
  }
}

describe('monitorPeerConnections: probe pcs never reach callstats.js', () => {
  it("PeerJS 1.5.5's probes at import and Twilio Video 2.36.0's codec probe are built through the tap, and none is added; a call after them is", async () => {
    const result = await run('probes');
    expect(result.peerjsSupports, "PeerJS's probes ran and found WebRTC").toEqual({ data: true, audioVideo: true });
    expect(result.opus, "Twilio's codec probe read the codecs from its offer").toBe(true);
    expect(result.counts.peerjs, "PeerJS's probe pcs built through the tap").toBeGreaterThanOrEqual(1);
    expect(result.counts.twilio, "Twilio's codec probe pc built through the tap").toBe(1);
    expect(result.probes.every((p) => p.closed)).toBe(true);
    const added = result.calls.filter((c) => c.method === 'addNewFabric');
    const probeIndexes = result.probes.map((p) => p.index);
    expect(
      added.filter((c) => c.pc < 0 || probeIndexes.includes(c.pc)),
      'probe pcs added',
    ).toEqual([]);
    expect(added, 'the call after the probes: both pcs').toHaveLength(2);
    expect(result.audio).toBe(true);
    expect(result.violations).toEqual([]);
  });
});

describe('monitorPeerConnections with a real SDK that has no shim in the page', () => {
  it("a PeerJS 1.5.5 call through its PeerServer: its probes never added, the caller's and the callee's pcs added once each and ended once each, audio arrives", async () => {
    const result = await run('peerjsCall');
    expect(result.probes.length, "PeerJS's probe pcs at import").toBeGreaterThanOrEqual(1);
    expect(result.audio).toBe(true);
    const added = result.calls.filter((c) => c.method === 'addNewFabric');
    expect(
      added.filter((c) => result.probes.includes(c.pc)),
      'probes added',
    ).toEqual([]);
    // PeerJS's media offer has more sections than the audio sent: the SDP's usage is multiplex.
    expect(added.map((c) => c.what).sort()).toEqual(['callee (multiplex)', 'caller (multiplex)']);
    const ended = result.calls.filter((c) => c.method === 'sendFabricEvent' && c.what === 'fabricTerminated').map((c) => c.pc);
    expect(ended.sort()).toEqual(added.map((c) => c.pc).sort());
    expect(result.violations).toEqual([]);
  });
});

describe('monitorPeerConnections: the global constructor', () => {
  it("keeps instanceof, prototype, name, generateCertificate and subclasses; registers a subclass pc at its negotiation, not a pc that never negotiates; dispose puts back exactly what was there (the globals and the prototype's methods)", async () => {
    const result = await run('constructorShape');
    expect(result).toMatchObject({
      replaced: true,
      aliasReplaced: true,
      instanceOf: true,
      subclassMethod: 'hello',
      prototypeKept: true,
      name: 'RTCPeerConnection',
      certificateExpires: true,
      certificateUsed: true,
      subclassRegistered: true,
      unnegotiatedRegistered: false,
      restored: true,
      prototypeRestored: true,
      violations: [],
    });
    expect(result.calls.filter((c) => c.method === 'addNewFabric')).toHaveLength(1);
  });

  for (const order of ['rtcstats-first', 'tap-first'] as const) {
    it(`with the real rtcstats 5.2.0 and an app's prototype patch installed ${order === 'rtcstats-first' ? 'before' : 'after'} the tap: every layer works, dispose ${order === 'rtcstats-first' ? 'restores rtcstats as the global' : 'leaves rtcstats on top, the tap under it forwarding only'}`, async () => {
      const result = await run('coexistence', order);
      expect(result).toEqual({
        audio: [true, true],
        fabricsDuring: 2,
        terminatedDuring: 2,
        callsAfterDispose: 0,
        rtcstatsTracedDuring: true,
        rtcstatsTracedAfter: true,
        appPatchDuring: 2,
        appPatchAfter: 2,
        globalAfterDispose: 'rtcstats',
        instanceOf: true,
        certificate: true,
        violations: [],
      });
    });
  }
});

describe('monitorPeerConnections: pcs it did not build, and ownership', () => {
  it('addPeerConnection registers a pc built before the tap once; monitorPeerConnection leaves a pc the tap holds to it', async () => {
    const result = await run('handOver');
    expect(result.sameHandle).toBe(true);
    expect(result.singleMonitoring).toBe(false);
    expect(result.calls.map((c) => `${c.method} ${String(c.what)}`)).toEqual(['addNewFabric bob (audio)', 'sendFabricEvent fabricTerminated']);
    expect(result.violations).toEqual([]);
  });

  it('a pc a vendor shim registered at its creation is left to it (never added twice); the tap registers the others', async () => {
    const result = await run('vendorShimBeside');
    expect(result.vendorCalls).toEqual(['addNewFabric vendor (audio)', 'sendFabricEvent fabricTerminated']);
    expect(result.tapCalls).toEqual(['addNewFabric tap (audio)', 'sendFabricEvent fabricTerminated']);
    expect(result.violations).toEqual([]);
  });

  it("runs the app's include, remoteUserID and fabricUsage per pc; one that throws is warned about, never thrown into the app", async () => {
    const result = await run('appCallbacks');
    expect(result.calls.filter((c) => c.method === 'addNewFabric').map((c) => c.what)).toEqual(['from-config (video)', 'remote (video)']);
    expect(result.warnings.join('\n')).toMatch(/remoteUserID threw/);
    expect(result.violations).toEqual([]);
  });

  it('throws a TypeError naming the bad argument, and changes nothing', async () => {
    const result = await run('badArguments');
    expect(result.untouched).toBe(true);
    expect(result.calls).toBe(0);
    expect(result.results).toEqual({
      noClient: expect.stringMatching(/^TypeError: monitorPeerConnections: client must have addNewFabric/),
      noConference: expect.stringMatching(/^TypeError: monitorPeerConnections: options.conferenceID must be a non-empty string/),
      badInclude: expect.stringMatching(/^TypeError: monitorPeerConnections: options.include must be a function/),
      badUsage: expect.stringMatching(/^TypeError: monitorPeerConnections: options.fabricUsage must be one of/),
      badUser: expect.stringMatching(/^TypeError: monitorPeerConnections: options.remoteUserID must be a non-empty string/),
      noPc: expect.stringMatching(/^TypeError: monitorPeerConnection: pc must be an RTCPeerConnection/),
      noUser: expect.stringMatching(/^TypeError: monitorPeerConnection: options.remoteUserID must be a non-empty string/),
      badAdd: expect.stringMatching(/^TypeError: monitorPeerConnections addPeerConnection: options.fabricUsage must be one of/),
    });
  });
});

describe('monitorPeerConnections: an app that awaits createOffer() and createAnswer()', () => {
  it('adds every pc once, at its first setLocalDescription/setRemoteDescription: after the first negotiationneeded only, before any other event', async () => {
    const reference = await runCase(harness, 'lifecycle', 'none', 'global-explicit');
    const report = await runCase(harness, 'lifecycle', 'recording', 'global-explicit');
    // The documented limit: the caller's first negotiationneeded fires while it awaits createOffer().
    const early = report.pcs.filter((pc) => {
      const add = report.calls.find((c) => c.method === 'addNewFabric' && c.pc === pc.index);
      return pc.firstEvent && add && add.seq > pc.firstEvent.seq;
    });
    expect(early.map((pc) => pc.firstEvent!.type)).toEqual(['negotiationneeded']);
    const withoutNegotiationNeeded = { ...report, pcs: report.pcs.map((pc) => (early.includes(pc) ? { ...pc, firstEvent: null } : pc)) };
    assertAddedBeforeFirstEvent(withoutNegotiationNeeded, reference);
  });

  for (const fn of ['createOffer', 'createAnswer'] as const) {
    it(`a ${fn} failure before the pc negotiated registers it and is reported once with the original error`, async () => {
      const reference = await runCase(harness, `fail:${fn}`, 'none', 'global-explicit');
      assertFailureReported(fn, await runCase(harness, `fail:${fn}`, 'recording', 'global-explicit'), reference);
    });
  }
});

describe('WHEP playback (medooze whip-whep 1.2.0) against the testkit WHEP endpoint', () => {
  for (const entry of ['global', 'pc'] as const) {
    it(`${entry === 'global' ? 'under monitorPeerConnections' : 'with monitorPeerConnection'}: the player's pc is added once, audio arrives, the player's stop() ends the fabric once; the server saw the PATCH trickle and the DELETE`, async () => {
      const sessionsBefore = whep.sessions().length;
      const result = await run('whepPlayback', entry);
      expect(result.audio, 'inbound audio packets').toBe(true);
      expect(result.packets).toBeGreaterThan(0);
      expect(result.calls.map((c) => `${c.method} ${String(c.what)}`)).toEqual([
        'addNewFabric whep-server (audio)',
        'sendFabricEvent fabricTerminated',
      ]);
      expect(result.violations).toEqual([]);
      const session = whep.sessions()[sessionsBefore]!;
      expect(session).toMatchObject({ deleted: true });
      expect(session.patches, 'trickle PATCH requests').toBeGreaterThan(0);
    });
  }
});
