// Debian's AWS CLI v2 against the sandbox's SSO OIDC and portal: the CLI must not be able to tell
// the sandbox from AWS for the device code sign-in and the portal calls.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve } from '../../sandbox/browser';
import { ACME_START_URL, ALICE, DEVICE_CODE_GRANT, org } from './sso-fixtures';
import { useDemoSandbox } from './sts-fixtures';

const AWS = '/usr/bin/aws';
const sandbox = useDemoSandbox({ org });
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'rolecall-sso-cli-'));
  writeFileSync(join(home, 'config'), '');
  writeFileSync(join(home, 'credentials'), '');
});
afterAll(async () => {
  rmSync(home, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with an isolated home and config, against the sandbox, without credentials. */
function aws(...args: string[]): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const full = [...args, '--endpoint-url', sandbox().url, '--region', 'us-east-1', '--no-sign-request', '--output', 'json'];
  return new Promise((resolve) => {
    execFile(AWS, full, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function json<T>(run: Run): T {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

describe('AWS CLI v2 against the sandbox', () => {
  it('signs in with the device code grant and uses the portal', async () => {
    const reg = json<{ clientId: string; clientSecret: string; clientSecretExpiresAt: number }>(
      await aws('sso-oidc', 'register-client', '--client-name', 'rolecall-cli-test', '--client-type', 'public', '--scopes', 'sso:account:access'),
    );
    expect(reg.clientSecretExpiresAt).toBeGreaterThan(Date.now() / 1000 + 89 * 24 * 3600);
    // name=value: an opaque value may begin with '-', which the CLI's argument parser would take for an option.
    const client = [`--client-id=${reg.clientId}`, `--client-secret=${reg.clientSecret}`];
    const da = json<{ deviceCode: string; userCode: string; verificationUriComplete: string; interval: number }>(
      await aws('sso-oidc', 'start-device-authorization', ...client, '--start-url', ACME_START_URL),
    );
    const createToken = () => aws('sso-oidc', 'create-token', ...client, '--grant-type', DEVICE_CODE_GRANT, `--device-code=${da.deviceCode}`);

    const pending = await createToken();
    const polledAt = Date.now();
    expect(pending.code).not.toBe(0);
    expect(pending.stderr).toContain('An error occurred (AuthorizationPendingException) when calling the CreateToken operation');

    await approve(da.verificationUriComplete, ALICE);
    // wait out the polling interval, as the CLI's own login does
    await new Promise((r) => setTimeout(r, Math.max(0, polledAt + da.interval * 1000 - Date.now())));
    const token = json<{ accessToken: string; tokenType: string; expiresIn: number; refreshToken: string }>(await createToken());
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresIn).toBe(3600);
    expect(token.refreshToken).toBeTruthy();

    const at = [`--access-token=${token.accessToken}`];
    const [accounts, roles, creds, bogus] = await Promise.all([
      aws('sso', 'list-accounts', ...at),
      aws('sso', 'list-account-roles', ...at, '--account-id', '222222222222'),
      aws('sso', 'get-role-credentials', ...at, '--account-id', '111111111111', '--role-name', 'ReadOnly'),
      aws('sso', 'list-accounts', '--access-token', 'aoa-not-a-token'),
    ]);
    expect(json<{ accountList: { accountId: string; accountName: string }[] }>(accounts).accountList.map((a) => a.accountName)).toEqual([
      'development',
      'production',
    ]);
    expect(json<{ roleList: { roleName: string }[] }>(roles).roleList.map((r) => r.roleName)).toEqual(['AdministratorAccess', 'Billing', 'ReadOnly']);
    const rc = json<{ roleCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number } }>(creds).roleCredentials;
    expect(rc.accessKeyId).toMatch(/^ASIA/);
    expect(rc.expiration).toBeGreaterThan(Date.now() + 3500_000);
    expect(sandbox().state.credentials.get(rc.accessKeyId)?.issuedBy).toBe('sso:GetRoleCredentials');
    expect(bogus.code).not.toBe(0);
    expect(bogus.stderr).toContain('An error occurred (UnauthorizedException) when calling the ListAccounts operation: Session token not found or invalid');
  });
});
