import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, DATA_FILE_NAME } from '../src/index.js';
import { APP_ID, eventBody, postJson } from './helpers.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The CLI in a child process (from the sources), and its URL once it listens. */
async function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(
    process.execPath,
    [new URL('./fixtures/run-src-cli.mjs', import.meta.url).pathname, '--port', '0', '--data-dir', dataDir, '--accept-any-token', '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 10 s: ${output}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`exited: ${output}`)));
  });
  return { child, url, exited };
}

/**
 * Signs alice in and joins the room as callstats.js does. A collector just started on a loaded
 * machine may shed a first request (503 + Retry-After, as it should): like a client, try again
 * after the time it asks for, a bounded number of times, and fail clearly otherwise.
 */
async function joinRoom(url: string): Promise<{ eventsURL: string; token: string }> {
  const untilAnswered = async (send: () => Promise<Response>): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      const res = await send();
      if (res.status !== 503 || attempt === 20) return res;
      await new Promise((r) => setTimeout(r, Math.min(1_000, Number(res.headers.get('retry-after') ?? 1) * 1_000)));
    }
  };
  const auth = await untilAnswered(() =>
    fetch(`${url}/auth/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=alice%40${APP_ID}&grant_type=authorization_code&code=x`,
    }),
  );
  expect(auth.status, 'authenticate').toBe(200);
  const { access_token: token } = (await auth.json()) as { access_token: string };
  const joined = await untilAnswered(() => postJson(`${url}/events/${APP_ID}/conferences/room`, eventBody({ eventType: 'userJoined' }), token));
  expect(joined.status, 'userJoined').toBe(200);
  const { ucID } = (await joined.json()) as { ucID: string };
  return { token, eventsURL: `${url}/events/${APP_ID}/conferences/room/${ucID}/events/` };
}

/** `writers` loops posting numbered events until `stop()` or `max` each; what was acknowledged. */
function writeLoad(
  eventsURL: string,
  token: string,
  writers: number,
  max: number,
): { acknowledged: number[]; failures: string[]; stop(): void; done: Promise<void> } {
  const acknowledged: number[] = [];
  const failures: string[] = [];
  let stopped = false;
  let seq = 0;
  const done = Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = 0; i < max && !stopped; i++) {
        const n = seq++;
        try {
          const res = await postJson(`${eventsURL}fabric/statechange`, eventBody({ seq: n }), token);
          if (res.status === 200) acknowledged.push(n);
          else failures.push(String(res.status));
        } catch (error) {
          failures.push((error as Error).message);
          return;
        }
      }
    }),
  ).then(() => undefined);
  return { acknowledged, failures, stop: () => (stopped = true), done };
}

async function storedSeqs(dataDir: string): Promise<Set<number>> {
  const storage = createSqliteStorage({ file: joinPath(dataDir, DATA_FILE_NAME) });
  try {
    const events = await storage.listEvents({ conferenceID: 'room', eventType: 'fabricStateChange', limit: 10_000 });
    return new Set(events.map((e) => (e.body as { seq: number }).seq));
  } finally {
    await storage.close();
  }
}

describe('durability of a real collector process', () => {
  it('loses no acknowledged write under kill -9 mid-load', async () => {
    const dataDir = mkdtempSync(joinPath(tmpdir(), 'shims-collector-kill-'));
    dirs.push(dataDir);
    const { child, url, exited } = await startChild(dataDir);
    const { eventsURL, token } = await joinRoom(url);
    const load = writeLoad(eventsURL, token, 8, 400);
    for (let i = 0; i < 100 && load.acknowledged.length < 200; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    load.stop();
    await load.done;
    expect(load.acknowledged.length).toBeGreaterThanOrEqual(200);
    const stored = await storedSeqs(dataDir);
    expect(load.acknowledged.filter((n) => !stored.has(n))).toEqual([]);
  }, 30_000);

  it('drains requests in flight on SIGTERM: every request sent before it gets an answer, every 200 is stored', async () => {
    const dataDir = mkdtempSync(joinPath(tmpdir(), 'shims-collector-term-'));
    dirs.push(dataDir);
    const { child, url, exited } = await startChild(dataDir);
    const { eventsURL, token } = await joinRoom(url);
    const load = writeLoad(eventsURL, token, 8, 400);
    for (let i = 0; i < 100 && load.acknowledged.length < 100; i++) await new Promise((r) => setTimeout(r, 20));
    load.stop(); // no request starts after the signal; those in flight must be answered
    child.kill('SIGTERM');
    await load.done;
    expect(await exited).toBe(0);
    expect(load.failures.filter((f) => !/^(503)$/.test(f))).toEqual([]);
    const stored = await storedSeqs(dataDir);
    expect(load.acknowledged.filter((n) => !stored.has(n))).toEqual([]);
  }, 30_000);
});
