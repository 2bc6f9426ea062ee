// The collector's load generator: N simulated fabrics, each posting the real 23-entry callstats.js
// stats batch every interval (callstats.js's own cadence is 10 s), spread evenly over the
// interval, to a collector in its own process on 127.0.0.1 (or two behind a balancer: see
// collector-deployment.ts). Open loop: a send leaves at its scheduled time whether or not
// earlier ones were answered, and its latency counts from that time, so a slow collector cannot
// slow the generator down and hide its own queue. Bounded: at most fabrics × ceil(seconds /
// interval) sends, and a fixed wait for the last answers.
import { Agent, request } from 'node:http';
import { startDeployment, type CollectorDeployment, type CollectorStorage } from './collector-deployment.ts';
import { cpuSeconds, rssMiB, storageBytes } from './collector-process.ts';
import { fabricSetupText, STATS_BYTES, STATS_ENTRIES, statsBatchText, userJoinedText } from './collector-traffic.ts';

export interface CollectorLoadCounts {
  fabrics: number;
  intervalMs: number;
  seconds: number;
  /** Fabrics per simulated user (one callstats.js client, one token, one ucID). */
  fabricsPerUser: number;
  /** Keep-alive connections the generator opens at most. */
  sockets: number;
  /** RSS sampled this often (ms). */
  sampleMs: number;
}

export interface CollectorLoadResult {
  /** The set-up measured (absent in results from before there were several: SQLite). */
  storage?: CollectorStorage;
  counts: CollectorLoadCounts;
  targetPerSecond: number;
  statsBytes: number;
  statsEntries: number;
  sent: number;
  acknowledged: number;
  /** 503 answers (load shed): the send failed, callstats.js never resends. */
  shed: number;
  /** Requests shed, by the collector's reason (its shedding log lines). */
  shedReasons: Record<string, number>;
  /** Other non-200 answers, by status. */
  otherStatus: Record<string, number>;
  /** Connection errors, resets, sends unanswered after 30 s or when the wait ended. */
  failed: number;
  /**
   * Sends not made because 4 × `sockets` were already waiting (a browser's request would time
   * out the same way): an open-loop generator must not queue without bound (it ran out of heap
   * once, 3 GB of queued batches behind a collector that could not keep up).
   */
  unsent: number;
  /** Batches found in the database after the collector was killed with SIGKILL. */
  stored: number;
  /** Acknowledged batches missing from the database: must be 0. */
  lostAcknowledged: number;
  acknowledgedPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /**
   * From the moment the request was handed to the socket pool: with `latencyMs` (from the
   * scheduled time) it tells a slow collector from a starved generator (`lateMs`: how late the
   * generator itself sent, p99).
   */
  sentLatencyMs: { p50: number; p99: number; max: number };
  lateMsP99: number;
  /** Requests the balancer gave each collector (two collectors only). */
  servedPerCollector?: number[];
  /** Collector CPU (user + system, every collector process) per acknowledged batch, ms. */
  cpuMsPerBatch: number;
  /** Growth of the database (`shims_collector_storage_bytes`) per acknowledged batch, and for one fabric-hour. */
  storageBytesPerBatch: number;
  bytesPerFabricHour: number;
  /** RSS of the collector processes together. */
  rss: { second: number; mib: number }[];
}

interface Fabric {
  connectionID: string;
  ucID: string;
  path: string;
  token: string;
  sent: number;
  acknowledged: number;
}

const APP_ID = '123456789';

interface Answer {
  status: number;
  text: string;
}

function post(agent: Agent, url: string, path: string, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/${path}`,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A set-up request, sent again after a second while the collector sheds load (503) or a
 * connection was reset (at most 30 times): set-up is not measured, and thousands of clients
 * joining at once is not the load asked for.
 */
async function postSetUp(agent: Agent, url: string, path: string, body: string, headers: Record<string, string>): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await post(agent, url, path, body, headers).catch((error: unknown) => {
      if (attempt === 30) throw error;
      return { status: 503, text: String(error) };
    });
    if (answer.status !== 503 || attempt === 30) {
      if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.text}`);
      return answer;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Runs `work` over `items`, `parallel` at a time. */
