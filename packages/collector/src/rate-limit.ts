/**
 * A token bucket per client address, for the routes that need no auth. Bounded: past
 * `maxClients` addresses the fullest buckets (idle clients) are forgotten first.
 */
export interface RateLimiter {
  /** 0 when the request may go, else the seconds until it could. */
  take(client: string, nowMs: number): number;
}

export function createRateLimiter(perSecond: number, burst: number, maxClients = 10_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client, nowMs) {
      let bucket = buckets.get(client);
      if (!bucket) {
        if (buckets.size >= maxClients) {
          for (const [key, b] of buckets) {
            if (b.tokens + ((nowMs - b.at) / 1000) * perSecond >= burst) buckets.delete(key);
          }
          if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value!);
        }
        buckets.set(client, (bucket = { tokens: burst, at: nowMs }));
      }
      bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * perSecond);
      bucket.at = nowMs;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    },
  };
}
