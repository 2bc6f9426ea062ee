import type { Page } from 'playwright-core';

/**
 * Pages that run conformance cases side by side: each case has a page to itself for as long as
 * it runs (a case arms failures on the page's prototypes and taps every pc it builds), and waits
 * its turn, first come first served, when every page is busy.
 */
export class PagePool {
  private readonly free: Page[];
  private readonly waiting: Array<(page: Page) => void> = [];

  constructor(pages: readonly Page[]) {
    this.free = [...pages];
  }

  async use<T>(work: (page: Page) => Promise<T>): Promise<T> {
    const page = this.free.shift() ?? (await new Promise<Page>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(page);
    } finally {
      const next = this.waiting.shift();
      if (next) next(page);
      else this.free.push(page);
    }
  }
}
