import { fileURLToPath } from 'node:url';
import { openHarness, type Harness } from '@shims/testkit';
import type { CDPSession } from 'playwright-core';

/** A bench page in the testkit's headless Chromium, with a DevTools Protocol session on it. */
export interface BenchPage {
  harness: Harness;
  cdp: CDPSession;
  /** Calls `window.__bench[name](arg)` in the page and returns its result. */
  call<T>(name: string, arg?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function openBenchPage(page: string, options: { callstats?: boolean; config?: Record<string, unknown> } = {}): Promise<BenchPage> {
  const harness = await openHarness({
    entry: fileURLToPath(new URL(`./pages/${page}.ts`, import.meta.url)),
    ...(options.callstats ? { callstats: true } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  const cdp = await harness.page.context().newCDPSession(harness.page);
  return {
    harness,
    cdp,
    call<T>(name: string, arg?: unknown): Promise<T> {
      return harness.page.evaluate(
        ([fn, value]) => {
          const api = (window as unknown as { __bench?: Record<string, (v: unknown) => unknown> }).__bench;
          const target = api?.[fn];
          if (!target) throw new Error(`no bench function ${String(fn)} in the page`);
          return target(value);
        },
        [name, arg] as const,
      ) as Promise<T>;
    },
    async close() {
      await cdp.detach().catch(() => {});
      await harness.close();
    },
  };
}
