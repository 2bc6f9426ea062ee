import { defineConfig } from 'tsdown';

// A Node package: the library entry and the CLI, ESM + CJS + .d.ts.
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node24',
  // .js/.d.ts for ESM (the package is "type": "module"), as package.json's exports and bin say;
  // platform "node" would otherwise pick .mjs.
  fixedExtension: false,
  dts: true,
  clean: true,
});
