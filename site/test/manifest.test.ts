import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAllVendors, checkVendor, findVendorPackages, renderLimits, renderSupportedVersions, renderWhatIsMapped } from '../src/manifest.ts';
import { readmeSection } from '../src/markdown.ts';
import { copyWorkspace, ROOT, type WorkspaceCopy } from './workspace-copy.ts';

describe('the vendor manifests of this workspace', () => {
  it('every vendor package has a manifest that agrees with its package.json, src/index.ts, logo, example and README', () => {
    // A package without one fails here with the reason and the fix (the page cannot list it).
    expect(checkAllVendors(ROOT)).toEqual([]);
  });

  it('finds the vendor packages, not the infrastructure ones', () => {
    const ids = findVendorPackages(ROOT).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['janus', 'jssip', 'peerjs', 'simple-peer', 'sipjs']));
    expect(ids).not.toContain('core');
    expect(ids).not.toContain('collector');
    expect(ids).not.toContain('testkit');
  });

  it('each README section generated from the manifest is the README text itself', () => {
    for (const vendor of findVendorPackages(ROOT).filter((v) => v.manifest)) {
      const readme = readFileSync(join(vendor.dir, 'README.md'), 'utf8');
      expect(readmeSection(readme, 'Supported versions'), vendor.id).toBe(renderSupportedVersions(vendor.manifest!));
      expect(readmeSection(readme, 'What is mapped'), vendor.id).toBe(renderWhatIsMapped(vendor.manifest!));
      expect(readmeSection(readme, 'Limits'), vendor.id).toBe(renderLimits(vendor.manifest!));
    }
  });
});

describe('drift between a manifest and its package fails the check', () => {
  let copy: WorkspaceCopy;
  const peerjs = () => findVendorPackages(copy.root).find((v) => v.id === 'peerjs')!;
  const edit = (file: string, change: (text: string) => string): (() => void) => {
    const path = join(copy.root, file);
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, change(before));
    return () => writeFileSync(path, before);
  };
  const problemsWith = (file: string, change: (text: string) => string): string[] => {
    const restore = edit(file, change);
    try {
      return checkVendor(copy.root, peerjs());
    } finally {
      restore();
    }
  };

  beforeAll(() => {
    copy = copyWorkspace();
  });
  afterAll(() => copy.remove());

  it('starts from a clean package', () => {
    expect(checkVendor(copy.root, peerjs())).toEqual([]);
  });

  it('a peer range that differs from the manifest', () => {
    expect(problemsWith('packages/peerjs/package.json', (t) => t.replace('"peerjs": ">=1.4.0 <1.6.0"', '"peerjs": ">=1.4.0 <1.7.0"'))).toEqual([
      'packages/peerjs: shims.sdk.range ">=1.4.0 <1.6.0" differs from peerDependencies["peerjs"] ">=1.4.0 <1.7.0"',
    ]);
  });

  it('a README section edited by hand', () => {
    const problems = problemsWith('packages/peerjs/README.md', (t) => t.replace('No mute or hold mapping', 'No mute mapping'));
    expect(problems).toEqual([
      expect.stringMatching(/README\.md "Limits" differs from the manifest: edit package.json "shims", then run `pnpm --filter @shims\/site readme`/),
    ]);
  });

  it('a mapping row changed in the manifest but not in the README', () => {
    const problems = problemsWith('packages/peerjs/package.json', (t) =>
      t.replace('"one `fabricTerminated` per pc"', '"two `fabricTerminated` per pc"'),
    );
    expect(problems).toEqual([expect.stringContaining('README.md "What is mapped" differs from the manifest')]);
  });

  it('an entry point src/index.ts does not export, a missing logo, a missing example', () => {
    expect(problemsWith('packages/peerjs/src/index.ts', (t) => t.replace(/\bmonitorPeerJs\b,? ?/, ''))).toEqual([
      'packages/peerjs: src/index.ts does not export monitorPeerJs (shims.entry.export)',
    ]);
    const restore = edit('packages/peerjs/package.json', (t) =>
      t.replace('"logo": "logo.svg"', '"logo": "nope.svg"').replace('"example": "examples/peerjs"', '"example": "examples/nope"'),
    );
    try {
      expect(checkVendor(copy.root, peerjs())).toEqual([
        'packages/peerjs: shims.logo: no file nope.svg in packages/peerjs',
        'packages/peerjs: shims.example: no package at examples/nope (it needs a package.json)',
      ]);
    } finally {
      restore();
    }
  });

  it('a logo with a script in it', () => {
    expect(problemsWith('packages/peerjs/logo.svg', (t) => t.replace('</svg>', '<script>alert(1)</script></svg>'))).toEqual([
      'packages/peerjs: shims.logo: logo.svg must not contain scripts, event handlers or external links',
    ]);
  });

  it('a vendor package without a manifest, with the fix in the message', () => {
    const problems = problemsWith('packages/peerjs/package.json', (t) => {
      const pkg = JSON.parse(t) as Record<string, unknown>;
      delete pkg.shims;
      return JSON.stringify(pkg);
    });
    expect(problems).toEqual([
      'packages/peerjs: package.json has no "shims" manifest, so the integrations page cannot list it (see CONTRIBUTING.md, "Adding a vendor"; `pnpm new-shim` writes one)',
    ]);
  });

  it('a manifest missing fields names each one', () => {
    const problems = problemsWith('packages/peerjs/package.json', (t) => {
      const pkg = JSON.parse(t) as { shims: Record<string, unknown> };
      delete pkg.shims.limits;
      pkg.shims.entry = { export: 'monitorPeerJs' };
      return JSON.stringify(pkg);
    });
    expect(problems).toEqual([
      'packages/peerjs: shims.entry.usage must be a non-empty string',
      'packages/peerjs: shims.limits must be an array of non-empty strings',
    ]);
  });

  it('every vendor of the copy checks out once the edits are undone', () => {
    rmSync(join(copy.root, 'packages/peerjs/test-results'), { recursive: true, force: true });
    expect(checkVendor(copy.root, peerjs())).toEqual([]);
  });
});
