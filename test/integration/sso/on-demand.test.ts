// With no Identity Center token, credential-process opens the sign-in page in the browser; when
// 30 processes ask at once, exactly one sign-in happens and every one prints the same credentials.
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot, useCliHarness } from '../cli/harness';

const RUNS = 30;
let browser: string;

const h = useCliHarness(async (h) => {
  browser = path.join(h.home, 'browser.sh');
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  const approveUrl = path.join(repoRoot, 'test/helpers/approve-url.ts');
  // Each opened page is recorded, then approved as alice.
  await writeFile(browser, `#!/bin/sh\necho "$1" >> "${h.home}/opened.log"\nexec "${tsx}" "${approveUrl}" "$1"\n`);
  await chmod(browser, 0o755);
  await h.core.state.update((s) => {
    s.ssoSessions.push({ name: 'acme', startUrl: 'https://d-90677c3a1b.awsapps.com/start', region: 'us-east-1' });
    s.profiles.push({ name: 'acme-dev/AdministratorAccess', kind: 'sso-role', ssoSession: 'acme', accountId: '444455556666', roleName: 'AdministratorAccess' });
  });
});

it('signs in once through the browser for many concurrent credential-process runs', { timeout: 120_000 }, async () => {
  const env = { BROWSER: browser, ROLECALL_TEST_PERSON: 'alice:demo-password', ROLECALL_NO_AUTOSTART: '1' };
  const runs = await Promise.all(
    Array.from({ length: RUNS }, () => h().rolecall(['credential-process', 'acme-dev/AdministratorAccess'], { env, secretOutput: true, timeoutMs: 90_000 })),
  );
  expect(runs.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
  expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
  expect(h().sandbox.knobs.count('sso-oidc:CreateToken')).toBe(1);
  expect(h().sandbox.knobs.count('sso:GetRoleCredentials')).toBe(1);
  const opened = await import('node:fs/promises').then((fs) => fs.readFile(path.join(h().home, 'opened.log'), 'utf8'));
  expect(opened.trim().split('\n')).toHaveLength(1);
  expect(opened).toMatch(/\/authorize\?response_type=code&/);
});

it('without a browser, says to sign in again instead of waiting', async () => {
  const env = { BROWSER: '', DISPLAY: '', WAYLAND_DISPLAY: '', ROLECALL_NO_AUTOSTART: '1' };
  const r = await h().rolecall(['credential-process', 'acme-dev/AdministratorAccess'], { env });
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim()).toMatch(/^rolecall: profile 'acme-dev\/AdministratorAccess': .*rolecall login sso acme$/);
  expect(h().sandbox.knobs.count('sso-oidc:RegisterClient')).toBe(0);
});
