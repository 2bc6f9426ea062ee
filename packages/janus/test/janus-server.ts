import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServerProcess, type ServerProcess } from '@shims/testkit';

const JANUS = process.env.JANUS_PATH ?? '/usr/bin/janus';
const LIBS = process.env.JANUS_LIB_DIR ?? '/usr/lib/x86_64-linux-gnu/janus';
/** The VideoRoom room the config creates; tests publish and subscribe in it. */
export const VIDEOROOM_ROOM = 1234;

/**
 * Starts Debian's Janus on 127.0.0.1 with a minimal config written here: the WebSocket transport,
 * the EchoTest and VideoRoom plugins, nothing else (admin API, HTTP, event handlers off).
 * Inside the CI network namespace ICE is pinned to the veth `jv0` (127.0.0.2: Janus skips
 * loopback interfaces); without it Janus gathers on the machine's own non-loopback interfaces.
 */
export async function startJanus(): Promise<{ url: string; server: ServerProcess; iceInterface: string | null }> {
  const dir = await mkdtemp(join(tmpdir(), 'shims-janus-'));
  for (const sub of ['plugins', 'transports', 'events', 'loggers']) await mkdir(join(dir, sub));
  await symlink(`${LIBS}/plugins/libjanus_echotest.so`, join(dir, 'plugins', 'libjanus_echotest.so'));
  await symlink(`${LIBS}/plugins/libjanus_videoroom.so`, join(dir, 'plugins', 'libjanus_videoroom.so'));
  await symlink(`${LIBS}/transports/libjanus_websockets.so`, join(dir, 'transports', 'libjanus_websockets.so'));
  const port = await freePort();
  const iceInterface = networkInterfaces().jv0 ? 'jv0' : null;
  const files: Record<string, string> = {
    'janus.jcfg': `general: {
  configs_folder = "${dir}"
  plugins_folder = "${dir}/plugins"
  transports_folder = "${dir}/transports"
  events_folder = "${dir}/events"
  loggers_folder = "${dir}/loggers"
  debug_level = 4
  hide_dependencies = true
}
media: { ipv6 = false }
nat: { full_trickle = true, ignore_mdns = true${iceInterface ? `, ice_enforce_list = "${iceInterface}"` : ''} }
events: { broadcast = false }
`,
    'janus.plugin.echotest.jcfg': 'general: {}\n',
    'janus.plugin.videoroom.jcfg': `general: {}\nroom-${VIDEOROOM_ROOM}: { description = "shims", publishers = 16, audiocodec = "opus", videocodec = "vp8" }\n`,
    'janus.transport.websockets.jcfg': `general: { json = "indented", ws = true, ws_port = ${port}, ws_ip = "127.0.0.1", wss = false }\nadmin: { admin_ws = false, admin_wss = false }\n`,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const started = await startServerProcess({
    command: JANUS,
    args: ['-C', join(dir, 'janus.jcfg'), '-F', dir, '-o'],
    readyWhen: /WebSockets transport plugin initialized/,
  });
  const server: ServerProcess = {
    output: started.output,
    async stop() {
      await started.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return { url: `ws://127.0.0.1:${port}`, server, iceInterface };
}
