// The layering rule with Rolecall's own table of layers: what each layer may import, and every
// way a module can be named (static, re-export, import(), require, TS import forms).
import path from 'node:path';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layering } from '../../../build/eslint-rules/layering.js';
import { forbidden, layers, root } from '../../../build/eslint-rules/layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });
const options = [{ root, layers, forbidden }];
const at = (file: string) => path.join(root, file);
const ok = (file: string, code: string) => ({ filename: at(file), code, options });
const bad = (file: string, code: string, messageId: string, data?: Record<string, string>) => ({
  filename: at(file),
  code,
  options,
  errors: [{ messageId, ...(data ? { data } : {}) }],
});

const CORE = 'src-main/core/sso/manager.ts';
const CORE_PACKAGES = 'zod, @aws-sdk/client-*, @smithy/*, @napi-rs/keyring, @xmldom/xmldom';

tester.run('layering', layering, {
  valid: [
    ok(CORE, "import { ProfileName } from '../../../src-shared/names';"),
    ok(CORE, "import { RolecallError } from '../errors'; export * from './naming';"),
    ok(CORE, "import { readFile } from 'node:fs/promises'; import os from 'os';"),
    ok(CORE, "import { z } from 'zod'; const sts = await import('@aws-sdk/client-sts'); import '@smithy/shared-ini-file-loader';"),
    ok('src-main/app/main.ts', "import { app } from 'electron'; import { createCore } from '../core/core';"),
    ok('src-main/preload/index.ts', "import { contextBridge } from 'electron'; import type { RolecallApi } from '../../src-shared/api';"),
    ok('src-renderer/src/main.tsx', "import { createRoot } from 'react-dom/client'; import { formatCountdown } from '../../src-shared/countdown';"),
    ok('src-main/cli/hot/keychain-cache.ts', "import { createRequire } from 'node:module'; const k = createRequire(import.meta.url)('@napi-rs/keyring');"),
    ok('src-main/cli/commands/serve.ts', "const { startWebServer } = await import('../../web/server');"),
    ok('test/unit/app.test.ts', "import '../../src-main/app/main'; import { startSandbox } from '../sandbox/server'; import { it } from 'vitest';"),
    ok('build/build-cli.mjs', 'const mod = await import(args.path);'),
    ok('src-main/core/providers/assume-role.ts', "import type { Credentials } from './types'; import { assumeRole } from '../aws/sts';"),
    // Files outside every layer (root config files) are not checked.
    ok('electron.vite.config.ts', "import { app } from 'electron'; import x from 'left-pad';"),
  ],
  invalid: [
    // What the issue found: a dynamic import() of electron inside core passed the old rule.
    bad(CORE, "const { app } = await import('electron');", 'package', { from: 'src-main/core', pkg: 'electron', only: ' (only src-main/app, src-main/preload may)', allowed: CORE_PACKAGES }),
    bad(CORE, "const { print } = await import('../../cli/output');", 'layer', { from: 'src-main/core', to: 'src-main/cli', specifier: '../../cli/output', allowed: 'src-main/core, src-shared' }),
    bad(CORE, 'const m = await import(`../../web/server`);', 'layer'),
    bad(CORE, "export * from '../../app/main';", 'layer'),
    bad(CORE, "export { startWebServer } from '../../web/server';", 'layer'),
    bad(CORE, "const c = require('../../cli/context');", 'layer'),
    bad(CORE, "const p = require.resolve('electron');", 'package'),
    bad(CORE, "import { createRequire } from 'node:module'; const e = createRequire(import.meta.url)('electron');", 'package'),
    bad(CORE, "import electron = require('electron');", 'package'),
    bad(CORE, "type Window = typeof import('electron').BrowserWindow;", 'package'),
    bad(CORE, "import type { BrowserWindow } from 'electron';", 'package'),
    bad(CORE, "import { create } from 'zustand';", 'package', { from: 'src-main/core', pkg: 'zustand', only: ' (only src-renderer, test/bench/build may)', allowed: CORE_PACKAGES }),
    bad(CORE, "import pad from 'left-pad';", 'package', { from: 'src-main/core', pkg: 'left-pad', only: '', allowed: CORE_PACKAGES }),
    bad(CORE, 'const m = await import(name);', 'computed', { kind: 'import()' }),
    bad(CORE, 'const m = await import(`../${name}`);', 'computed'),
    bad(CORE, 'const m = require(name);', 'computed', { kind: 'require()' }),
    bad(CORE, "import pkg from '../../../package.json';", 'outside', { specifier: '../../../package.json', target: 'package.json', from: 'src-main/core', allowed: 'src-main/core, src-shared' }),
    // The arrow from providers back up to the broker.
    bad('src-main/core/providers/assume-role.ts', "import type { Step } from '../broker/types';", 'forbidden', { fromDir: 'src-main/core/providers', toDir: 'src-main/core/broker', specifier: '../broker/types', message: forbidden[0]!.message }),
    bad('src-main/core/providers/iam-user.ts', "const { Broker } = await import('../broker/broker');", 'forbidden'),
    bad('src-shared/api.ts', "import { readFile } from 'node:fs/promises';", 'node', { from: 'src-shared', specifier: 'node:fs/promises' }),
    bad('src-shared/api.ts', "import { EventEmitter } from 'events';", 'node'),
    bad('src-shared/api.ts', "import { RolecallError } from '../src-main/core/errors';", 'layer'),
    bad('src-renderer/src/store.ts', "import { createCore } from '../../src-main/core/core';", 'layer'),
    bad('src-renderer/src/store.ts', "import { STSClient } from '@aws-sdk/client-sts';", 'package'),
    bad('src-main/preload/index.ts', "import { RolecallError } from '../core/errors';", 'layer'),
    bad('src-main/preload/index.ts', "import { join } from 'node:path';", 'node'),
    bad('src-main/web/server.ts', "import type { CliContext } from '../cli/context';", 'layer'),
    bad('src-main/app/main.ts', "import { program } from '../cli/program';", 'layer'),
    bad('src-main/cli/main.ts', "import { app } from 'electron';", 'package'),
    bad('test/sandbox/sts/service.ts', "import { RoleArn } from '../../../src-shared/names';", 'layer', { from: 'test/sandbox', to: 'src-shared', specifier: '../../../src-shared/names', allowed: 'test/sandbox' }),
    bad('test/unit/core/agent.test.ts', "import { app } from 'electron';", 'package'),
  ],
});

describe('eslint.config.js', () => {
  it('runs the layering rule on the project, so import() of electron in core fails `npx eslint`', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText("export const load = () => import('electron');\n", { filePath: at('src-main/core/probe.ts') });
    expect(result!.messages.map((m) => [m.ruleId, m.message])).toEqual([
      ['local/layering', `src-main/core may not import the package 'electron' (only src-main/app, src-main/preload may); its packages: ${CORE_PACKAGES}.`],
    ]);
  });
});
