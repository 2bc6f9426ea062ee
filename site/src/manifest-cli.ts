/**
 * `node src/manifest-cli.ts check`: fails with one line per problem when a vendor package's
 * manifest is missing or disagrees with its package.json, src/index.ts, logo, example or README.
 * `node src/manifest-cli.ts readme`: rewrites each README's generated sections from its manifest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAllVendors, findVendorPackages, GENERATED_SECTIONS } from './manifest.ts';
import { readmeSection, replaceReadmeSection } from './markdown.ts';
import { findWorkspaceRoot } from './workspace-root.ts';

const root = findWorkspaceRoot();
const command = process.argv[2];

if (command === 'readme') {
  for (const vendor of findVendorPackages(root)) {
    if (!vendor.manifest) continue;
    const path = join(vendor.dir, 'README.md');
    const before = readFileSync(path, 'utf8');
    let after = before;
    for (const [title, render] of GENERATED_SECTIONS) {
      // A missing heading is left to the check below, which names it.
      if (readmeSection(after, title) !== undefined) after = replaceReadmeSection(after, title, render(vendor.manifest));
    }
    if (after !== before) {
      writeFileSync(path, after);
      console.log(`packages/${vendor.id}/README.md: regenerated ${GENERATED_SECTIONS.map(([t]) => `"${t}"`).join(', ')}`);
    }
  }
}

if (command === 'check' || command === 'readme') {
  const problems = checkAllVendors(root);
  for (const problem of problems) console.error(problem);
  if (problems.length) process.exit(1);
  console.log(`every vendor manifest agrees with its package (${findVendorPackages(root).length} packages)`);
} else {
  console.error('usage: node src/manifest-cli.ts check|readme');
  process.exit(2);
}
