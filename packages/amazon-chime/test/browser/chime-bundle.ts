// The page gets amazon-chime-sdk-js from a bundle made here, in Node: the SDK's index also loads
// its messaging client (@aws-sdk/client-chime-sdk-messaging, for chat channels, which a meeting
// never uses), whose credential providers are Node-only and do not bundle for a browser. An app's
// bundler has the same problem; this bundle leaves the messaging client out, and nothing else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const require = createRequire(import.meta.url);
/** The SDK lines under test: the entry of each npm alias in package.json. */
const SDK_ENTRIES: Record<'3.32' | '3.0', string> = {
  '3.32': require.resolve('amazon-chime-sdk-js-3.32'),
  '3.0': require.resolve('amazon-chime-sdk-js-3.0'),
};
type ChimeSdkLine = keyof typeof SDK_ENTRIES;

const withoutMessaging: Plugin = {
  name: 'without-chime-messaging',
  setup(bundler) {
    bundler.onResolve({ filter: /^@aws-sdk\/client-chime-sdk-messaging$/ }, () => ({ path: 'messaging', namespace: 'left-out' }));
    bundler.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * A page entry (for `openHarness`) that sets `globalThis.ChimeSDK` to amazon-chime-sdk-js `line`,
 * then calls the `main` export of `page` (a call, not a bare import: this package says it has no
 * side effects, so a bundler drops a module imported for its side effects alone). `dispose()`
 * removes the files.
 */
export async function entryWithSdk(line: ChimeSdkLine, page: URL): Promise<{ entry: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'shims-chime-'));
  const sdk = join(dir, 'chime-sdk.js');
  await build({
    stdin: {
      contents: `globalThis.ChimeSDK = require(${JSON.stringify(SDK_ENTRIES[line])});`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'js',
    },
    bundle: true,
    outfile: sdk,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    define: { global: 'globalThis' },
    logLevel: 'silent',
    plugins: [withoutMessaging],
  });
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `import ${JSON.stringify(sdk)};\nimport { main } from ${JSON.stringify(fileURLToPath(page))};\nmain();\n`);
  return { entry, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
