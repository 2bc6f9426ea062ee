import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1, for a server the test is about to start. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  /** Everything the process printed, for failure messages. */
  readonly output: string[];
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  command: string;
  args: readonly string[];
  /** Resolved once a line of the process's output matches. */
  readyWhen: RegExp;
  timeoutMs?: number;
  cwd?: string;
  /** Variables added to this process's environment for the server. */
  env?: Record<string, string>;
}

/**
 * Starts a real server (PeerJS's PeerServer, Janus, …) as a child process and resolves when it
 * says it is ready. A child process, not in-process: servers keep timers that would hold the
 * test runner open. `stop()` sends SIGTERM, then SIGKILL after two seconds.
 */
export function startServerProcess(options: StartProcessOptions): Promise<ServerProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${options.command} not ready after ${options.timeoutMs ?? 10_000} ms:\n${output.join('')}`));
    }, options.timeoutMs ?? 10_000);
    const onData = (chunk: Buffer): void => {
      output.push(chunk.toString());
      if (options.readyWhen.test(output.join(''))) {
        clearTimeout(timer);
        resolve({ output, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.command} exited with ${code} before it was ready:\n${output.join('')}`));
    });
  });
}
