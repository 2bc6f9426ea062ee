import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';
import { BENCH_DIR } from './paths.ts';

/** The alternatives users weigh a shim against, pinned in bench/package.json. */
export interface Anchor {
  name: string;
  version: string;
  /** Why it is here, for the table. */
  role: string;
  /** esbuild plugins needed to bundle its entry as published (each documented in bench/README.md). */
  plugins: Plugin[];
}

/**
 * @jitsi/rtcstats 9.7.1 imports `@jitsi/js-utils/browser-detection`, which the js-utils `exports`
 * map sends to a folder (`./dist/browser-detection`); strict resolvers (esbuild, Node) refuse a
 * folder there. Jitsi's own webpack build takes the folder's index.js: so do we.
 */
function jitsiFolderImports(): Plugin {
  return {
    name: 'jitsi-js-utils-folder-exports',
    setup(build) {
      build.onResolve({ filter: /^@jitsi\/js-utils\/[\w-]+$/ }, (args) => {
        const fromRtcstats = createRequire(join(realpathSync(args.resolveDir), 'x.js'));
        const utilsDist = dirname(fromRtcstats.resolve('@jitsi/js-utils'));
        return { path: join(utilsDist, args.path.slice('@jitsi/js-utils/'.length), 'index.js') };
      });
    },
  };
}

const ANCHORS: readonly Omit<Anchor, 'version'>[] = [
  { name: 'rtcstats', role: 'global wrapper', plugins: [] },
  { name: '@jitsi/rtcstats', role: 'global wrapper', plugins: [jitsiFolderImports()] },
  { name: '@peermetrics/webrtc-stats', role: 'stats collector', plugins: [] },
  { name: '@observertc/client-monitor-js', role: 'monitoring SDK', plugins: [] },
  { name: '@testrtc/watchrtc-sdk', role: 'monitoring SDK', plugins: [] },
  { name: 'callstats-js', role: 'what our shims feed', plugins: [] },
];

/** Each anchor with the version actually installed (read, not assumed). */
export function anchors(): Anchor[] {
  return ANCHORS.map((anchor) => ({ ...anchor, version: installedVersion(anchor.name) }));
}

function installedVersion(name: string): string {
  // pnpm links each direct dependency at bench/node_modules/<name>; not every package exports
  // ./package.json, so it is read from that folder rather than resolved.
  const json = JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
  if (!json.version) throw new Error(`${name}: no version in its package.json`);
  return json.version;
}
