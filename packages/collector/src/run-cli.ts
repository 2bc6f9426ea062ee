import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSync, backup as sqliteBackup } from 'node:sqlite';
import { isLoopbackHost, parseAppSecret, type AppCredentials, type CollectorLogger } from './options.js';
import { createCollector, DATA_FILE_NAME, type Collector } from './server.js';

const USAGE = `Usage: shims-collector [options]
       shims-collector backup [--data-dir <dir>] <out-file>

A local callstats.io-compatible collector for the real callstats.js.

  --port <n>                 port to listen on (default 8088; 0 picks a free one)
  --host <addr>              address to listen on (default 127.0.0.1); a non-loopback
                             address needs an operator token given explicitly
  --data-dir <dir>           keep collector.sqlite there (default ./.shims-collector)
  --memory                   keep nothing on disk
  --database <url>           keep everything in PostgreSQL instead (postgres://user@host/db,
                             or env SHIMS_COLLECTOR_DATABASE; the password best in PGPASSWORD
                             or ~/.pgpass); several collectors may share one database
  --app <appID>:<secret>     accept this app's secret, as passed to callstats.initialize
                             (<appID>:<keyId>:<secret> for a keyId:secret); repeatable
  --accept-any-token         development: accept any token for any app
  --require-jwt-exp          refuse app JWTs without exp (or exp over 24 h ahead)
  --submission-interval <ms> how often the library sends stats batches
  --collect-sdp              ask the library to send SDP (it carries IP addresses); adds
                             sdpSubmissionEvent to the ingested events
  --ingested-events <list>   events the library sends only when listed, comma-separated
                             (e.g. connectedDeviceList,applicationErrorLog); repeatable

Reads (query API, dashboard, /metrics) need the operator token:
  --operator-token-file <f>  read it from a file (or env SHIMS_COLLECTOR_OPERATOR_TOKEN);
                             default on loopback: <data-dir>/operator-token, made once
  --operator-token <t>       give it on the command line (visible to ps: prefer the file)
  --dev-open-reads           development: no operator token, reads open to this machine
                             (loopback only; said at start-up)
  --allowed-host <name>      a Host name to answer besides localhost and IPs; repeatable
  --read-cors-origin <o>     an origin allowed to read cross-origin; repeatable
  --trust-proxy              behind a reverse proxy: rate-limit by the last X-Forwarded-For

Access tokens:
  --token-key-file <f>       HMAC key of the access tokens, made once if missing (or env
                             SHIMS_COLLECTOR_TOKEN_KEY); default <data-dir>/token-key, so
                             a restart does not 401 every client
  --token-ttl <s>            access token lifetime (default 3600)

Limits:
  --max-body-bytes <n>       larger bodies get 413 (default 1048576)
  --max-log-body-bytes <n>   larger collector/generics bodies get 413 (default 65536)
  --max-log-storage <size>   library log lines kept, oldest deleted first (default 16MiB)
  --max-storage <size>       database size cap: past it writes get 507 (default none)
  --rate <n>                 requests/s per address on the routes without auth (default 50)
  --max-in-flight <n>        requests at once before 503 (default 512)
  --max-queue-delay <ms>     how long a request may wait for the busy server before 503
                             (default 100): bounds the latency of accepted requests
  --max-event-loop-delay <ms> mean event-loop delay before 503 (default 300)
  --max-connections <n>      open connections at most (default 2048)
  --retain <duration>        delete what is older (e.g. 30d, 12h) hourly, space reclaimed
  --quiet                    no access log lines (start-up and shedding lines stay)

  --integrations <dir>       serve the integrations page built by pnpm integrations
                             (site/dist) at /integrations/
  -h, --help                 show this help

Logs are JSON lines on stdout; SIGTERM/SIGINT drain requests in flight, then stop.
Sizes take KiB, MiB, GiB suffixes; durations s, m, h, d.
`;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Where SIGINT/SIGTERM are heard (process.once in the real CLI). */
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
}

