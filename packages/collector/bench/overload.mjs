// Overload benchmark: a collector in a child process (built CLI, dist/), hammered from this
// process by `--writers` concurrent loops for `--seconds`, all on 127.0.0.1. Prints how many
// requests were acknowledged, shed (503) or failed (reset), the answer latency percentiles,
// and checks that every acknowledged event is in the database (after a kill -9).
//   node bench/overload.mjs --writers 600 --seconds 10 [--max-in-flight 512]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { writers: { type: 'string', default: '600' }, seconds: { type: 'string', default: '10' }, 'max-in-flight': { type: 'string', default: '512' } } });
const writers = Math.min(Number(values.writers), 5000);
const seconds = Math.min(Number(values.seconds), 60);

const dataDir = mkdtempSync(join(tmpdir(), 'shims-collector-bench-'));
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--accept-any-token', '--quiet', '--max-in-flight', values['max-in-flight'], '--rate', '100000'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.once('exit', () => reject(new Error(out)));
});
const auth = await fetch(`${url}/auth/authenticate`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=bench%40123456789&grant_type=authorization_code&code=x' });
const { access_token: token } = await auth.json();
const body = (extra) => JSON.stringify({ callstatsVersion: '3.73.16', timestamp: Date.now(), eventType: 'fabricStateChange', localID: 'bench', remoteID: 'peer', connectionID: 'pc', changedState: 'iceConnectionState', prevState: 'checking', newState: 'connected', ...extra });
const joined = await fetch(`${url}/events/123456789/conferences/bench-room`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body({ eventType: 'userJoined' }) });
const { ucID } = await joined.json();
const eventsURL = `${url}/events/123456789/conferences/bench-room/${ucID}/events/fabric/statechange`;

const latencies = [];
const acknowledged = [];
let shed = 0, failed = 0, other = 0, seq = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(Array.from({ length: writers }, async (_, w) => {
  while (Date.now() < until) {
    const n = seq++;
    const started = performance.now();
    try {
      const res = await fetch(eventsURL, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body({ seq: n, connectionID: `pc-${w}` }) });
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      if (res.status === 200) acknowledged.push(n);
      else if (res.status === 503) (shed++, await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000)));
      else other++;
    } catch {
      failed++;
    }
  }
}));
child.kill('SIGKILL');
await new Promise((r) => child.once('exit', r));
const { DatabaseSync } = await import('node:sqlite');
const db = new DatabaseSync(join(dataDir, 'collector.sqlite'));
const stored = new Set(db.prepare("SELECT json_extract(body, '$.seq') AS seq FROM events WHERE event_type = 'fabricStateChange'").all().map((r) => r.seq));
db.close();
rmSync(dataDir, { recursive: true, force: true });
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(0) : '-');
console.log(JSON.stringify({
  writers, seconds, acknowledged: acknowledged.length, perSecond: Math.round(acknowledged.length / seconds), shed503: shed, failed, other,
  latencyMs: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: latencies.length ? latencies.at(-1).toFixed(0) : '-' },
  lostAfterKill9: acknowledged.filter((n) => !stored.has(n)).length,
}));
