import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { version as esbuildVersion } from 'esbuild';
import { chromiumPath } from '@shims/testkit';

export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  /** 1-minute load average when the run started: these machines are shared. */
  load: number;
  node: string;
  chromium: string;
  esbuild: string;
}

export function describeMachine(): Machine {
  let chromium = 'unknown';
  try {
    chromium = execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // reported as unknown; the browser benchmarks fail on their own if Chromium is missing
  }
  return {
    os: `${type()} ${release()}`,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    load: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    node: process.version,
    chromium,
    esbuild: esbuildVersion,
  };
}
