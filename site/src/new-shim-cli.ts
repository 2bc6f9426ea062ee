/** `pnpm new-shim <vendor> --sdk <npm-name>@<range>`: scaffolds packages/<vendor> and examples/<vendor>. */
import { parseArgs } from 'node:util';
import { scaffoldVendor } from './scaffold.ts';
import { parseSdkSpec, vendorNameProblems } from './vendor-name.ts';
import { findWorkspaceRoot } from './workspace-root.ts';

function fail(lines: string[]): never {
  for (const line of lines) console.error(`new-shim: ${line}`);
  process.exit(1);
}

let parsed;
try {
  parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { sdk: { type: 'string' } } });
} catch (error) {
  fail([error instanceof Error ? error.message : String(error), 'usage: pnpm new-shim <vendor> --sdk <npm-name>@<range>']);
}
if (parsed.positionals.length > 1) fail([`one vendor name, got ${parsed.positionals.join(' ')}`]);
const root = findWorkspaceRoot(process.env.INIT_CWD ?? process.cwd());
const vendor = parsed.positionals[0] ?? '';
const sdk = parseSdkSpec(parsed.values.sdk);
const problems = [...vendorNameProblems(vendor, root), ...(typeof sdk === 'string' ? [sdk] : [])];
if (problems.length || typeof sdk === 'string') fail(problems);

for (const file of scaffoldVendor(root, vendor, sdk)) console.log(`created ${file}`);
console.log(`
Next (CONTRIBUTING.md, "Adding a vendor"):
  pnpm install
  pnpm --filter @shims/${vendor} build && pnpm --filter @shims/${vendor} typecheck && pnpm --filter @shims/${vendor} lint
  pnpm --filter @shims/${vendor} test     # the conformance test is pending until the driver is written
  pnpm integrations                      # lists @shims/${vendor} as not verified`);
