// Lint: typescript-eslint's recommended rules plus the layering rule of docs/ARCHITECTURE.md
// (build/eslint-rules/): each layer imports only what its allow-list names, so the layering is
// checked, not remembered.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { layering } from './build/eslint-rules/layering.js';
import { forbidden, layers, root } from './build/eslint-rules/layers.js';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', '.bench', '.stryker-tmp*', 'reports', 'release'] }, // .stryker-tmp*: mutation testing's copies of the tree (one per run side by side)
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { local: { rules: { layering } } },
    rules: { 'local/layering': ['error', { root, layers, forbidden }] },
  },
);
