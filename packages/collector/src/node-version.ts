/** The lowest Node.js the collector runs on: `node:sqlite` unflagged, with `backup` (22.16.0). */
export const LOWEST_NODE = '22.16.0';

/** Whether `version` (`process.versions.node`, e.g. `20.20.2`) is below `LOWEST_NODE`. */
export function isNodeTooOld(version: string, lowest: string = LOWEST_NODE): boolean {
  const have = version.split('.').map(Number);
  const need = lowest.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}
