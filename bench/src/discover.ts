import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES_DIR } from './paths.ts';

export const CORE = '@shims/core';

/** A published `@shims/*` package that runs in the browser, found by reading packages/*. */
export interface ShimPackage {
  name: string;
  dir: string;
  /** The ESM entry its `exports["."].import` names, resolved to a file. */
  entry: string;
  /** Its peerDependencies: the SDK it monitors, kept external like an app's own copy. */
  peers: string[];
  /** True for a vendor shim (it has a `shims` manifest), false for @shims/core. */
  vendor: boolean;
}

interface PackageJson {
  name?: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  module?: string;
  peerDependencies?: Record<string, string>;
  /** A vendor shim's manifest (the integrations page reads it). */
  shims?: unknown;
}

function esmEntry(json: PackageJson): string | undefined {
  const root = json.exports?.['.'];
  if (typeof root === 'string') return root;
  const imported = (root as { import?: unknown } | undefined)?.import;
  if (typeof imported === 'string') return imported;
  const fromImport = (imported as { default?: unknown } | undefined)?.default;
  return typeof fromImport === 'string' ? fromImport : json.module;
}

/**
 * The rule: a package under packages/ is measured when it is published (not `private`) and is
 * either `@shims/core` or a vendor shim (it has a `shims` manifest; its SDK, if any, is its peer
 * and stays external; `@shims/webrtc` has none). A server package such as `@shims/collector` has
 * no manifest and is left out; a vendor added later is picked up with no edit here.
 */
export function discoverShimPackages(packagesDir: string = PACKAGES_DIR): ShimPackage[] {
  const found: ShimPackage[] = [];
  for (const folder of readdirSync(packagesDir).sort()) {
    const manifest = join(packagesDir, folder, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson;
    if (!json.name?.startsWith('@shims/') || json.private === true) continue;
    const peers = Object.keys(json.peerDependencies ?? {});
    const isCore = json.name === CORE;
    if (!isCore && json.shims === undefined) continue;
    const entry = esmEntry(json);
    if (!entry) throw new Error(`${json.name}: no ESM entry in exports["."].import or module`);
    found.push({ name: json.name, dir: join(packagesDir, folder), entry: join(packagesDir, folder, entry), peers, vendor: !isCore });
  }
  if (!found.some((p) => p.name === CORE)) throw new Error(`${CORE} not found under ${packagesDir}`);
  return found;
}
