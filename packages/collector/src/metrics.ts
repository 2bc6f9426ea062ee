/**
 * The collector's Prometheus metrics, in the text exposition format (version 0.0.4). A handful
 * of counters, gauges and one histogram: written out here rather than through a client library.
 */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const labels = (values: Record<string, string>): string => {
  const parts = Object.entries(values).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

export interface Metrics {
  request(route: string, status: number, seconds: number): void;
  shed(reason: string): void;
  rateLimited(): void;
  storageFull(): void;
  /** The text for `GET /metrics`; the gauges are read when it is asked for. */
  render(gauges: Record<string, { help: string; value: number }>): string;
}

export function createMetrics(): Metrics {
  const requests = new Map<string, number>();
  const durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const shed = new Map<string, number>();
  let rateLimited = 0;
  let storageFull = 0;
  return {
    request(route, status, seconds) {
      const key = `${route}\n${status}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      let d = durations.get(route);
      if (!d) durations.set(route, (d = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      for (const [i, le] of BUCKETS.entries()) if (seconds <= le) d.buckets[i]!++;
      d.sum += seconds;
      d.count++;
    },
    shed(reason) {
      shed.set(reason, (shed.get(reason) ?? 0) + 1);
    },
    rateLimited() {
      rateLimited++;
    },
    storageFull() {
      storageFull++;
    },
    render(gauges) {
      const out: string[] = [];
      out.push('# HELP shims_collector_requests_total Requests answered, by route and status.', '# TYPE shims_collector_requests_total counter');
      for (const [key, n] of requests) {
        const [route, status] = key.split('\n') as [string, string];
        out.push(`shims_collector_requests_total${labels({ route, status })} ${n}`);
      }
      out.push(
        '# HELP shims_collector_request_duration_seconds Time to answer, by route.',
        '# TYPE shims_collector_request_duration_seconds histogram',
      );
      for (const [route, d] of durations) {
        for (const [i, le] of BUCKETS.entries())
          out.push(`shims_collector_request_duration_seconds_bucket${labels({ route, le: String(le) })} ${d.buckets[i]}`);
        out.push(`shims_collector_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${d.count}`);
        out.push(`shims_collector_request_duration_seconds_sum${labels({ route })} ${d.sum}`);
        out.push(`shims_collector_request_duration_seconds_count${labels({ route })} ${d.count}`);
      }
      out.push(
        '# HELP shims_collector_shed_total Requests refused with 503 to stay responsive, by reason.',
        '# TYPE shims_collector_shed_total counter',
      );
      for (const [reason, n] of shed) out.push(`shims_collector_shed_total${labels({ reason })} ${n}`);
      out.push(
        '# HELP shims_collector_rate_limited_total Requests refused with 429 on the routes without auth.',
        '# TYPE shims_collector_rate_limited_total counter',
      );
      out.push(`shims_collector_rate_limited_total ${rateLimited}`);
      out.push(
        '# HELP shims_collector_storage_full_total Writes refused with 507 (disk or size cap full).',
        '# TYPE shims_collector_storage_full_total counter',
      );
      out.push(`shims_collector_storage_full_total ${storageFull}`);
      for (const [name, g] of Object.entries(gauges)) {
        out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.value}`);
      }
      return `${out.join('\n')}\n`;
    },
  };
}
