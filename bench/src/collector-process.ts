// The collector under load runs as users run it: the built CLI (`shims-collector`) in a child
// process of its own, on 127.0.0.1, with its data in a throw-away folder. Its CPU time and RSS
// are read from /proc, so what the load generator spends is never counted as the collector's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// SHIMS_BENCH_COLLECTOR_CLI=<path>: measure another build (an earlier release's dist/cli.js) the same way.
const CLI =
  process.env.SHIMS_BENCH_COLLECTOR_CLI ?? join(dirname(fileURLToPath(import.meta.resolve('@shims/collector/package.json'))), 'dist', 'cli.js');

export interface CollectorProcess {
  url: string;
  pid: number;
  dataDir: string;
  /** Its shedding-episode log lines (`shedding load: …`, JSON), in order. */
  sheddingLines: string[];
  /** Ends it at once, as a crash or `kill -9` would: what was acknowledged must be on disk. */
  kill(): Promise<void>;
}

/** Starts `shims-collector` with a fresh data folder (and `env` added to ours); resolves once it listens. */
export async function startCollectorProcess(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<CollectorProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shims-bench-collector-'));
  // Any token (the load generator has no app secret), no access log, reads open on loopback (the
  // bench reads /metrics), and the per-address limit of the routes without auth out of the way:
  // every simulated user authenticates from 127.0.0.1.
  const args = [CLI, '--port', '0', '--data-dir', dataDir, '--accept-any-token', '--quiet', '--dev-open-reads', '--rate', '1000000', ...extraArgs];
  // SHIMS_BENCH_PROFILE=<dir>: a CPU profile of the collector (node --cpu-prof) written there; it
  // is then stopped with SIGTERM, not SIGKILL, since a killed process writes no profile.
  const profileDir = process.env.SHIMS_BENCH_PROFILE;
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const sheddingLines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.includes('"shedding load') && sheddingLines.length < 1_000) sheddingLines.push(line);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
      if (output.length > 65_536) output = output.slice(-8_192);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the collector exited (${code}) before it listened: ${output.slice(-2_000)}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    dataDir,
    sheddingLines,
    async kill() {
      child.kill(profileDir ? 'SIGTERM' : 'SIGKILL');
      await exited;
    },
  };
}

/** CPU seconds (user + system) the process has used so far (/proc/<pid>/stat, 100 ticks/s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of the process in MiB (/proc/<pid>/status VmRSS). */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : Number.NaN;
}

/** `shims_collector_storage_bytes` from /metrics: the database's pages in use. */
export async function storageBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^shims_collector_storage_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}
