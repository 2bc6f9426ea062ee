// A throw-away PostgreSQL cluster for the tests: Debian's `postgresql` (15) binaries, a fresh
// data directory, listening on 127.0.0.1 only at a free port, stopped and deleted after. The
// real server, never an in-process stand-in: what the driver must survive is its locking,
// its types and its transactions. The bench's collector load runs on it too
// (bench/src/collector-deployment.ts imports this file): keep it free of test-runner imports.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian puts the server binaries; SHIMS_PG_BIN points elsewhere (another version). */
const pgBin = (): string => process.env.SHIMS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  port: number;
  /** The URL of the `postgres` database (the superuser, trust auth on loopback). */
  url: string;
  /** Makes a new, empty database and returns its URL: one per test keeps tests apart. */
  createDatabase(): Promise<string>;
  /**
   * Stops the server as a crash would (`-m immediate`: no checkpoint, connections cut), then
   * starts it again on the same port: what was committed must be there.
   */
  crashAndRestart(): Promise<void>;
  /** Stops the server and deletes its directory. */
  stop(): Promise<void>;
}

/** Fails, never skips: a machine without the binaries must not pass the PostgreSQL tests by running none. */
function binary(name: string): string {
  const path = join(pgBin(), name);
  if (!existsSync(path)) {
    throw new Error(
      `PostgreSQL server binaries not found (${path}): install Debian's postgresql (apt-get install -y postgresql), or set SHIMS_PG_BIN to a bin directory with initdb and pg_ctl`,
    );
  }
  return path;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` user. */
function asServerUser(command: string, args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', command, ...args] : [command, ...args];
}

function run(command: string, args: string[], what: string): void {
  const [file, ...rest] = asServerUser(command, args);
  const result = spawnSync(file!, rest, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
}

/** As `run`, without blocking the event loop: the test's writes go on while the server goes down. */
async function runAsync(command: string, args: string[], what: string): Promise<void> {
  const [file, ...rest] = asServerUser(command, args);
  await new Promise<void>((resolve, reject) =>
    execFile(file!, rest, { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${what} failed: ${stderr || stdout}`)) : resolve(),
    ),
  );
}

const running = new Set<() => void>();
// A test run killed half-way still stops its servers (synchronously: 'exit' waits for nothing).
process.once('exit', () => {
  for (const stop of running) stop();
});

export async function startPostgres(): Promise<PostgresServer> {
  const initdb = binary('initdb');
  const pgCtl = binary('pg_ctl');
  const dir = mkdtempSync(join(tmpdir(), 'shims-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  // C locale and UTF-8: text sorts bytewise on every machine.
  run(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'], 'initdb');
  const stopSync = (): void => {
    const [file, ...rest] = asServerUser(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
    spawnSync(file!, rest, { timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  running.add(stopSync);
  let port = 0;
  const args = (): string[] => [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '30',
    '-o',
    `-k ${dir} -h 127.0.0.1 -p ${port} -c max_connections=200`,
    'start',
  ];
  const start = (): void => run(pgCtl, args(), 'pg_ctl start');
  try {
    // A port found free can be taken before the server binds it: a few tries, then give up.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        start();
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    // pg_ctl -w waits for the server to accept connections; one query proves it does on TCP.
    await withClient(url, (c) => c.query('SELECT 1'));
    let databases = 0;
    return {
      port,
      url,
      async createDatabase() {
        const name = `test_${++databases}`;
        await withClient(url, (c) => c.query(`CREATE DATABASE ${name}`));
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async crashAndRestart() {
        await runAsync(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], 'pg_ctl stop');
        await runAsync(pgCtl, args(), 'pg_ctl start');
      },
      async stop() {
        running.delete(stopSync);
        stopSync();
      },
    };
  } catch (error) {
    running.delete(stopSync);
    stopSync();
    throw error;
  }
}

/** One connection for `work`, closed after. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
