import { defineConfig } from 'tsdown';

// ESM + CJS + .d.ts for browsers and Node; every @shims package builds with these same options.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  clean: true,
});
