import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { callstatsBootstrap, createCallstatsStub, type CallstatsRequest } from './callstats-stub.ts';
import { ENGINE_LABELS, launchBrowser, type Engine } from './browsers.ts';

export interface HarnessOptions {
  /** The page's code: a module bundled for the browser (TypeScript is fine). */
  entry: string;
  /**
   * Load and initialize the real callstats.js (npm callstats-js) in the page: `true` points it at
   * a small stub served by the harness; `{ base }` at a collector (e.g. `startTestCollector().url`).
   */
  callstats?: boolean | { base: string };
  /** Values the page reads as `window.__shimsConfig` (e.g. the URL of a server the test started). */
  config?: Record<string, unknown>;
  /**
   * Package names the page's bundle takes from another package, e.g. `{ jssip: 'jssip-3.10' }`
   * (an `npm:` alias of an older release): the same page and driver, another SDK version.
   */
  alias?: Record<string, string>;
  /** The browser engine the page runs in; default Chromium. */
  engine?: Engine;
  /** Flags added to Chromium's (e.g. `TwilioVoiceTestServer.chromiumArgs`: trust its certificate). */
  chromiumArgs?: readonly string[];
  /** Preferences added to Firefox's. */
  firefoxPrefs?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Firefox only: its pages accept any TLS certificate (WebDriver BiDi's `acceptInsecureCerts`),
   * for a test server with a throw-away one (`TwilioVoiceTestServer`). Firefox has no flag that
   * trusts one key as Chromium's `chromiumArgs` can; every server of these tests is on loopback.
   */
  acceptInsecureCerts?: boolean;
}

export interface Harness {
  readonly page: Page;
  /** The engine the pages run in, and its name as tests print it. */
  readonly engine: Engine;
  readonly engineLabel: string;
  readonly url: string;
  /** What the real callstats.js sent to the stub, when `callstats: true`. */
  readonly callstatsRequests: CallstatsRequest[];
  /** Console errors and uncaught page errors, for the test to show or assert on. */
  readonly pageErrors: string[];
  /**
   * Opens one more page of the same code, in a context of its own (its own realm, storage and
   * callstats.js), for cases that run beside those of `page`. Closed with the harness.
   */
  openPage(): Promise<Page>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const STUB_PREFIX = '/callstats-stub/';

async function bundle(entry: string, alias: Record<string, string> = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    alias,
    // esbuild resolves an alias's target from the working directory: the page's own folder, so
    // that the package whose tests open the page is where the aliased release is found.
    absWorkingDir: dirname(entry),
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120', 'firefox115'],
    sourcemap: 'inline',
    logLevel: 'silent',
    define: { global: 'globalThis' },
  });
  return result.outputFiles[0]?.text ?? '';
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Serves the bundled page on 127.0.0.1 and opens it in headless Debian Chromium (or Firefox ESR,
 * `engine: 'firefox'`) with fake media.
 * Start any server the page needs (PeerServer, Janus, a collector) before, and pass its address
 * in `config`. Close the harness in `afterAll`.
 */
export async function openHarness(options: HarnessOptions): Promise<Harness> {
  const script = await bundle(options.entry, options.alias);
  const stub = createCallstatsStub(STUB_PREFIX);
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'Content-Type, Authorization' });
        res.end();
      } else if (stub.handle(req, res, body)) {
        // answered by the callstats stub
      } else if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        const base = typeof options.callstats === 'object' ? `${options.callstats.base.replace(/\/$/, '')}/` : `${origin}${STUB_PREFIX}`;
        res.end(page(options, base));
      } else if (req.url === '/bundle.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(script);
      } else if (req.url === '/callstats.min.js' && options.callstats) {
        readFile(require.resolve('callstats-js/callstats.min.js')).then(
          (file) => {
            res.writeHead(200, { 'content-type': 'text/javascript' });
            res.end(file);
          },
          () => res.writeHead(500).end(),
        );
      } else {
        res.writeHead(404).end();
      }
    });
  });
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  let browser: Browser | undefined;
  try {
    const engine = options.engine ?? 'chromium';
    browser = await launchBrowser(engine, {
      ...(options.chromiumArgs ? { chromiumArgs: options.chromiumArgs } : {}),
      ...(options.firefoxPrefs ? { firefoxPrefs: options.firefoxPrefs } : {}),
    });
    const pageErrors: string[] = [];
    const opened = browser;
    const contextOptions = engine === 'firefox' && options.acceptInsecureCerts ? { ignoreHTTPSErrors: true } : {};
    const openPage = () => openReadyPage(opened, origin, pageErrors, contextOptions);
    const pageHandle = await openPage();
    return {
      page: pageHandle,
      engine,
      engineLabel: ENGINE_LABELS[engine],
      url: origin,
      callstatsRequests: stub.requests,
      pageErrors,
      openPage,
      async close() {
        await opened.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (error) {
    await browser?.close();
    server.close();
    throw error;
  }
}

async function openReadyPage(browser: Browser, origin: string, pageErrors: string[], contextOptions: { ignoreHTTPSErrors?: boolean }): Promise<Page> {
  const context = await browser.newContext(contextOptions);
  const pageHandle = await context.newPage();
  pageHandle.on('pageerror', (error) => pageErrors.push(String(error)));
  pageHandle.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await pageHandle.goto(`${origin}/`);
  // The page's code says it is ready (`markPageReady()`, or `exposeConformance()`).
  await pageHandle.waitForFunction(() => (window as { __shimsReady?: boolean }).__shimsReady === true, null, {
    timeout: 10_000,
  });
  return pageHandle;
}

function page(options: HarnessOptions, callstatsBase: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>shims test page</title>
<script>window.__shimsConfig = ${JSON.stringify(options.config ?? {})};</script>
${options.callstats ? callstatsBootstrap(callstatsBase) : ''}
</head><body><script src="/bundle.js"></script></body></html>`;
}
