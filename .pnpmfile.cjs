// Same commit, same tarball bytes. `pnpm pack` and `pnpm publish` rewrite each `workspace:`
// dependency to its version by reading that package's manifest, and put the rewritten map
// together in the order those reads finish (pnpm 10's exportable-manifest, pMapValues): a vendor
// package's devDependencies `@shims/collector` and `@shims/testkit` came out in either order, so
// its package.json, and the tarball, changed from pack to pack. Sorted by name, as pnpm itself
// writes them, they come out the same every time. site/test/reproducible-packs.test.ts checks it.
const FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/** By UTF-16 code unit, not by locale: the same order on every machine. */
const byName = ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0);

module.exports = {
  hooks: {
    beforePacking(manifest) {
      for (const field of FIELDS) {
        if (manifest[field]) manifest[field] = Object.fromEntries(Object.entries(manifest[field]).sort(byName));
      }
      return manifest;
    },
  },
};
