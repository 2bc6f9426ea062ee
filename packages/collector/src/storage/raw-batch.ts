import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A stats batch kept as the exact text callstats.js sent, deflated (raw deflate, built into
 * every Node: no dependency, and a preset dictionary works on every Node the collector runs on).
 * A fabric's later batches are deflated with its first batch as the dictionary: two batches of
 * one pc repeat its certificates, candidates, codecs and field names, so a 12 KB batch becomes
 * about 1 KB instead of about 3 KB alone. Recovering one needs that first batch, never a chain.
 */
export function deflateBatch(text: string, dictionary?: Buffer): Buffer {
  // Level 3: with the dictionary about 1.2 KB a batch in 150 µs; level 6 saves 200 B for 40 % more CPU.
  return deflateRawSync(Buffer.from(text, 'utf8'), { level: 3, ...(dictionary ? { dictionary } : {}) });
}

export function inflateBatch(blob: Uint8Array, dictionary?: Buffer): string {
  return inflateBatchBytes(blob, dictionary).toString('utf8');
}

/**
 * The batch's UTF-8 bytes, as deflated: what a dictionary is. Taken as bytes, a dictionary is
 * not decoded to a string and encoded back (two 12 KB copies for every batch stored).
 */
export function inflateBatchBytes(blob: Uint8Array, dictionary?: Buffer): Buffer {
  return inflateRawSync(blob, dictionary ? { dictionary } : {});
}

/** A stored body split as the API has always answered it: `stats` (an array) and the rest. */
export function splitBatch(text: string): { stats: unknown[]; body: Record<string, unknown> } {
  const { stats, ...body } = JSON.parse(text) as Record<string, unknown>;
  return { stats: Array.isArray(stats) ? stats : [stats ?? null], body };
}
