// Several collectors, one database: two collector processes (the CLI, each on its own port) share
// one PostgreSQL database and one token key behind a round-robin HTTP proxy, so each request of a
// call may land on either. Recorded callstats.js calls go through it; every batch must be kept
// once, a token or ucID from one collector must work at the other, and both must answer the
// query API alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ID, eventBody, getJson, postJson, replaySample, SAMPLE, type SampleRequest } from './helpers.js';
import { withClient } from './postgres-server.js';
import { startRoundRobin } from './round-robin.js';
import { postgresServer } from './storage-drivers.js';

const OPERATOR_TOKEN = randomBytes(24).toString('base64url');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The CLI from the sources in a child process; its URL once it listens. */
async function startCollectorProcess(database: string, tokenKey: string): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'several-collectors-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      new URL('./fixtures/run-src-cli.mjs', import.meta.url).pathname,
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--database',
      database,
      '--accept-any-token',
      '--quiet',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SHIMS_COLLECTOR_TOKEN_KEY: tokenKey, SHIMS_COLLECTOR_OPERATOR_TOKEN: OPERATOR_TOKEN },
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    // Bounded: a collector that does not stop within 15 s is killed (and the test fails on its code).
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
    return code;
  };
  cleanups.push(() => void stop());
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => reject(new Error(`exited: ${output}`)));
  });
  return { url, stop };
}

/** The recorded call moved to its own conference, so several can run at once (the ucID mark stays for replaySample). */
const ROOM = /(?<!uc-)example-room/g;
const callIn = (room: string): SampleRequest[] =>
  SAMPLE.map((r) => ({ ...r, path: r.path.replace(ROOM, room), body: JSON.parse(JSON.stringify(r.body ?? null).replace(ROOM, room)) }));

const read = async <T>(url: string): Promise<T> => {
  const { status, body } = await getJson<T>(url, OPERATOR_TOKEN);
  expect(status, url).toBe(200);
  return body;
};

describe('two collectors, one PostgreSQL database, a round-robin load balancer', () => {
  it('keeps every batch once, takes each other’s tokens and ucIDs, and answers the query API alike', async () => {
    const database = await (await postgresServer()).createDatabase();
    const tokenKey = randomBytes(32).toString('hex');
    // Started together on a new database: they migrate it one at a time.
    const [a, b] = await Promise.all([startCollectorProcess(database, tokenKey), startCollectorProcess(database, tokenKey)]);
    const balancer = await startRoundRobin([a.url, b.url]);
    cleanups.push(() => balancer.close());

    const rooms = ['room-1', 'room-2', 'room-3', 'room-4'];
    const replays = await Promise.all(rooms.map((room) => replaySample({ url: balancer.url }, callIn(room))));
    for (const { statuses } of replays) expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Both collectors served about half (a call's requests alternate between them).
    const total = balancer.served[0]! + balancer.served[1]!;
    expect(total).toBe(rooms.length * SAMPLE.length);
    expect(Math.min(...balancer.served)).toBeGreaterThanOrEqual(Math.floor(total / 2) - 1);

    // Every stats batch and event kept exactly once, each batch as the text that was sent.
    const sentStats = SAMPLE.filter((r) => r.path.endsWith('/stats'));
    const sentEvents = SAMPLE.filter((r) => r.method === 'POST' && r.path.startsWith('events/'));
    const counts = await withClient(database, async (c) => ({
      batches: (
        await c.query<{ conference_id: string; n: string }>(
          'SELECT conference_id, COUNT(*) AS n FROM stats_batches GROUP BY conference_id ORDER BY 1',
        )
      ).rows,
      events: (
        await c.query<{ conference_id: string; n: string }>('SELECT conference_id, COUNT(*) AS n FROM events GROUP BY conference_id ORDER BY 1')
      ).rows,
      users: Number((await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM users')).rows[0]!.n),
    }));
    expect(counts.batches).toEqual(rooms.map((room) => ({ conference_id: room, n: String(sentStats.length) })));
    expect(counts.events).toEqual(rooms.map((room) => ({ conference_id: room, n: String(sentEvents.length) })));
    expect(counts.users).toBe(rooms.length);
    for (const [i, room] of rooms.entries()) {
      const fabrics = await read<{ fabrics: { connectionID: string; ucID: string }[] }>(`${a.url}/api/conferences/${room}/fabrics`);
      const kept: string[] = [];
      for (const { connectionID } of fabrics.fabrics) {
        const { batches } = await read<{ batches: { raw?: string }[] }>(`${b.url}/api/conferences/${room}/fabrics/${connectionID}/batches?raw=1`);
        kept.push(...batches.map((batch) => batch.raw!));
      }
      const sent = callIn(room)
        .filter((r) => r.path.endsWith('/stats'))
        .map((r) => JSON.stringify(r.body).replaceAll('uc-example-room', replays[i]!.ucID));
      expect(kept.sort()).toEqual(sent.sort());
    }

    // A token from one collector is good at the other, and so is the ucID it issued.
    const auth = await fetch(`${a.url}/auth/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=carol%40${APP_ID}&grant_type=authorization_code&code=x`,
    });
    const { access_token: token } = (await auth.json()) as { access_token: string };
    const joined = await postJson(
      `${b.url}/events/${APP_ID}/conferences/room-1`,
      eventBody({ eventType: 'userJoined', localID: 'carol', connectionID: undefined }),
      token,
    );
    expect(joined.status).toBe(200);
    const { ucID } = (await joined.json()) as { ucID: string };
    const event = await postJson(
      `${a.url}/events/${APP_ID}/conferences/room-1/${ucID}/events/fabric/statechange`,
      eventBody({ localID: 'carol' }),
      token,
    );
    expect(event.status).toBe(200);

    // The query API is the same from either collector.
    for (const path of ['/api/conferences', '/api/conferences/room-1/fabrics', '/api/conferences/room-2/events?limit=50', '/api/logs']) {
      expect(await read(`${a.url}${path}`), path).toEqual(await read(`${b.url}${path}`));
    }
    const conferences = await read<{ conferences: { conferenceID: string; users: unknown[] }[] }>(`${b.url}/api/conferences`);
    expect(conferences.conferences.map((c) => [c.conferenceID, c.users.length]).sort()).toEqual([
      ['room-1', 2],
      ['room-2', 1],
      ['room-3', 1],
      ['room-4', 1],
    ]);

    // Both stop cleanly on SIGTERM.
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
  });
});
