// Against Debian's Janus, started here on loopback: WHIP publish to Debian's simple-whip-server
// (Janus as its media backend; the client is medooze's whip-whep 1.2.0), and janus.js with
// adapter.js (an SDK with a shim of its own, not loaded here) under the global tap.
import { fileURLToPath } from 'node:url';
import { openHarness, startJanus, startWhipServer, type Harness, type JanusTestServer, type WhipTestServer } from '@shims/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from './janus-page.ts';

let janus: JanusTestServer;
let harness: Harness;

beforeAll(async () => {
  // Not full_trickle: WHIP has no way to trickle the server's candidates, they go in the answer.
  janus = await startJanus({ fullTrickle: false });
  harness = await openHarness({ entry: fileURLToPath(new URL('./janus-page.ts', import.meta.url)), config: { janusUrl: janus.url } });
});

afterAll(async () => {
  await harness?.close();
  await janus?.stop();
});

/** A fresh page of the harness: each case's globals (adapter.js's, the tap's) are its own. */
async function freshPage() {
  const page = await harness.page.context().newPage();
  await page.goto(harness.url);
  await page.waitForFunction(() => (window as { __shimsReady?: boolean }).__shimsReady === true);
  return page;
}

describe('janus.js 1.4.2 with webrtc-adapter 9.0.6, loaded after monitorPeerConnections, in the EchoTest', () => {
  it("its pc is added once and ended once at hang-up, the echo arrives; adapter.js's patches and the tap both work", async () => {
    const page = await freshPage();
    try {
      const result = await page.evaluate(() => window.__janusEchoTest!());
      expect(result.audio, janus.output().slice(-2000)).toBe(true);
      expect(result.errors).toBe(0);
      expect(result.calls).toEqual(['addNewFabric janus.plugin.echotest (audio)', 'sendFabricEvent fabricTerminated']);
      expect(result.violations).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("WHIP publish (medooze whip-whep 1.2.0) to Debian's simple-whip-server and Janus", () => {
  let servers: WhipTestServer;
  let endpoints: Record<string, string>;
  beforeAll(async () => {
    servers = await startWhipServer(janus);
    endpoints = { global: await servers.createEndpoint('tap'), pc: await servers.createEndpoint('own-pc') };
  });
  afterAll(() => servers?.stop());

  for (const entry of ['global', 'pc'] as const) {
    it(`${entry === 'global' ? 'under monitorPeerConnections' : 'with monitorPeerConnection'}: audio and video bytes leave the pc, the pc is added once and ended once when the client stops (it closes the pc, then DELETEs the resource)`, async () => {
      const page = await freshPage();
      try {
        const result = await page.evaluate((which) => window.__whipPublish!(...which), [entry, endpoints[entry]!] as const);
        expect(result.connectionState, servers.output().slice(-3000)).toBe('connected');
        expect(result.sent.audio, 'audio bytes sent').toBeGreaterThan(0);
        expect(result.sent.video, 'video bytes sent').toBeGreaterThan(0);
        expect(result.calls).toEqual(['addNewFabric whip-server (multiplex)', 'sendFabricEvent fabricTerminated']);
        expect(result.violations).toEqual([]);
        // POST of the offer (201 with the resource), trickle PATCHes, and DELETE at stop(). The
        // server may have torn the session down already when Janus saw the DTLS close that
        // precedes the DELETE (then 404): either way the session is gone.
        expect(result.requests[0]).toBe('POST /whip/endpoint/:id 201');
        expect(result.requests.filter((r) => r === 'PATCH /whip/resource/:id 204').length, 'trickle PATCH requests').toBeGreaterThan(0);
        expect(result.requests.at(-1)).toMatch(/^DELETE \/whip\/resource\/:id (200|404)$/);
        const id = entry === 'global' ? 'tap' : 'own-pc';
        await expect
          .poll(() => servers.whipLog(), { timeout: 5_000 })
          .toMatch(new RegExp(`\\[${id}\\] (Terminating WHIP session|PeerConnection detected as closed)`));
      } finally {
        await page.close();
      }
    });
  }
});
