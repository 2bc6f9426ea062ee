// Debian's Janus, started on loopback for the tests and reference apps that need a real Janus:
// the janus-gateway shim's suites, simple-whip-server's media backend, janus.js behind the
// generic shim's global tap.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServerProcess } from '../harness/server-process.ts';

const JANUS = process.env.JANUS_PATH ?? '/usr/bin/janus';
const LIBS = process.env.JANUS_LIB_DIR ?? '/usr/lib/x86_64-linux-gnu/janus';
/** The VideoRoom room the config creates; tests publish and subscribe in it. */
export const JANUS_VIDEOROOM_ROOM = 1234;

export interface JanusServerOptions {
  /**
   * Janus trickles its own candidates (default true). False puts them in its SDPs instead, as
   * WHIP needs: the protocol has no way to trickle the server's candidates to the client.
   */
  fullTrickle?: boolean;
}

export interface JanusTestServer {
  /** The WebSocket URL, e.g. `ws://127.0.0.1:P`. */
  readonly url: string;
  /** The interface Janus gathers ICE candidates on (`jv0` in the CI namespace), or null for all. */
  readonly iceInterface: string | null;
  /** What Janus printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's Janus on 127.0.0.1 with a minimal config written to a temporary folder: the
 * WebSocket transport, the EchoTest and VideoRoom plugins, nothing else (admin API, HTTP, event
 * handlers off). Inside the CI network namespace ICE is pinned to the veth `jv0` (127.0.0.2:
 * Janus skips loopback interfaces); without it Janus gathers on the machine's own interfaces.
 */
export async function startJanus(options: JanusServerOptions = {}): Promise<JanusTestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'shims-janus-'));
  try {
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
nat: { full_trickle = ${options.fullTrickle ?? true}, ignore_mdns = true${iceInterface ? `, ice_enforce_list = "${iceInterface}"` : ''} }
events: { broadcast = false }
`,
      'janus.plugin.echotest.jcfg': 'general: {}\n',
      'janus.plugin.videoroom.jcfg': `general: {}\nroom-${JANUS_VIDEOROOM_ROOM}: { description = "shims", publishers = 16, audiocodec = "opus", videocodec = "vp8" }\n`,
      'janus.transport.websockets.jcfg': `general: { json = "indented", ws = true, ws_port = ${port}, ws_ip = "127.0.0.1", wss = false }\nadmin: { admin_ws = false, admin_wss = false }\n`,
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const janus = await startServerProcess({
      command: JANUS,
      args: ['-C', join(dir, 'janus.jcfg'), '-F', dir, '-o'],
      readyWhen: /WebSockets transport plugin initialized/,
    });
    return {
      url: `ws://127.0.0.1:${port}`,
      iceInterface,
      output: () => janus.output.join(''),
      async stop() {
        await janus.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
