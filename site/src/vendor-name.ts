import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folder names under packages/ that are not vendors, and the site itself. */
const RESERVED = new Set(['core', 'collector', 'testkit', 'site', 'node_modules', 'favicon.ico']);
const NPM_NAME_PART = /^[a-z0-9][a-z0-9._~-]*$/;

/** `monitor` + the vendor in PascalCase: `twilio-video` → `monitorTwilioVideo`. */
export function entryPointName(vendor: string): string {
  return `monitor${vendor
    .split(/[-._~]/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('')}`;
}

/** Why `vendor` cannot be the new `@shims/<vendor>` package, or an empty list. */
export function vendorNameProblems(vendor: string, root: string): string[] {
  if (vendor === '') return ['give the vendor name: pnpm new-shim <vendor> --sdk <npm-name>@<range>'];
  const problems: string[] = [];
  const name = `@shims/${vendor}`;
  if (name.length > 214) problems.push(`${name} is longer than npm's 214 characters`);
  if (vendor !== vendor.toLowerCase())
    problems.push(`"${vendor}" has capital letters; npm package names are lowercase (try "${vendor.toLowerCase().replace(/[^a-z0-9._~-]+/g, '-')}")`);
  else if (!NPM_NAME_PART.test(vendor)) {
    problems.push(`"${vendor}" is not a valid npm package name part: use lowercase letters, digits and - . _ ~, starting with a letter or digit`);
  } else if (!/^[a-z]/.test(vendor) || !/[a-z0-9]$/.test(vendor)) {
    problems.push(`"${vendor}" must start with a letter and end with a letter or digit (the entry point is ${entryPointName(vendor)})`);
  }
  if (RESERVED.has(vendor)) problems.push(`"${vendor}" is reserved in this workspace`);
  if (existsSync(join(root, 'packages', vendor))) problems.push(`packages/${vendor} already exists`);
  if (existsSync(join(root, 'examples', vendor))) problems.push(`examples/${vendor} already exists`);
  const taken = workspacePackageNames(root);
  if (taken.has(name)) problems.push(`${name} is already a package of this workspace`);
  if (taken.has(`@example/${vendor}`)) problems.push(`@example/${vendor} is already a package of this workspace`);
  return problems;
}

function workspacePackageNames(root: string): Set<string> {
  const names = new Set<string>();
  for (const group of ['packages', 'examples']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const file = join(dir, entry, 'package.json');
      if (existsSync(file)) names.add((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name ?? '');
    }
  }
  return names;
}

export interface SdkSpec {
  package: string;
  range: string;
}

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const RANGE_CHARACTERS = /^[0-9A-Za-z.*^~<>=|+\s-]+$/;

/** `<npm-name>@<range>` (the name may be scoped), or the reason it is not one. */
export function parseSdkSpec(spec: string | undefined): SdkSpec | string {
  if (spec === undefined || spec === '') return 'give the SDK and its supported range: --sdk <npm-name>@<range>, e.g. --sdk acme-rtc@^1';
  const at = spec.lastIndexOf('@');
  if (at <= 0) return `--sdk ${spec}: expected <npm-name>@<range>, e.g. acme-rtc@^1`;
  const pkg = spec.slice(0, at);
  const range = spec.slice(at + 1).trim();
  if (!NPM_NAME.test(pkg) || pkg.length > 214) return `--sdk: "${pkg}" is not a valid npm package name`;
  if (range === '' || !RANGE_CHARACTERS.test(range)) return `--sdk: "${range}" is not a semver range, e.g. ^1 or >=1.2.0 <2.0.0`;
  if (['*', 'x', 'X', 'latest'].includes(range)) return `--sdk: "${range}" is unbounded; give the majors you support, e.g. ^1`;
  for (const part of range.split('||')) {
    if (/>/.test(part) && !/</.test(part)) return `--sdk: "${range}" has no upper bound; add one, e.g. ">=1.2.0 <2.0.0"`;
  }
  return { package: pkg, range };
}
