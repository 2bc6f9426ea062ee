// Prints one closing line for the whole run, "N passed, N failed, N skipped", summed over every
// workspace package's vitest JSON reports, and fails when no test ran at all.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// The workspace's package folders, read from pnpm-workspace.yaml (`dir/*` or `dir` entries).
function workspaceFolders() {
  const section = readFileSync('pnpm-workspace.yaml', 'utf8').split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  const globs = [...section.matchAll(/^\s+-\s+(\S+)\s*$/gm)].map((m) => m[1]);
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return existsSync(glob) ? [glob] : [];
    const dir = glob.slice(0, -2);
    return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
  });
}

// Each package's full suite (`vitest.json`, loopback-only namespace) and, for vendors, its
// conformance suite again on a network with non-loopback interfaces (`conformance-hosts.json`).
const REPORTS = [
  ['vitest.json', ''],
  ['conformance-hosts.json', ' (conformance, hosts network)'],
];
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const folder of workspaceFolders()) {
  for (const [name, label] of REPORTS) {
    const file = join(folder, 'test-results', name);
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += skipped;
    console.log(`${folder}${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
  }
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
