// A Verdaccio on loopback. With `uplink`, names it does not hold are fetched from the public npm
// registry and kept in its storage: that is how the test's mirror of peerjs and esbuild is filled,
// before the tests and outside CI's network namespace. Without it (the test itself), it serves its
// storage and what is published to it, and talks to nothing but 127.0.0.1.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface Registry {
  url: string;
  /** An `_authToken` line for the registry, for an .npmrc. */
  authLine: string;
  stop(): void;
}

/** A port nobody listens on now: the OS picks it, we close it and hand it to Verdaccio. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const config = (dir: string, storage: string, uplink: boolean): string => `storage: ${storage}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
${uplink ? 'uplinks:\n  npmjs:\n    url: https://registry.npmjs.org/\n    timeout: 30s\n' : ''}packages:
  '@shims/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
${uplink ? '    proxy: npmjs\n' : ''}log: { type: stdout, format: pretty, level: warn }
`;

/** Verdaccio's own files in `dir`, its packages in `storage`. */
export async function startRegistry(verdaccio: string, dir: string, storage: string, uplink = false): Promise<Registry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'config.yaml'), config(dir, storage, uplink));
  const child = spawn(process.execPath, [verdaccio, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  const stop = (): void => void child.kill();
  try {
    // Up when it answers; then a user for the publish (Verdaccio refuses anonymous publishes here).
    for (let tries = 0; ; tries++) {
      const ping = await fetch(`${url}/-/ping`).catch(() => undefined);
      if (ping?.ok) break;
      if (tries > 100 || child.exitCode !== null) throw new Error(`Verdaccio did not start on ${url}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const user = await fetch(`${url}/-/user/org.couchdb.user:ci`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', password: 'registry-test' }),
    });
    const { token } = (await user.json()) as { token: string };
    return { url, authLine: `//127.0.0.1:${port}/:_authToken=${token}`, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
