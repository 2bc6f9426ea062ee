import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { BENCH_DIR } from './paths.ts';

export interface BundleSize {
  /** Minified bytes. */
  min: number;
  /** Minified, then gzip level 9. */
  gzip: number;
  /** Minified, then brotli at maximum quality. */
  brotli: number;
  /** Names the bundle exports: none means an unbuilt or empty entry, never a small package. */
  exports: number;
}

/** What one row bundles: a file of ours, or a package name as an app would import it. */
export type BundleInput = { file: string } | { specifier: string };

/** The same measure for every row: esbuild, browser ESM, minified; externals stay imports. */
export async function bundleSize(input: BundleInput, external: readonly string[], plugins: Plugin[] = []): Promise<BundleSize> {
  const source =
    'file' in input
      ? { entryPoints: [input.file] }
      : // `export *` keeps every export of the package's browser entry, as bundling our entries does.
        { stdin: { contents: `export * from ${JSON.stringify(input.specifier)};`, resolveDir: BENCH_DIR, loader: 'js' as const } };
  const result = await build({
    ...source,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: [...external],
    plugins,
    write: false,
    logLevel: 'silent',
    metafile: true,
    legalComments: 'none',
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no output');
  const exports = Object.values(result.metafile.outputs)[0]?.exports.length ?? 0;
  return { ...measure(code), exports };
}

function measure(code: Uint8Array): Omit<BundleSize, 'exports'> {
  return {
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: code.byteLength },
    }).byteLength,
  };
}
