/**
 * `import text from './client/main.ts?bundle'`: that module and all it imports, bundled for the
 * browser into one ES module, as a string. The server serves the dashboard's module from that
 * string, so nothing is read from disk at run time and there is no generated file to keep in
 * step: tsdown inlines it into `dist/` at build time, and vitest does the same when the tests load
 * the sources. `bundledText()` is a Rolldown plugin (tsdown.config.ts) and a Vite plugin
 * (vitest.config.ts) at once; test/fixtures/run-src-cli.mjs uses `bundleForBrowser` directly.
 */
import { dirname, resolve } from 'node:path';
import { Rolldown } from 'tsdown';

export const BUNDLE_QUERY = '?bundle';

/** `entry` and all it imports as one browser ES module (ES2022, not minified), and its files. */
export async function bundleForBrowser(entry: string): Promise<{ code: string; files: string[] }> {
  const bundle = await Rolldown.rolldown({ input: entry, platform: 'browser', transform: { target: 'es2022' } });
  try {
    const { output } = await bundle.generate({ format: 'esm' });
    const [chunk, ...more] = output;
    if (more.length > 0) throw new Error(`${entry}: the browser bundle must be one file, not ${output.length}`);
    return { code: chunk.code, files: chunk.moduleIds };
  } finally {
    await bundle.close();
  }
}

/** The module an `?bundle` import stands for. */
export const textModule = (text: string): string => `export default ${JSON.stringify(text)};\n`;

export function bundledText(): Rolldown.Plugin {
  return {
    name: 'shims:bundled-text',
    resolveId(source, importer) {
      if (!source.endsWith(BUNDLE_QUERY) || importer === undefined) return null;
      return resolve(dirname(importer), source.slice(0, -BUNDLE_QUERY.length)) + BUNDLE_QUERY;
    },
    async load(id) {
      if (!id.endsWith(BUNDLE_QUERY)) return null;
      const { code, files } = await bundleForBrowser(id.slice(0, -BUNDLE_QUERY.length));
      for (const file of files) this.addWatchFile(file);
      return textModule(code);
    },
  };
}
