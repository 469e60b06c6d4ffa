// Lint: typescript-eslint's recommended rules plus the layering rule of ARCHITECTURE.md:
// app/cli/web -> core -> shared; renderer -> shared. Checked here so it is not just remembered.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Only src-main/app and the preload may import electron.' };
const nodeBuiltinRule = nodeBuiltins.map((name) => ({ name, message: 'This layer runs without Node: no Node built-ins.' }));

const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths: [noElectron, ...paths], patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', '.bench'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['src-shared/**'], [
    { group: ['**/src-main/**', '**/src-renderer/**', 'react', 'react-dom', 'zustand', '@aws-sdk/*'], message: 'src-shared is the bottom layer.' },
  ], nodeBuiltinRule),
  layer(['src-main/core/**'], [
    { group: ['**/app/**', '**/cli/**', '**/web/**', '**/src-renderer/**', 'react', 'react-dom', 'zustand'], message: 'core imports only shared, Node and the AWS SDK.' },
  ]),
  layer(['src-main/cli/**', 'src-main/web/**'], [
    { group: ['**/app/**', '**/src-renderer/**', 'react', 'react-dom'], message: 'cli and web sit beside app, over core.' },
  ]),
  layer(['src-renderer/**'], [
    { group: ['**/src-main/**', '@aws-sdk/*'], message: 'The renderer reaches the core only through RolecallApi.' },
  ], nodeBuiltinRule),
);
