// Bundles the `rolecall` CLI into one ESM file. npm packages stay external so the AWS SDK
// is loaded from node_modules only when a code path imports it (the credential-process hot path never does).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const outfile = 'dist/cli/rolecall.mjs';
await build({
  entryPoints: ['src-main/cli/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
