// ESLint (flat config): typescript-eslint everywhere, type-aware rules where a
// wrong promise or a needless cast costs most (src/ and reference/ sources),
// the layer boundaries of scripts/layers.js, and the house rules STYLE.md states.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { boundaryConfigs } from './scripts/layers.js';

const TYPE_AWARE = ['src/**/*.ts', 'reference/**/*.ts'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '**/node_modules/**',
      'scratch/**',
      '.santokit-it/**',
      'test/.tmp/**',
      'bench/.tmp/**',
      'reference/*/.build/**',
      'test/fixtures/lint/**',
      'python/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly' },
    },
    rules: {
      // TypeScript checks names; core no-undef does not know Node's and the DOM's globals.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      eqeqeq: ['error', 'always'],
      // A teardown is registered before the thing it stops exists, so its closure reads a `let` assigned later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Matching control characters is deliberate here: ANSI colours, characters XML forbids, names that must not hold them.
      'no-control-regex': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'erasableSyntaxOnly: use an `as const` list.' },
      ],
    },
  },
  {
    files: TYPE_AWARE,
    ignores: ['**/*.test.ts', '**/fixtures/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Only src/cli/main.ts ends the process.' },
        { object: 'process', property: 'stdout', message: 'Only reporters write to the terminal (report/screen.ts).' },
        { object: 'process', property: 'stderr', message: 'Only reporters write to the terminal (report/screen.ts).' },
      ],
    },
  },
  {
    files: ['src/cli/main.ts', 'src/report/screen.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-console': 'off' },
  },
  ...boundaryConfigs(),
);
