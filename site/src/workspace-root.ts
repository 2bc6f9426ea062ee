import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The workspace root above `from`: the folder with pnpm-workspace.yaml. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${from}: run this inside the shims workspace`);
    dir = parent;
  }
  return dir;
}
