import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAppSecret, type AppCredentials } from './options.js';
import { createCollector, DATA_FILE_NAME, type Collector } from './server.js';

export const USAGE = `Usage: shims-collector [options]

A local callstats.io-compatible collector for the real callstats.js.

  --port <n>                 port to listen on (default 8088; 0 picks a free one)
  --host <addr>              address to listen on (default 127.0.0.1)
  --data-dir <dir>           keep collector.sqlite there (default ./.shims-collector)
  --memory                   keep nothing on disk
  --app <appID>:<secret>     accept this app's secret, as passed to callstats.initialize
                             (<appID>:<keyId>:<secret> for a keyId:secret); repeatable
  --accept-any-token         development: accept any token for any app
  --submission-interval <ms> how often the library sends stats batches
  --collect-sdp              ask the library to send SDP
  --max-body-bytes <n>       larger bodies get 413 (default 1048576)
  --integrations <dir>       serve the integrations page built by pnpm integrations
                             (site/dist) at /integrations/
  -h, --help                 show this help
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

function parseApp(value: string): [string, AppCredentials] {
  const colon = value.indexOf(':');
  const appID = value.slice(0, colon);
  if (colon < 0 || !/^\d+$/.test(appID) || colon === value.length - 1) throw new Error(`--app must be <appID>:<secret>, got ${JSON.stringify(value)}`);
  return [appID, parseAppSecret(value.slice(colon + 1))];
}

/** The snippet a page needs (shared/CALLSTATS.md, "Five settings the page needs"). */
export function pageSnippet(collector: Collector, appID: string): string {
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

const done = (exitCode: number): CliRun => ({ exitCode, stopped: Promise.resolve(), stop: () => Promise.resolve() });

/** Everything `shims-collector` does, with its outside world passed in (so tests can drive it). */
export async function runCli(argv: string[], io: CliIO): Promise<CliRun> {
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
        app: { type: 'string', multiple: true },
        'accept-any-token': { type: 'boolean' },
        'submission-interval': { type: 'string' },
        'collect-sdp': { type: 'boolean' },
        'max-body-bytes': { type: 'string' },
        integrations: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.help) {
      io.out(USAGE);
      return done(0);
    }
    apps = Object.fromEntries((values.app ?? []).map(parseApp));
    if (Object.keys(apps).length === 0 && !values['accept-any-token']) throw new Error('give --app <appID>:<secret> (or --accept-any-token for development)');
  } catch (error) {
    io.err(`shims-collector: ${(error as Error).message}\n\n${USAGE}`);
    return done(2);
  }
  const dataDir = values.memory ? undefined : resolve(values['data-dir'] ?? '.shims-collector');
  let collector: Collector;
  try {
    const submissionInterval = integer('submission-interval', values['submission-interval'], undefined);
    const maxBodyBytes = integer('max-body-bytes', values['max-body-bytes'], undefined);
    collector = await createCollector({
      port: integer('port', values.port, 8088),
      host: values.host ?? '127.0.0.1',
      apps,
      acceptAnyToken: values['accept-any-token'] === true,
      ...(values['collect-sdp'] ? { collectSDP: true } : {}),
      ...(submissionInterval !== undefined ? { submissionInterval } : {}),
      ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
      ...(dataDir !== undefined ? { dataDir } : {}),
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
      `  storage:   ${dataDir !== undefined ? resolve(dataDir, DATA_FILE_NAME) : 'memory (nothing kept)'}`,
      `  accepts:   ${auth.join(', ')}`,
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