export interface CliRun {
  /** Set when the CLI ends at once (help, bad arguments). */
  exitCode?: number;
  collector?: Collector;
  /** Resolves once a signal (or `stop`) closed the collector. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

function integer(name: string, value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** `30d`, `12h`, `90m`, `45s` → ms. */
function parseDuration(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(s|m|h|d)$/.exec(value);
  if (!match) throw new Error(`--${name} must be a number with s, m, h or d (e.g. 30d), got ${JSON.stringify(value)}`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

/** `1048576`, `64KiB`, `16MiB`, `2GiB` → bytes. */
function parseSize(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(KiB|MiB|GiB)?$/.exec(value);
  if (!match) throw new Error(`--${name} must be bytes, optionally with KiB, MiB or GiB, got ${JSON.stringify(value)}`);
  return Number(match[1]) * (match[2] === 'GiB' ? 2 ** 30 : match[2] === 'MiB' ? 2 ** 20 : match[2] === 'KiB' ? 1024 : 1);
}

/** A secret kept in a file: read it, or make one (mode 600) when the file does not exist. */
function secretFile(path: string, make: () => string): string {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${make()}\n`, { mode: 0o600, flag: 'wx' });
  }
  const value = readFileSync(path, 'utf8').trim();
  if (value.length < 16) throw new Error(`${path} must hold at least 16 characters`);
  return value;
}

/** Structured logs: one JSON object per line. */
function jsonLogger(write: (line: string) => void, access: boolean): CollectorLogger {
  const line = (level: string, msg: string, fields: Record<string, unknown> = {}): void =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  return {
    error: (message, error) =>
      line(
        'error',
        message,
        error === undefined ? {} : { error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) },
      ),
    info: (message, fields) => line('info', message, fields),
    ...(access ? { access: (fields: Record<string, unknown>) => line('info', 'request', fields) } : {}),
  };
}

/** `shims-collector backup`: a consistent copy through SQLite's backup API, safe while the collector runs. */
async function runBackup(argv: string[], io: CliIO): Promise<CliRun> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { 'data-dir': { type: 'string' } } }));
    if (positionals.length !== 1) throw new Error('backup needs one <out-file>');
  } catch (error) {
    io.err(`shims-collector: ${(error as Error).message}\n\n${USAGE}`);
    return done(2);
  }
  const source = resolve(values['data-dir'] ?? '.shims-collector', DATA_FILE_NAME);
  const target = resolve(positionals[0]!);
  try {
    if (!existsSync(source)) throw new Error(`no database at ${source}`);
    if (existsSync(target)) throw new Error(`${target} exists: give a new file`);
    const db = new DatabaseSync(source, { readOnly: true });
    try {
      mkdirSync(dirname(target), { recursive: true });
      const pages = await sqliteBackup(db, target);
      io.out(`@shims/collector: backed up ${source} to ${target} (${pages} pages)\n`);
    } finally {
      db.close();
    }
  } catch (error) {
    io.err(`shims-collector: backup failed: ${(error as Error).message}\n`);
    return done(1);
  }
  return done(0);
}

function parseApp(value: string): [string, AppCredentials] {
  const colon = value.indexOf(':');
  const appID = value.slice(0, colon);
  if (colon < 0 || !/^\d+$/.test(appID) || colon === value.length - 1)
    throw new Error(`--app must be <appID>:<secret>, got ${JSON.stringify(value)}`);
  return [appID, parseAppSecret(value.slice(colon + 1))];
}

/** The snippet a page needs (shared/CALLSTATS.md, "Five settings the page needs"). */
function pageSnippet(collector: Collector, appID: string): string {
  const p = collector.proxyConfig;
  return `// before <script src="callstats.min.js">:
window.csioproxy = true; window.module = { exports: {} };
// then:
const cs = new callstats();
cs.setProxyConfig({
  authServiceURL: '${p.authServiceURL}',
  collectorURL: '${p.collectorURL}',
  restEventURL: '${p.restEventURL}',
  restStatsURL: '${p.restStatsURL}',
  appSettingsURL: '${p.appSettingsURL}',
});
cs.initialize('${appID}', appSecretOrTokenGenerator, userID, initCallback, statsCallback,
  { disablePrecalltest: true, collectIP: false, collectHeadsetStats: false, collectLegacyStats: false });`;
}

/** A database URL fit to print: its password replaced. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(a postgres:// URL)';
  }
}

const done = (exitCode: number): CliRun => ({ exitCode, stopped: Promise.resolve(), stop: () => Promise.resolve() });

/** Everything `shims-collector` does, with its outside world passed in (so tests can drive it). */
export async function runCli(argv: string[], io: CliIO, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  if (argv[0] === 'backup') return runBackup(argv.slice(1), io);
  let apps: Record<string, AppCredentials>;
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        memory: { type: 'boolean' },
        database: { type: 'string' },
        app: { type: 'string', multiple: true },
        'accept-any-token': { type: 'boolean' },
        'submission-interval': { type: 'string' },
        'collect-sdp': { type: 'boolean' },
        'ingested-events': { type: 'string', multiple: true },
        'max-body-bytes': { type: 'string' },
        'require-jwt-exp': { type: 'boolean' },
        'operator-token-file': { type: 'string' },
        'operator-token': { type: 'string' },
        'dev-open-reads': { type: 'boolean' },
        'allowed-host': { type: 'string', multiple: true },
        'read-cors-origin': { type: 'string', multiple: true },
        'token-key-file': { type: 'string' },
        'token-ttl': { type: 'string' },
        'max-log-body-bytes': { type: 'string' },
        'max-log-storage': { type: 'string' },
        'max-storage': { type: 'string' },
        rate: { type: 'string' },
        'max-in-flight': { type: 'string' },
        'max-queue-delay': { type: 'string' },
        'max-event-loop-delay': { type: 'string' },
        'max-connections': { type: 'string' },
        retain: { type: 'string' },
        quiet: { type: 'boolean' },
        'trust-proxy': { type: 'boolean' },
        integrations: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.help) {
      io.out(USAGE);
      return done(0);
    }
    apps = Object.fromEntries((values.app ?? []).map(parseApp));
    if (values['require-jwt-exp']) for (const app of Object.values(apps)) app.requireExp = true;
    if (Object.keys(apps).length === 0 && !values['accept-any-token'])
      throw new Error('give --app <appID>:<secret> (or --accept-any-token for development)');
  } catch (error) {
    io.err(`shims-collector: ${(error as Error).message}\n\n${USAGE}`);
    return done(2);
  }
  const dataDir = values.memory ? undefined : resolve(values['data-dir'] ?? '.shims-collector');
  // A URL with a password is better kept out of the command line (ps shows it): the env var.
  const database = values.database ?? env.SHIMS_COLLECTOR_DATABASE;
  const host = values.host ?? '127.0.0.1';
  const logger = jsonLogger(io.out, values.quiet !== true);
  let collector: Collector;
  let operatorSource: string;
  try {
    const submissionInterval = integer('submission-interval', values['submission-interval'], undefined);
    const maxBodyBytes = integer('max-body-bytes', values['max-body-bytes'], undefined);
    // The operator token: flag, env, file; on loopback a file in the data dir made once.
    let operatorToken: string | undefined = values['operator-token'] ?? env.SHIMS_COLLECTOR_OPERATOR_TOKEN;
    operatorSource = values['operator-token'] !== undefined ? '--operator-token' : 'env SHIMS_COLLECTOR_OPERATOR_TOKEN';
    if (operatorToken === undefined && values['operator-token-file'] !== undefined) {
      operatorToken = secretFile(resolve(values['operator-token-file']), () => randomBytes(24).toString('base64url'));
      operatorSource = resolve(values['operator-token-file']);
    }
    if (database !== undefined && values.memory) throw new Error('--database and --memory exclude each other');
    const devOpenReads = values['dev-open-reads'] === true;
    if (devOpenReads && operatorToken !== undefined) throw new Error('--dev-open-reads and an operator token exclude each other');
    if (devOpenReads && !isLoopbackHost(host)) throw new Error(`--dev-open-reads only on a loopback host, not ${host}`);
    if (operatorToken === undefined && !devOpenReads) {
      if (!isLoopbackHost(host))
        throw new Error(
          `--host ${host} is not loopback: reads must be authorised; give --operator-token-file (or env SHIMS_COLLECTOR_OPERATOR_TOKEN)`,
        );
      const file = join(dataDir ?? '', 'operator-token');
      operatorToken = dataDir !== undefined ? secretFile(file, () => randomBytes(24).toString('base64url')) : randomBytes(24).toString('base64url');
      operatorSource = dataDir !== undefined ? file : `made for this run: ${operatorToken}`;
    }
    const tokenKeyFile = values['token-key-file'] ?? (dataDir !== undefined ? join(dataDir, 'token-key') : undefined);
    const tokenKey =
      env.SHIMS_COLLECTOR_TOKEN_KEY ??
      (tokenKeyFile !== undefined ? secretFile(resolve(tokenKeyFile), () => randomBytes(32).toString('hex')) : undefined);
    const tokenTtlSeconds = integer('token-ttl', values['token-ttl'], undefined);
    const maxLogBodyBytes = parseSize('max-log-body-bytes', values['max-log-body-bytes']);
    const maxLogStorageBytes = parseSize('max-log-storage', values['max-log-storage']);
    const maxStorageBytes = parseSize('max-storage', values['max-storage']);
    const rate = integer('rate', values.rate, undefined);
    const maxInFlight = integer('max-in-flight', values['max-in-flight'], undefined);
    const maxQueueDelayMs = integer('max-queue-delay', values['max-queue-delay'], undefined);
    const maxEventLoopDelayMs = integer('max-event-loop-delay', values['max-event-loop-delay'], undefined);
    const maxConnections = integer('max-connections', values['max-connections'], undefined);
    const retainMs = parseDuration('retain', values.retain);
    collector = await createCollector({
      port: integer('port', values.port, 8088),
      host,
      logger,
      ...(operatorToken !== undefined ? { operatorToken } : { openReads: true }),
      ...(tokenKey !== undefined ? { tokenKey } : {}),
      ...(tokenTtlSeconds !== undefined ? { tokenTtlSeconds } : {}),
      ...(maxLogBodyBytes !== undefined ? { maxLogBodyBytes } : {}),
      ...(maxLogStorageBytes !== undefined ? { maxLogStorageBytes } : {}),
      ...(maxStorageBytes !== undefined ? { maxStorageBytes } : {}),
      ...(rate !== undefined ? { unauthenticatedRatePerSecond: rate, unauthenticatedBurst: Math.max(rate * 4, 1) } : {}),
      ...(maxInFlight !== undefined ? { maxInFlight } : {}),
      ...(maxQueueDelayMs !== undefined ? { maxQueueDelayMs } : {}),
      ...(maxEventLoopDelayMs !== undefined ? { maxEventLoopDelayMs } : {}),
      ...(maxConnections !== undefined ? { maxConnections } : {}),
      ...(retainMs !== undefined ? { retainMs } : {}),
      ...(values['trust-proxy'] ? { trustProxy: true } : {}),
      ...(values['allowed-host'] !== undefined ? { allowedHosts: values['allowed-host'] } : {}),
      ...(values['read-cors-origin'] !== undefined ? { readCorsOrigins: values['read-cors-origin'] } : {}),
      apps,
      acceptAnyToken: values['accept-any-token'] === true,
      ...(values['collect-sdp'] ? { collectSDP: true } : {}),
      ...(values['ingested-events'] !== undefined
        ? {
            ingestedEvents: values['ingested-events']
              .flatMap((list) => list.split(','))
              .map((name) => name.trim())
              .filter(Boolean),
          }
        : {}),
      ...(submissionInterval !== undefined ? { submissionInterval } : {}),
      ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
      ...(dataDir !== undefined ? { dataDir } : {}),
      ...(database !== undefined ? { database } : {}),
      ...(values.integrations !== undefined ? { integrationsDir: resolve(values.integrations) } : {}),
    });
  } catch (error) {
    io.err(`shims-collector: ${(error as Error).message}\n`);
    return done(1);
  }
  const auth = [...Object.keys(apps).map((id) => `app ${id} (secret)`), ...(values['accept-any-token'] ? ['any token (development)'] : [])];
  io.out(
    [
      `@shims/collector listening on ${collector.url}`,
      `  storage:   ${database !== undefined ? `PostgreSQL ${withoutPassword(database)}` : dataDir !== undefined ? resolve(dataDir, DATA_FILE_NAME) : 'memory (nothing kept)'}`,
      `  accepts:   ${auth.join(', ')}`,
      `  reads:     ${collector.readAccess === 'open-loopback' ? 'OPEN to this machine (--dev-open-reads): no operator token' : `operator token (${operatorSource}); log in at ${collector.url}/login`}`,
      `  metrics:   ${collector.url}/metrics  ·  health: ${collector.url}/healthz, ${collector.url}/readyz`,
      `  dashboard: ${collector.url}/`,
      `  query API: ${collector.url}/api/conferences`,
      ...(values.integrations !== undefined ? [`  integrations: ${collector.url}/integrations/`] : []),
      '',
      pageSnippet(collector, Object.keys(apps)[0] ?? '123456789'),
      '',
    ].join('\n'),
  );
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= collector.close().then(() => io.out('@shims/collector stopped\n'));
    return stopping;
  };
  let stopped!: () => void;
  const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));
  const onSignal = (): void => void stop().then(stopped, stopped);
  io.onSignal('SIGINT', onSignal);
  io.onSignal('SIGTERM', onSignal);
  return { collector, stopped: stoppedPromise, stop: () => stop().then(() => stopped()) };
}
