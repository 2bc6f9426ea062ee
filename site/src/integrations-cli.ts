/** `pnpm integrations`: builds site/dist/index.html (opens from disk; `shims-collector --integrations site/dist` serves it). */
import { buildSite } from './build-site.ts';
import { findWorkspaceRoot } from './workspace-root.ts';

try {
  const site = buildSite({ root: findWorkspaceRoot() });
  for (const { id, status } of site.vendors) console.log(`${id.padEnd(14)} ${status.summary}`);
  console.log(`\nwrote ${site.indexFile}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
