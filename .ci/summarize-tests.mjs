// Prints one closing line for the whole run, "N passed, N failed, N skipped", summed over every
// workspace package's vitest JSON reports, and fails when no test ran at all. Before it, each failed
// test's name and the first lines of its error: a CI log is often read from its tail only, and the
// tail must say what failed, not just how many.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// The workspace's package folders, read from pnpm-workspace.yaml (`dir/*` or `dir` entries).
function workspaceFolders() {
  const section =
    readFileSync('pnpm-workspace.yaml', 'utf8')
      .split(/^packages:\s*$/m)[1]
      ?.split(/^\S/m)[0] ?? '';
  const globs = [...section.matchAll(/^\s+-\s+(\S+)\s*$/gm)].map((m) => m[1]);
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return existsSync(glob) ? [glob] : [];
    const dir = glob.slice(0, -2);
    return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
  });
}

// Each package's full suite (`vitest.json`) and any second run of some of its suites, which names
// its own report (`conformance-hosts.json`: the conformance suites on the hosts network).
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
for (const folder of workspaceFolders()) {
  const dir = join(folder, 'test-results');
  if (!existsSync(dir)) continue;
  const reports = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort((a, b) => (a === 'vitest.json' ? -1 : b === 'vitest.json' ? 1 : a.localeCompare(b)));
  for (const name of reports) {
    const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    if (typeof report.numPassedTests !== 'number') continue;
    const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += skipped;
    const label = name === 'vitest.json' ? '' : ` (${name.slice(0, -'.json'.length)})`;
    console.log(`${folder}${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
    for (const file of report.testResults ?? []) {
      const where = `${folder}${label} ${file.name.slice(file.name.indexOf(folder) + folder.length + 1)}`;
      for (const test of file.assertionResults ?? []) {
        if (test.status === 'failed') failures.push({ where, test });
      }
      // A file that failed outside any test (an import error, a hook before its first test).
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) {
        failures.push({ where, test: { fullName: '(the file itself)', failureMessages: [file.message ?? ''] } });
      }
    }
  }
}

// The first failures in full enough to act on; the rest by name only, so the list stays short.
const SHOWN_WITH_ERRORS = 5;
const SHOWN = 40;
if (failures.length > 0) console.log(`\nFailed (${failures.length}):`);
failures.slice(0, SHOWN).forEach(({ where, test }, i) => {
  console.log(`- ${where} > ${test.fullName}`);
  if (i >= SHOWN_WITH_ERRORS) return;
  const lines = (test.failureMessages ?? [])
    .join('\n')
    .split('\n')
    .filter((l) => l.trim() !== '');
  for (const line of lines.slice(0, 6)) console.log(`    ${line.slice(0, 300)}`);
});
if (failures.length > SHOWN) console.log(`… and ${failures.length - SHOWN} more`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
