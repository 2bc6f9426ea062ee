// What the load generator sends: the real callstats.js 3.73.16 requests recorded in
// packages/collector/test/callstats-requests.sample.json, re-addressed per simulated user and
// fabric. A stats batch is a pre-split template so a send costs a few string joins (the
// generator shares the 2-core machine with the collector it measures).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES_DIR } from './paths.ts';

interface SampleRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

const SAMPLE: SampleRequest[] = JSON.parse(readFileSync(join(PACKAGES_DIR, 'collector', 'test', 'callstats-requests.sample.json'), 'utf8'));

function sampleBody(suffix: string, pick: (body: Record<string, unknown>) => boolean = () => true): Record<string, unknown> {
  const found = SAMPLE.find((r) => r.method === 'POST' && r.path.endsWith(suffix) && pick(r.body));
  if (!found) throw new Error(`the collector's request sample has no POST …${suffix}`);
  return found.body;
}

/** The largest stats batch of the sample: 23 RTCStats entries, 12.6 KB, both directions of audio. */
const STATS = SAMPLE.filter((r) => r.path.endsWith('/stats')).reduce((a, b) =>
  JSON.stringify(b.body).length > JSON.stringify(a.body).length ? b : a,
).body as { stats: Record<string, unknown>[] } & Record<string, unknown>;

const JOIN = sampleBody('/conferences/example-room');
const SETUP = sampleBody('/events/fabric/setup');

/** Entries whose numbers move between two batches of a live call (the rest describe the setup). */
const LIVE = new Set([
  'inbound-rtp',
  'outbound-rtp',
  'remote-inbound-rtp',
  'remote-outbound-rtp',
  'candidate-pair',
  'transport',
  'media-source',
  'media-playout',
  'data-channel',
]);
/** Numbers that name things, never counted: they stay. */
const FIXED = new Set(['ssrc', 'payloadType', 'clockRate', 'channels', 'port', 'priority', 'dataChannelIdentifier', 'trackIdentifier']);

/**
 * The stats batch as text pieces around markers (`"@@v<i>@@"`), one per moving number: the body's
 * and every entry's timestamp, the connection ID, and every counter or gauge of the live entries.
 * A batch therefore changes wherever a real one would, and compresses no better than a real one.
 */
function statsTemplate(): { pieces: string[]; bases: number[] } {
  const body = structuredClone(STATS);
  const bases: number[] = [];
  const marker = (base: number): string => `@@v${bases.push(base) - 1}@@`;
  body.timestamp = '@@time@@';
  body.connectionID = '@@connection@@';
  for (const entry of body.stats) {
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'timestamp') entry[key] = '@@time@@';
      else if (LIVE.has(String(entry.type)) && typeof value === 'number' && !FIXED.has(key)) entry[key] = marker(value);
    }
  }
  return { pieces: JSON.stringify(body).split(/("@@(?:time|connection|v\d+)@@")/), bases };
}
const TEMPLATE = statsTemplate();

export const STATS_ENTRIES = STATS.stats.length;

/** The value of moving number `i` in batch `n`: counters grow, gauges wander (deterministic). */
function moved(i: number, n: number): string {
  const base = TEMPLATE.bases[i]!;
  if (Number.isInteger(base)) return String(base + Math.round((n + 1) * (1 + (base % 997)) * (1 + ((i * 7919 + n * 104_729) % 13) / 13)));
  return (base * (0.75 + ((i * 31 + n * 17) % 50) / 100)).toFixed(6);
}

/** The n-th batch of a fabric: its clock, counters and gauges moved on since the previous one. */
export function statsBatchText(connectionID: string, n: number, now: number): string {
  return TEMPLATE.pieces
    .map((piece) => {
      if (piece === '"@@time@@"') return String(now);
      if (piece === '"@@connection@@"') return JSON.stringify(connectionID);
      const variable = /^"@@v(\d+)@@"$/.exec(piece);
      return variable ? moved(Number(variable[1]), n) : piece;
    })
    .join('');
}

export const STATS_BYTES = Buffer.byteLength(statsBatchText('c-00000000', 0, Date.now()));

export function userJoinedText(now: number): string {
  return JSON.stringify({ ...JOIN, timestamp: now });
}

export function fabricSetupText(connectionID: string, remoteID: string, now: number): string {
  return JSON.stringify({ ...SETUP, connectionID, remoteID, timestamp: now });
}
