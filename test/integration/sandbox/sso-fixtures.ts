// Shared by the sso-*.test.ts files: a small organization with two Identity Center instances,
// SDK clients pointed at a sandbox, and a device-code sign-in done the way a person would.
import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { SSOClient } from '@aws-sdk/client-sso';
import { approve, type Person } from '../../sandbox/browser';
import type { OrganizationInput } from '../../sandbox/org';
import type { Sandbox } from '../../sandbox/server';

export const ACME_START_URL = 'https://acme.awsapps.com/start';
export const OTHER_START_URL = 'https://other.awsapps.com/start';
export const ALICE: Person = { userName: 'alice@acme.example', password: 'correct horse' };
export const BOB: Person = { userName: 'bob@other.example', password: 'battery staple' };
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export const org: OrganizationInput = {
  accounts: [
    { id: '111111111111', name: 'production', email: 'aws-prod@acme.example' },
    { id: '222222222222', name: 'development', email: 'aws-dev@acme.example' },
    { id: '333333333333', name: 'audit', email: 'aws-audit@acme.example' },
  ],
  identityCenter: [
    {
      startUrl: ACME_START_URL,
      region: 'us-east-1',
      users: [
        {
          userName: ALICE.userName,
          password: ALICE.password,
          assignments: [
            { accountId: '111111111111', roleName: 'ReadOnly' },
            { accountId: '222222222222', roleName: 'AdministratorAccess' },
            { accountId: '222222222222', roleName: 'ReadOnly' },
            { accountId: '222222222222', roleName: 'Billing' },
          ],
        },
      ],
      accessTokenSeconds: 3600,
      sessionSeconds: 8 * 3600,
      roleCredentialSeconds: 3600,
    },
    {
      startUrl: OTHER_START_URL,
      region: 'eu-west-1',
      users: [{ userName: BOB.userName, password: BOB.password, assignments: [{ accountId: '333333333333', roleName: 'Auditor' }] }],
    },
  ],
};

export const oidcClient = (sandbox: Sandbox) => new SSOOIDCClient({ region: 'us-east-1', endpoint: sandbox.url, maxAttempts: 1 });
export const portalClient = (sandbox: Sandbox) => new SSOClient({ region: 'us-east-1', endpoint: sandbox.url, maxAttempts: 1 });

export interface DeviceSignIn {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn?: number;
}

/** Registers a client, starts a device authorization, lets the person approve it in the browser, then redeems the device code. */
export async function signInWithDeviceCode(
  sandbox: Sandbox,
  opts: { person?: Person; startUrl?: string; scopes?: string[] } = {},
): Promise<DeviceSignIn> {
  const oidc = oidcClient(sandbox);
  const reg = await oidc.send(new RegisterClientCommand({ clientName: 'rolecall-test', clientType: 'public', scopes: opts.scopes ?? ['sso:account:access'] }));
  const clientId = reg.clientId ?? '';
  const clientSecret = reg.clientSecret ?? '';
  const da = await oidc.send(new StartDeviceAuthorizationCommand({ clientId, clientSecret, startUrl: opts.startUrl ?? ACME_START_URL }));
  await approve(da.verificationUriComplete ?? '', opts.person ?? ALICE);
  const token = await oidc.send(new CreateTokenCommand({ clientId, clientSecret, grantType: DEVICE_CODE_GRANT, deviceCode: da.deviceCode }));
  return { clientId, clientSecret, accessToken: token.accessToken ?? '', refreshToken: token.refreshToken, expiresIn: token.expiresIn };
}

export interface AwsError extends Error {
  $metadata: { httpStatusCode?: number };
  /** SSO OIDC exceptions carry the OAuth error code. */
  error?: string;
}

/** What the call rejected with; a call that succeeds fails the test. */
export async function rejection<E = AwsError>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected the call to fail');
}

/** The rejection's exception name, as SDK callers test it. */
export const errorName = async (p: Promise<unknown>) => (await rejection(p)).name;
