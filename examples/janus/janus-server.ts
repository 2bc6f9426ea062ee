// Debian's Janus on 127.0.0.1 with a minimal config written to a temporary folder: the WebSocket
// transport and the EchoTest plugin, nothing else (no admin API, no HTTP, no event handlers).
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServerProcess, type ServerProcess } from '@shims/testkit';

const JANUS = process.env.JANUS_PATH ?? '/usr/bin/janus';
const LIBS = process.env.JANUS_LIB_DIR ?? '/usr/lib/x86_64-linux-gnu/janus';

export async function startJanus(): Promise<{ url: string; server: ServerProcess }> {
  const dir = await mkdtemp(join(tmpdir(), 'example-janus-'));
  for (const sub of ['plugins', 'transports', 'events', 'loggers']) await mkdir(join(dir, sub));
  await symlink(`${LIBS}/plugins/libjanus_echotest.so`, join(dir, 'plugins', 'libjanus_echotest.so'));
  await symlink(`${LIBS}/transports/libjanus_websockets.so`, join(dir, 'transports', 'libjanus_websockets.so'));
  const port = await freePort();
  // In a loopback-only network namespace (CI) ICE runs on the veth jv0 (127.0.0.2): Janus skips
  // loopback interfaces. Elsewhere it gathers on the machine's own interfaces.
  const enforce = networkInterfaces().jv0 ? ', ice_enforce_list = "jv0"' : '';
  await writeFile(
    join(dir, 'janus.jcfg'),
    `general: { configs_folder = "${dir}", plugins_folder = "${dir}/plugins", transports_folder = "${dir}/transports", events_folder = "${dir}/events", loggers_folder = "${dir}/loggers", debug_level = 4 }
media: { ipv6 = false }
nat: { full_trickle = true, ignore_mdns = true${enforce} }
events: { broadcast = false }
`,
  );
  await writeFile(join(dir, 'janus.plugin.echotest.jcfg'), 'general: {}\n');
  await writeFile(
    join(dir, 'janus.transport.websockets.jcfg'),
    `general: { ws = true, ws_port = ${port}, ws_ip = "127.0.0.1", wss = false }\nadmin: { admin_ws = false, admin_wss = false }\n`,
  );
  const started = await startServerProcess({
    command: JANUS,
    args: ['-C', join(dir, 'janus.jcfg'), '-F', dir, '-o'],
    readyWhen: /WebSockets transport plugin initialized/,
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    server: {
      output: started.output,
      async stop() {
        await started.stop();
        await rm(dir, { recursive: true, force: true });
      },
    },
  };
}
