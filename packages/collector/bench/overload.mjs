// Overload benchmark: a collector in a child process (built CLI, dist/), hammered from this
// process by `--writers` concurrent loops for `--seconds` (and at most `--max-requests` in all),
// all on 127.0.0.1. A writer answered 503 waits its Retry-After, as a well-behaved client does.
// Prints how many requests were acknowledged, shed (503) or failed (reset), the latency
// percentiles of the acknowledged requests (and of the 503s apart), and checks that every
// acknowledged event is in the database (after a kill -9).
//   node bench/overload.mjs --writers 300 --seconds 10 [--max-in-flight 512] [--max-queue-delay 100]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    writers: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '10' },
    'max-requests': { type: 'string', default: '200000' },
    'max-in-flight': { type: 'string' },
    'max-queue-delay': { type: 'string' },
  },
});
const writers = Math.min(Number(values.writers), 5000);
const seconds = Math.min(Number(values.seconds), 60);
const maxRequests = Math.min(Number(values['max-requests']), 1_000_000);
const limits = [
  ...(values['max-in-flight'] ? ['--max-in-flight', values['max-in-flight']] : []),
  ...(values['max-queue-delay'] ? ['--max-queue-delay', values['max-queue-delay']] : []),
];

const dataDir = mkdtempSync(join(tmpdir(), 'shims-collector-bench-'));
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--accept-any-token', '--quiet', '--rate', '100000', ...limits], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
// The collector's own log: its shedding-episode lines.
const episodes = [];
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
    for (const line of out.split('\n').slice(0, -1)) if (line.includes('"shedding load') && !episodes.includes(line)) episodes.push(line);
  });
  child.once('exit', () => reject(new Error(out)));
});
const auth = await fetch(`${url}/auth/authenticate`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'client_id=bench%40123456789&grant_type=authorization_code&code=x',
});
const { access_token: token } = await auth.json();
const body = (extra) =>
  JSON.stringify({
    callstatsVersion: '3.73.16',
    timestamp: Date.now(),
    eventType: 'fabricStateChange',
    localID: 'bench',
    remoteID: 'peer',
    connectionID: 'pc',
    changedState: 'iceConnectionState',
    prevState: 'checking',
    newState: 'connected',
    ...extra,
  });
const joined = await fetch(`${url}/events/123456789/conferences/bench-room`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: body({ eventType: 'userJoined' }),
});
const { ucID } = await joined.json();
const eventsURL = `${url}/events/123456789/conferences/bench-room/${ucID}/events/fabric/statechange`;

// node:http with one keep-alive socket per writer. (Measured with fetch, a few requests sat for
// seconds in undici's pool before being sent, while the collector answered every request it
// had read within 100 ms: that measured the client, not the collector.)
const agent = new Agent({ keepAlive: true, maxSockets: writers, maxFreeSockets: writers });
const post = (text) =>
  new Promise((resolve, reject) => {
    const req = request(
      eventsURL,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
// Warm-up, not measured: every writer's connection opened (one GET /healthz each, never shed),
// so the figures are of a sustained overload, not of 300 connections being set up at once.
await Promise.all(
  Array.from(
    { length: writers },
    () =>
      new Promise((resolve, reject) => {
        const req = request(`${url}/healthz`, { agent }, (res) => (res.resume(), res.on('end', resolve)));
        req.on('error', reject);
        req.end();
      }),
  ),
);
const latencies = [];
const shedLatencies = [];
const acknowledged = [];
let shed = 0,
  failed = 0,
  other = 0,
  seq = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: writers }, async (_, w) => {
    while (Date.now() < until && seq < maxRequests) {
      const n = seq++;
      const started = performance.now();
      try {
        const res = await post(body({ seq: n, connectionID: `pc-${w}` }));
        const ms = performance.now() - started;
        if (res.status === 200) {
          acknowledged.push(n);
          latencies.push(ms);
        } else if (res.status === 503) {
          shed++;
          shedLatencies.push(ms);
          const wait = Math.min(5, Number(res.retryAfter ?? 1)) * 1000;
          await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, until - Date.now()))));
        } else other++;
      } catch {
        failed++;
      }
    }
  }),
);
await new Promise((r) => setTimeout(r, 2500)); // a calm second (and the 1 s timer): the episode's log line
agent.destroy();
child.kill('SIGKILL');
await new Promise((r) => child.once('exit', r));
const { DatabaseSync } = await import('node:sqlite');
const db = new DatabaseSync(join(dataDir, 'collector.sqlite'));
const stored = new Set(
  db
    .prepare("SELECT json_extract(body, '$.seq') AS seq FROM events WHERE event_type = 'fabricStateChange'")
    .all()
    .map((r) => r.seq),
);
db.close();
rmSync(dataDir, { recursive: true, force: true });
const percentiles = (list) => {
  list.sort((a, b) => a - b);
  const at = (p) => (list.length ? Math.round(list[Math.min(list.length - 1, Math.floor(list.length * p))]) : null);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: list.length ? Math.round(list.at(-1)) : null };
};
console.log(
  JSON.stringify({
    writers,
    seconds,
    limits: limits.join(' ') || 'defaults',
    acknowledged: acknowledged.length,
    perSecond: Math.round(acknowledged.length / seconds),
    shed503: shed,
    failed,
    other,
    acceptedLatencyMs: percentiles(latencies),
    shedLatencyMs: percentiles(shedLatencies),
    lostAfterKill9: acknowledged.filter((n) => !stored.has(n)).length,
    sheddingLogLines: episodes.length,
  }),
);
