// Code lint for the whole workspace (`pnpm lint:code`). The recommended rules of ESLint and
// typescript-eslint, plus the type-aware rules that catch real bugs in code built on promises and
// SDK callbacks (a promise nobody awaits or catches, an await on a non-promise, a promise passed
// where a callback's result is ignored). The stylistic and `no-unsafe-*` families stay off: SDK
// internals are `unknown` on purpose, and the formatter owns layout.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/test-results/**', 'site/dist/**', 'bench/results/**', '**/*.min.js'],
  },
  js.configs.recommended,
  // Plain JavaScript: Node scripts, and the one page script the collector's browser test serves.
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
  { files: ['packages/collector/test/browser/*.js'], languageOptions: { globals: globals.browser } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A `let` read by a closure before its one assignment (an owner that calls back at once) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `muted ? track.disable() : track.enable()` and `a && a()` are how this code calls one of two methods.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // A named interface that extends one SDK type is documentation, not noise.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  // The one-line build and test configs are checked by the tools that load them; they belong to
  // no package's tsconfig, so they get the rules that need no types.
  { files: ['**/*.config.ts'], ...tseslint.configs.disableTypeChecked },
  // Declarations of untyped SDKs describe what the SDK really takes.
  { files: ['**/*.d.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
