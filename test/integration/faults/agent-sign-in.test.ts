// A caller waiting on an agent that walks a person through an Identity Center sign-in is told
// what to do (once, on stderr, however many progress lines the agent sends while it waits) and
// gets its credentials when the person is done (issue 14: the long wait is right only then).
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseJson, repoRoot, useCliHarness } from '../cli/harness';

let browser: string;

const h = useCliHarness(async (h) => {
  browser = path.join(h.home, 'browser.sh');
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  const approveUrl = path.join(repoRoot, 'test/helpers/approve-url.ts');
  // The person takes 6 s, so the agent sends its progress line more than once meanwhile. The
  // agent keeps only an allow-list of the caller's environment: the person is named here.
  await writeFile(browser, `#!/bin/sh\necho "$1" >> "${h.home}/opened.log"\nsleep 6\nROLECALL_TEST_PERSON=alice:demo-password exec "${tsx}" "${approveUrl}" "$1" >/dev/null 2>&1\n`);
  await chmod(browser, 0o755);
  await h.core.state.update((s) => {
    s.ssoSessions.push({ name: 'acme', startUrl: 'https://d-90677c3a1b.awsapps.com/start', region: 'us-east-1' });
    s.profiles.push({ name: 'acme-dev/AdministratorAccess', kind: 'sso-role', ssoSession: 'acme', accountId: '444455556666', roleName: 'AdministratorAccess' });
  });
});

it('credential-process through the agent says once that the person must sign in, and answers when they have', { timeout: 90_000 }, async () => {
  const env = { BROWSER: browser, ROLECALL_NO_AUTOSTART: '' };
  const r = await h().rolecall(['credential-process', 'acme-dev/AdministratorAccess'], { env, secretOutput: true, timeoutMs: 60_000 });
  expect(r.code).toBe(0);
  expect(parseJson(r.stdout).AccessKeyId).toMatch(/^ASIA/);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^rolecall: waiting for you to sign in to acme: Your browser was opened to sign in to https:\/\/d-90677c3a1b\.awsapps\.com\/start\. If it did not open, visit: http\S+\/authorize\?response_type=code&\S+$/);
  expect((await readFile(path.join(h().home, 'opened.log'), 'utf8')).trim().split('\n')).toHaveLength(1);
  expect(h().sandbox.knobs.count('sso-oidc:CreateToken')).toBe(1);
});