async function eachLimited<T>(items: T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** What a callstats.js client does before its first batch: authenticate, join, set each pc up. */
async function setUpFabrics(agent: Agent, url: string, counts: CollectorLoadCounts): Promise<Fabric[]> {
  const users = Array.from({ length: Math.ceil(counts.fabrics / counts.fabricsPerUser) }, (_, i) => i);
  const fabrics: Fabric[] = [];
  const json = { 'content-type': 'application/json' };
  await eachLimited(users, 32, async (u) => {
    const userID = `load-user-${u}`;
    const auth = await postSetUp(agent, url, 'auth/authenticate', `client_id=${userID}%40${APP_ID}&grant_type=authorization_code&code=bench`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    const token = (JSON.parse(auth.text) as { access_token: string }).access_token;
    const headers = { ...json, authorization: `Bearer ${token}` };
    // Two users per conference, as in a one-to-one call.
    const conference = `load-room-${Math.floor(u / 2)}`;
    const joined = await postSetUp(agent, url, `events/${APP_ID}/conferences/${conference}`, userJoinedText(Date.now()), headers);
    const ucID = (JSON.parse(joined.text) as { ucID: string }).ucID;
    for (let f = 0; f < counts.fabricsPerUser && fabrics.length < counts.fabrics; f++) {
      const connectionID = `c-${u}-${f}`;
      await postSetUp(
        agent,
        url,
        `events/${APP_ID}/conferences/${conference}/${ucID}/events/fabric/setup`,
        fabricSetupText(connectionID, `load-user-${u ^ 1}`, Date.now()),
        headers,
      );
      fabrics.push({ connectionID, ucID, path: `stats/${APP_ID}/conferences/${conference}/${ucID}/stats`, token, sent: 0, acknowledged: 0 });
    }
  });
  return fabrics;
}

const quantile = (sorted: number[], q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Sends every fabric's batches on schedule; resolves when all are answered or the wait ended. */
async function drive(agent: Agent, collector: CollectorDeployment, fabrics: Fabric[], counts: CollectorLoadCounts) {
  const perFabric = Math.ceil((counts.seconds * 1000) / counts.intervalMs);
  const latencies: number[] = [];
  const sentLatencies: number[] = [];
  const lateness: number[] = [];
  const otherStatus: Record<string, number> = {};
  let shed = 0;
  let failed = 0;
  let pending = 0;
  let unsent = 0;
  const started = performance.now();
  const rssNow = (): number => collector.processes.reduce((sum, p) => sum + rssMiB(p.pid), 0);
  const rss: { second: number; mib: number }[] = [{ second: 0, mib: rssNow() }];
  const sampler = setInterval(() => rss.push({ second: Math.round((performance.now() - started) / 1000), mib: rssNow() }), counts.sampleMs);
  const send = (fabric: Fabric, scheduled: number): void => {
    if (pending >= counts.sockets * 4) {
      unsent++;
      return;
    }
    pending++;
    const body = statsBatchText(fabric.connectionID, fabric.sent++, Date.now());
    const sentAt = performance.now();
    lateness.push(sentAt - scheduled);
    post(agent, collector.url, fabric.path, body, { 'content-type': 'application/json', authorization: `Bearer ${fabric.token}` })
      .then((answer) => {
        if (answer.status === 200) {
          fabric.acknowledged++;
          latencies.push(performance.now() - scheduled);
          sentLatencies.push(performance.now() - sentAt);
        } else if (answer.status === 503) shed++;
        else otherStatus[answer.status] = (otherStatus[answer.status] ?? 0) + 1;
      })
      .catch(() => failed++)
      .finally(() => pending--);
  };
  // Send k of fabric i is due at started + (k + i / N) × interval.
  const total = perFabric * fabrics.length;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (next < total) {
        const k = Math.floor(next / fabrics.length);
        const i = next % fabrics.length;
        const due = started + (k + i / fabrics.length) * counts.intervalMs;
        if (due > now) break;
        send(fabrics[i]!, due);
        next++;
      }
      if (next < total) setTimeout(tick, 2);
      else resolve();
    };
    tick();
  });
  // The last answers: a bounded wait, then whatever is unanswered counts as failed.
  const deadline = performance.now() + 30_000;
  while (pending > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  rss.push({ second: Math.round(elapsed), mib: rssNow() });
  return { latencies, sentLatencies, lateness, otherStatus, shed, failed: failed + pending, unsent, sent: next, elapsed, rss };
}

function shedReasons(lines: string[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const line of lines) {
    const { reasons } = JSON.parse(line) as { reasons: Record<string, number> };
    for (const [reason, n] of Object.entries(reasons)) total[reason] = (total[reason] ?? 0) + n;
  }
  return total;
}

/**
 * One run of one set-up: fresh collector(s) and database, the fabrics set up, the load, then
 * kill -9 of every collector and each fabric's batches counted in the database.
 */
export async function measureCollectorLoad(counts: CollectorLoadCounts, storage: CollectorStorage = 'sqlite'): Promise<CollectorLoadResult> {
  const collector = await startDeployment(storage);
  const agent = new Agent({ keepAlive: true, maxSockets: counts.sockets, maxFreeSockets: counts.sockets });
  const cpuNow = (): number => collector.processes.reduce((sum, p) => sum + cpuSeconds(p.pid), 0);
  try {
    const fabrics = await setUpFabrics(agent, collector.url, counts);
    const bytesBefore = await storageBytes(collector.url);
    const servedBefore = [...collector.served()];
    const cpuBefore = cpuNow();
    const run = await drive(agent, collector, fabrics, counts);
    const cpu = cpuNow() - cpuBefore;
    const bytesAfter = await storageBytes(collector.url);
    const served = collector.served().map((n, i) => n - servedBefore[i]!);
    await collector.kill();
    const stored = await collector.storedPerFabric();
    let lost = 0;
    let storedTotal = 0;
    for (const f of fabrics) {
      const n = stored.get(`${f.ucID}/${f.connectionID}`) ?? 0;
      storedTotal += n;
      lost += Math.max(0, f.acknowledged - n);
    }
    const acknowledged = fabrics.reduce((s, f) => s + f.acknowledged, 0);
    const sorted = run.latencies.sort((a, b) => a - b);
    const sortedSent = run.sentLatencies.sort((a, b) => a - b);
    const bytesPerBatch = acknowledged > 0 ? (bytesAfter - bytesBefore) / acknowledged : Number.NaN;
    return {
      storage,
      counts,
      targetPerSecond: (counts.fabrics * 1000) / counts.intervalMs,
      statsBytes: STATS_BYTES,
      statsEntries: STATS_ENTRIES,
      sent: run.sent,
      acknowledged,
      shed: run.shed,
      shedReasons: shedReasons(collector.processes.flatMap((p) => p.sheddingLines)),
      otherStatus: run.otherStatus,
      failed: run.failed,
      unsent: run.unsent,
      stored: storedTotal,
      lostAcknowledged: lost,
      acknowledgedPerSecond: acknowledged / run.elapsed,
      latencyMs: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN },
      sentLatencyMs: { p50: quantile(sortedSent, 0.5), p99: quantile(sortedSent, 0.99), max: sortedSent.at(-1) ?? Number.NaN },
      lateMsP99: quantile(
        run.lateness.sort((a, b) => a - b),
        0.99,
      ),
      ...(served.length > 0 ? { servedPerCollector: served } : {}),
      cpuMsPerBatch: acknowledged > 0 ? (cpu * 1000) / acknowledged : Number.NaN,
      storageBytesPerBatch: bytesPerBatch,
      // callstats.js sends one batch per fabric every 10 s: 360 an hour.
      bytesPerFabricHour: bytesPerBatch * 360,
      rss: run.rss,
    };
  } finally {
    agent.destroy();
    await collector.remove();
  }
}
