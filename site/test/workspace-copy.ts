import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWorkspaceRoot } from '../src/workspace-root.ts';

export const ROOT: string = findWorkspaceRoot(fileURLToPath(new URL('.', import.meta.url)));

const SKIPPED = new Set(['node_modules', '.git', '.turbo', 'dist', 'test-results', '.shims-collector']);

export interface WorkspaceCopy {
  root: string;
  remove(): void;
}

/**
 * A copy of the workspace's files in a temporary folder, without installs, builds or results;
 * with `linkInstalls`, each package's node_modules is a link to the real one (the same install,
 * as after `pnpm install`, in a few milliseconds).
 */
export function copyWorkspace(options: { linkInstalls?: boolean } = {}): WorkspaceCopy {
  const root = mkdtempSync(join(tmpdir(), 'shims-workspace-'));
  cpSync(ROOT, root, { recursive: true, filter: (source) => !SKIPPED.has(basename(source)) });
  if (options.linkInstalls) {
    const folders = ['.', 'site', 'bench', ...['packages', 'examples'].flatMap((g) => readdirSync(join(ROOT, g)).map((d) => `${g}/${d}`))];
    for (const folder of folders) {
      const modules = join(ROOT, folder, 'node_modules');
      if (existsSync(modules) && existsSync(join(root, folder))) symlinkSync(modules, join(root, folder, 'node_modules'));
    }
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
