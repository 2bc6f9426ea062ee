// The one tsdown configuration every published package builds with; a package's own
// tsdown.config.ts only says how it differs.
import { defineConfig, type UserConfig } from 'tsdown';

export interface ShimsBuildOptions {
  /** Entry points; default the package's `src/index.ts`. */
  entry?: string[];
  /**
   * `neutral` (default): browser and Node code, ES2022. `node`: a Node program (the collector),
   * targeting the lowest Node it declares (22.16: node:sqlite with backup).
   */
  platform?: 'neutral' | 'node';
}

/** ESM + CJS + .d.ts, the shape every package's exports map describes. */
export function shimsBuildConfig(options: ShimsBuildOptions = {}): UserConfig {
  const node = options.platform === 'node';
  return defineConfig({
    entry: options.entry ?? ['src/index.ts'],
    format: ['esm', 'cjs'],
    platform: node ? 'node' : 'neutral',
    target: node ? 'node22.16' : 'es2022',
    // .js/.d.ts for ESM (the packages are "type": "module"), as package.json's exports say;
    // platform "node" would otherwise pick .mjs.
    ...(node ? { fixedExtension: false } : {}),
    dts: true,
    clean: true,
  });
}
