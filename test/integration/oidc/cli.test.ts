// `rolecall oidc add|list|remove` and `rolecall login oidc` as a person runs them, against the
// sandbox's oidc-provider IdP: the device code approved in headless Chromium, PKCE through
// $BROWSER, a silent renewal with the refresh token, and the profiles serving Debian's AWS CLI v2
// through credential_process.
import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { oidcTokenEntryName, OidcTokenRecord } from '../../../src-main/core/secrets/keychain-entries';
import { parseJson, repoRoot, useCliHarness, VIA_AGENT, type CliHarness } from '../cli/harness';
import { ALICE, Person } from './person';

const AWS = '/usr/bin/aws';
const DEVELOPER = 'arn:aws:iam::444455556666:role/FederatedDeveloper';
const READ_ONLY = 'arn:aws:iam::444455556666:role/FederatedReadOnly';
/** No browser can open: a sign-in must come from the keychain, not from a person. */
const NO_BROWSER = { BROWSER: '', DISPLAY: '', WAYLAND_DISPLAY: '' };

const h = useCliHarness(async (x) => {
  const r = await x.rolecall(['oidc', 'add', 'corp', '--issuer', `${x.sandbox.url}/oidc`, '--client-id', 'rolecall-desktop', '--role-arn', DEVELOPER, '--role-arn', READ_ONLY]);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout).toContain("profiles 'corp/FederatedDeveloper', 'corp/FederatedReadOnly'");
});

const record = async (x: CliHarness) => {
  const raw = await x.core.secrets.get(oidcTokenEntryName('corp'));
  return raw === null ? null : OidcTokenRecord.parse(JSON.parse(raw));
};

/** Runs `rolecall ARGS`, calling onLine for each stderr line as it comes (the device code is read from there). */
function rolecallLive(x: CliHarness, args: string[], onLine: (line: string) => void, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [x.script, ...args], { env: { ...x.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      x.outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    }),
  );
}

