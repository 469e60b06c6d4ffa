// Rolecall's layers and what each may import (docs/ARCHITECTURE.md, "Layering"). Imports point
// down: app, cli, web -> core -> shared; preload and renderer -> shared. Only app and preload
// may import electron. A layer may always import its own files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });

export const layers = [
  // What both sides of a process boundary agree on: runs in the renderer too, so no Node.
  { name: 'src-shared', dirs: ['src-shared'], layers: [], node: false, packages: ['zod'] },
  {
    name: 'src-main/core',
    dirs: ['src-main/core'],
    layers: ['src-shared'],
    node: true,
    packages: ['zod', '@aws-sdk/client-*', '@smithy/*', '@napi-rs/keyring', '@xmldom/xmldom'],
  },
  // The CLI's hot path reads the keychain itself, so that it loads none of the core.
  { name: 'src-main/cli', dirs: ['src-main/cli'], layers: ['src-shared', 'src-main/core', 'src-main/web'], node: true, packages: ['commander', '@napi-rs/keyring'] },
  { name: 'src-main/web', dirs: ['src-main/web'], layers: ['src-shared', 'src-main/core'], node: true, packages: [] },
  { name: 'src-main/app', dirs: ['src-main/app'], layers: ['src-shared', 'src-main/core'], node: true, packages: ['electron'] },
  // A sandboxed preload gets electron's contextBridge/ipcRenderer, not Node.
  { name: 'src-main/preload', dirs: ['src-main/preload'], layers: ['src-shared'], node: false, packages: ['electron'] },
  { name: 'src-renderer', dirs: ['src-renderer'], layers: ['src-shared'], node: false, packages: ['react', 'react-dom', 'zustand'] },
  // The imitation of AWS shares no code with the product, so a product bug cannot hide in both.
  {
    name: 'test/sandbox',
    dirs: ['test/sandbox'],
    layers: [],
    node: true,
    packages: ['zod', 'commander', 'jose', 'otpauth', 'xml-crypto', '@xmldom/xmldom', 'fast-xml-parser', 'oidc-provider'],
  },
  // Tests, benchmarks and build scripts sit on top: any layer, any declared package but electron.
  {
    name: 'test/bench/build',
    dirs: ['test', 'bench', 'build'],
    layers: ['src-shared', 'src-main/core', 'src-main/cli', 'src-main/web', 'src-main/app', 'src-main/preload', 'src-renderer', 'test/sandbox'],
    node: true,
    packages: declared.filter((name) => name !== 'electron'),
    computedSpecifiers: true,
  },
];

export const forbidden = [
  {
    from: 'src-main/core/providers',
    to: 'src-main/core/broker',
    message: 'the broker composes providers; a provider takes parent credentials and knows nothing of the broker.',
  },
];
