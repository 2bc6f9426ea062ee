// One shape for every vendor: the options of each entry point extend core's ShimMonitorOptions and
// what it returns is a ShimMonitor (fabricFor, fabrics, dispose, Symbol.dispose) with no second
// name for them (`fabricOf`, `fabricsOf`, `get…`). Checked by the TypeScript compiler on each
// vendor's published types (dist/index.d.ts), so a new vendor is held to it the day it is added.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findVendorPackages } from '../src/manifest.ts';
import { findWorkspaceRoot } from '../src/workspace-root.ts';

const root = findWorkspaceRoot(fileURLToPath(new URL('.', import.meta.url)));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const work = mkdtempSync(join(tmpdir(), 'vendor-shapes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SHAPE_RULES = `
import type { ShimMonitor, ShimMonitorOptions } from ${JSON.stringify(join(root, 'packages/core/dist/index.js'))};
type LastParameter<F> = F extends (...args: infer A) => unknown ? (A extends readonly [...unknown[], infer L] ? L : never) : never;
type SecondNames<M> = Extract<keyof M, \`\${string}Of\` | \`get\${string}\`>;
/** true, or the name of the rule the vendor breaks. */
type Shape<F> = [NonNullable<LastParameter<F>>] extends [ShimMonitorOptions<never>]
  ? F extends (...args: never[]) => infer M
    ? [M] extends [ShimMonitor<never>]
      ? [SecondNames<M>] extends [never]
        ? true
        : 'a second name for fabricFor or fabrics'
      : 'returns no ShimMonitor'
    : 'not a function'
  : 'options do not extend ShimMonitorOptions';
`;

/** Compiles one file that asserts the shape of each `[label, module path, export]`; tsc's output, or '' when it passes. */
function compileShapes(name: string, entries: ReadonlyArray<readonly [label: string, module: string, exported: string]>): string {
  const lines = entries.flatMap(([label, module, exported], i) => [
    `import type { ${exported} as entry${i} } from ${JSON.stringify(module)};`,
    `export const ${label.replace(/\W/g, '_')}: Shape<typeof entry${i}> = true;`,
  ]);
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'shapes.ts'), `${SHAPE_RULES}\n${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(root, 'tsconfig.base.json'),
      compilerOptions: { isolatedDeclarations: false, types: [] },
      include: ['shapes.ts'],
    }),
  );
  const result = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  return result.status === 0 ? '' : `${result.stdout}${result.stderr}`;
}

describe('every vendor has the one shape', () => {
  const vendors = findVendorPackages(root).filter((v) => v.manifest);

  it('each entry point takes options that extend ShimMonitorOptions and returns a ShimMonitor, with no second name for its methods', () => {
    expect(vendors.length).toBeGreaterThanOrEqual(6);
    const unbuilt = vendors.filter((v) => !existsSync(join(v.dir, 'dist/index.d.ts'))).map((v) => v.name);
    expect(unbuilt, 'vendors without dist/index.d.ts: build them first (pnpm check builds every package before its tests)').toEqual([]);
    const entries = vendors.map((v) => [v.id, join(v.dir, 'dist/index.js'), v.manifest!.entry.export] as const);
    expect(compileShapes('vendors', entries)).toBe('');
  }, 60_000);

  it('fails for an entry point whose options or handle differ', () => {
    const fixture = join(work, 'fixture');
    mkdirSync(fixture, { recursive: true });
    writeFileSync(join(fixture, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(fixture, 'index.d.ts'),
      [
        `import type { ShimMonitor, ShimMonitorOptions } from ${JSON.stringify(join(root, 'packages/core/dist/index.js'))};`,
        'export declare function ownOptions(client: object, options: { conference: string }): ShimMonitor<object>;',
        'export declare function secondName(client: object, options: ShimMonitorOptions<void>): ShimMonitor<object> & { fabricOf(x: object): undefined };',
        'export declare function noHandle(client: object, options: ShimMonitorOptions<void>): { dispose(): void };',
      ].join('\n'),
    );
    const output = compileShapes('broken', [
      ['ownOptions', join(fixture, 'index.js'), 'ownOptions'],
      ['secondName', join(fixture, 'index.js'), 'secondName'],
      ['noHandle', join(fixture, 'index.js'), 'noHandle'],
    ]);
    expect(output).toContain('"options do not extend ShimMonitorOptions"');
    expect(output).toContain('"a second name for fabricFor or fabrics"');
    expect(output).toContain('"returns no ShimMonitor"');
  }, 60_000);
});