async function callerArn(x: CliHarness, profile: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await x.run(AWS, ['--profile', profile, 'sts', 'get-caller-identity', '--endpoint-url', x.sandbox.url, '--output', 'json'], { env: { ...NO_BROWSER, ...env }, timeoutMs: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseJson<{ Arn: string }>(r.stdout).Arn;
}

describe('rolecall login oidc', () => {
  it('--device-code approved in the browser, then config write: the AWS CLI uses the profiles, and a near-expiry id_token is renewed without a person', async () => {
    const person = new Person(ALICE);
    const approvals: Promise<unknown>[] = [];
    try {
      const login = await rolecallLive(
        h(),
        ['login', 'oidc', 'corp', '--device-code'],
        (line) => {
          const m = /\(or open (\S+), which fills in the code\)/.exec(line);
          if (m?.[1]) approvals.push(person.signIn(m[1]));
        },
        NO_BROWSER,
      );
      await Promise.all(approvals);
      expect(login.stderr).toMatch(/^To sign in to corp, open http:\/\/127\.0\.0\.1:\d+\/oidc\/device and enter the code: [A-Z]{4}-[A-Z]{4}$/m);
      expect(login).toMatchObject({ code: 0 });
      expect(login.stdout).toMatch(/^Signed in to corp as alice \(id_token valid until \S+\); profiles: corp\/FederatedDeveloper, corp\/FederatedReadOnly\n$/);
    } finally {
      await person.close();
    }
    expect(approvals).toHaveLength(1);
    expect((await h().rolecall(['config', 'write'])).code).toBe(0);
    expect(await callerArn(h(), 'corp/FederatedDeveloper')).toMatch(/^arn:aws:sts::444455556666:assumed-role\/FederatedDeveloper\/alice$/);
    expect(await callerArn(h(), 'corp/FederatedReadOnly')).toMatch(/assumed-role\/FederatedReadOnly\//);

    // Two minutes left on the id_token (as Rolecall sees it): the next session renews it with the refresh token.
    const before = await record(h());
    await h().core.secrets.set(oidcTokenEntryName('corp'), JSON.stringify({ ...before, idTokenExpiresAt: new Date(Date.now() + 120_000).toISOString() }));
    const cp = await h().rolecall(['credential-process', '--profile', 'corp/FederatedDeveloper', '--force-refresh'], { env: NO_BROWSER, secretOutput: true });
    expect(cp).toMatchObject({ code: 0, stderr: '' });
    expect(parseJson(cp.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    const after = await record(h());
    expect(after?.idToken).not.toBe(before?.idToken);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(Date.parse(after?.idTokenExpiresAt ?? '')).toBeGreaterThan(Date.now() + 30 * 60_000);
    for (const secret of [before?.refreshToken, before?.idToken, after?.refreshToken, after?.idToken]) expect(h().outputs.join('\n')).not.toContain(secret);

    // Six processes (two profiles) needing a new session at once: one renewal at the IdP, and all served.
    await h().core.secrets.set(oidcTokenEntryName('corp'), JSON.stringify({ ...after, idTokenExpiresAt: new Date(Date.now() + 120_000).toISOString() }));
    h().sandbox.knobs.resetCounts();
    const runs = await Promise.all(
      ['corp/FederatedDeveloper', 'corp/FederatedReadOnly'].flatMap((p) => [1, 2, 3].map(() => h().rolecall(['credential-process', '--profile', p, '--force-refresh'], { env: NO_BROWSER, secretOutput: true, timeoutMs: 60_000 }))),
    );
    expect(runs.map((r) => [r.code, r.stderr])).toEqual(Array.from({ length: 6 }, () => [0, '']));
    expect(h().sandbox.knobs.calls.get('oidc-idp:token')).toBe(1);
  }, 180_000);

  it('in the browser with PKCE ($BROWSER), then oidc list says signed in, and oidc remove ends the profiles and the sign-in', async () => {
    const browser = path.join(h().home, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\nexec "${path.join(repoRoot, 'node_modules/.bin/tsx')}" "${path.join(repoRoot, 'test/integration/oidc/person-browser.ts')}" "$1"\n`);
    await chmod(browser, 0o755);
    const login = await h().rolecall(['login', 'oidc', 'corp'], { env: { BROWSER: browser }, timeoutMs: 90_000 });
    expect(login.stderr).toMatch(/^Your browser was opened to sign in to corp/);
    expect(login.stdout).toMatch(/^Signed in to corp as alice/);
    expect(login.code).toBe(0);
    expect((await record(h()))?.flow).toBe('pkce');
    expect((await h().rolecall(['config', 'write'])).code).toBe(0);

    // A sign-in replaces the sessions of the one before (perhaps another person's).
    const cached = await h().rolecall(['credential-process', '--profile', 'corp/FederatedDeveloper'], { env: NO_BROWSER, secretOutput: true });
    expect((await h().rolecall(['login', 'oidc', 'corp'], { env: { BROWSER: browser }, timeoutMs: 90_000 })).code).toBe(0);
    const fresh = await h().rolecall(['credential-process', '--profile', 'corp/FederatedDeveloper'], { env: NO_BROWSER, secretOutput: true });
    expect(parseJson(fresh.stdout).AccessKeyId).not.toBe(parseJson(cached.stdout).AccessKeyId);

    const list = await h().rolecall(['oidc', 'list', '--json']);
    expect(parseJson<unknown[]>(list.stdout)).toEqual([
      expect.objectContaining({ name: 'corp', clientId: 'rolecall-desktop', scopes: ['openid', 'offline_access'], profiles: ['corp/FederatedDeveloper', 'corp/FederatedReadOnly'], signedIn: true, renewable: true }),
    ]);
    const rows = parseJson<{ name: string; kind: string; source: string; accountId: string; roleName: string }[]>((await h().rolecall(['list', '--json'])).stdout);
    expect(rows.filter((r) => r.kind === 'oidc-role').map((r) => [r.name, r.source, r.accountId, r.roleName])).toEqual([
      ['corp/FederatedDeveloper', 'corp', '444455556666', 'FederatedDeveloper'],
      ['corp/FederatedReadOnly', 'corp', '444455556666', 'FederatedReadOnly'],
    ]);
    // Through the background agent, as AWS tools reach Rolecall by default.
    const cp = await h().rolecall(['credential-process', '--profile', 'corp/FederatedReadOnly'], { env: { ...NO_BROWSER, ...VIA_AGENT }, secretOutput: true });
    expect(cp).toMatchObject({ code: 0, stderr: '' });
    expect(await callerArn(h(), 'corp/FederatedReadOnly', VIA_AGENT)).toMatch(/assumed-role\/FederatedReadOnly\//);

    const removed = await h().rolecall(['oidc', 'remove', 'corp']);
    expect(removed.stdout).toBe("Removed OIDC integration 'corp' and its profiles 'corp/FederatedDeveloper', 'corp/FederatedReadOnly'\n");
    expect(await record(h())).toBeNull();
    const gone = await h().rolecall(['credential-process', '--profile', 'corp/FederatedReadOnly'], { env: { ...NO_BROWSER, ...VIA_AGENT } });
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/^rolecall: profile 'corp\/FederatedReadOnly' does not exist/);
  }, 120_000);

  it('without a sign-in, a profile says how to sign in (one line, non-zero exit)', async () => {
    const r = await h().rolecall(['credential-process', '--profile', 'corp/FederatedDeveloper'], { env: NO_BROWSER });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe("rolecall: profile 'corp/FederatedDeveloper': not signed in to the OIDC integration 'corp'; sign in again; run: rolecall login oidc corp\n");
  });
});
