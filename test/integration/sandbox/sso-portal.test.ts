// The sandbox's IAM Identity Center portal as the AWS SDK for JS v3 sees it: accounts and roles
// with pagination, role credentials, logout, throttling, and a 1,000-account organization.
import { afterEach, describe, expect, it } from 'vitest';
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  paginateListAccountRoles,
  paginateListAccounts,
  type SSOClient,
} from '@aws-sdk/client-sso';
import { CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import type { OrganizationInput } from '../../sandbox/org';
import { ACME_START_URL, ALICE, BOB, errorName, oidcClient, org, rejection, type AwsError, OTHER_START_URL, portalClient, signInWithDeviceCode } from './sso-fixtures';

let sandbox: Sandbox;
afterEach(() => sandbox?.close());

async function signedIn(orgInput: OrganizationInput = org, opts: Parameters<typeof signInWithDeviceCode>[1] = {}) {
  sandbox = await startSandbox({ org: orgInput });
  const s = await signInWithDeviceCode(sandbox, opts);
  return { ...s, portal: portalClient(sandbox) };
}

async function allAccounts(portal: SSOClient, accessToken: string, pageSize?: number) {
  const pages = [];
  for await (const page of paginateListAccounts({ client: portal, pageSize }, { accessToken })) pages.push(page.accountList ?? []);
  return pages;
}

describe('ListAccounts and ListAccountRoles', () => {
  it("list the user's accounts with names and emails, and the roles assigned in each", async () => {
    const { portal, accessToken } = await signedIn();
    const accounts = await portal.send(new ListAccountsCommand({ accessToken }));
    expect(accounts.accountList).toEqual([
      { accountId: '222222222222', accountName: 'development', emailAddress: 'aws-dev@acme.example' },
      { accountId: '111111111111', accountName: 'production', emailAddress: 'aws-prod@acme.example' },
    ]);
    expect(accounts.nextToken).toBeUndefined();
    const roles = await portal.send(new ListAccountRolesCommand({ accessToken, accountId: '222222222222' }));
    expect(roles.roleList).toEqual([
      { roleName: 'AdministratorAccess', accountId: '222222222222' },
      { roleName: 'Billing', accountId: '222222222222' },
      { roleName: 'ReadOnly', accountId: '222222222222' },
    ]);
  });

  it('page with opaque next tokens: 20 accounts a page by default, max_result 1-100', async () => {
    const accounts = Array.from({ length: 45 }, (_, i) => ({ id: String(100000000000 + i), name: `acct-${String(i).padStart(2, '0')}`, email: `a${i}@acme.example` }));
    const big: OrganizationInput = {
      accounts,
      identityCenter: [
        { startUrl: ACME_START_URL, users: [{ ...ALICE, assignments: accounts.flatMap((a) => ['Admin', 'Dev', 'Read'].map((roleName) => ({ accountId: a.id, roleName }))) }] },
      ],
    };
    const { portal, accessToken } = await signedIn(big);
    const byDefault = await allAccounts(portal, accessToken);
    expect(byDefault.map((p) => p.length)).toEqual([20, 20, 5]);
    const bySeven = await allAccounts(portal, accessToken, 7);
    expect(bySeven.flat().map((a) => a.accountName)).toEqual(accounts.map((a) => a.name));
    expect(bySeven).toHaveLength(7);

    const rolePages = [];
    for await (const p of paginateListAccountRoles({ client: portal, pageSize: 2 }, { accessToken, accountId: accounts[3]?.id })) rolePages.push(p.roleList ?? []);
    expect(rolePages.map((p) => p.map((r) => r.roleName))).toEqual([['Admin', 'Dev'], ['Read']]);

    expect(await errorName(portal.send(new ListAccountsCommand({ accessToken, maxResults: 101 })))).toBe('InvalidRequestException');
    expect(await errorName(portal.send(new ListAccountsCommand({ accessToken, nextToken: 'garbage' })))).toBe('InvalidRequestException');
  });

  it('answers UnauthorizedException for an unknown or expired access token', async () => {
    const { portal, accessToken } = await signedIn();
    const err = await rejection(portal.send(new ListAccountsCommand({ accessToken: 'aoa-not-a-token' })));
    expect(err.name).toBe('UnauthorizedException');
    expect(err.message).toBe('Session token not found or invalid');
    expect(err.$metadata.httpStatusCode).toBe(401);
    sandbox.state.clockOffsetMs += 3601 * 1000;
    expect(await errorName(portal.send(new ListAccountsCommand({ accessToken })))).toBe('UnauthorizedException');
  });

  it('shows a user only the instance they signed in to, with that instance\'s roles', async () => {
    const { portal, accessToken } = await signedIn(org, { startUrl: OTHER_START_URL, person: BOB });
    const accounts = await portal.send(new ListAccountsCommand({ accessToken }));
    expect(accounts.accountList?.map((a) => a.accountId)).toEqual(['333333333333']);
    // An instance outside us-east-1 provisions its roles under a path naming its region.
    const { roleCredentials } = await portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: '333333333333', roleName: 'Auditor' }));
    expect(sandbox.state.credentials.get(roleCredentials?.accessKeyId ?? '')?.roleArn).toMatch(
      /^arn:aws:iam::333333333333:role\/aws-reserved\/sso\.amazonaws\.com\/eu-west-1\/AWSReservedSSO_Auditor_[0-9a-f]{16}$/,
    );
  });
});

describe('GetRoleCredentials', () => {
  it('issues assumed-role credentials for an assigned role, expiring after the permission set duration', async () => {
    const { portal, accessToken } = await signedIn();
    const before = Date.now();
    const { roleCredentials: c } = await portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: '222222222222', roleName: 'ReadOnly' }));
    expect(c?.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c?.secretAccessKey).toHaveLength(40);
    expect(c?.sessionToken).toBeTruthy();
    // epoch milliseconds, one hour out
    expect(Number(c?.expiration)).toBeGreaterThanOrEqual(before - 1000 + 3600_000);
    expect(Number(c?.expiration)).toBeLessThanOrEqual(Date.now() + 3600_000);

    const rec = sandbox.state.credentials.get(c?.accessKeyId ?? '');
    expect(rec?.kind).toBe('assumed-role');
    expect(rec?.arn).toMatch(/^arn:aws:sts::222222222222:assumed-role\/AWSReservedSSO_ReadOnly_[0-9a-f]{16}\/alice@acme\.example$/);
    expect(rec?.roleArn).toMatch(/^arn:aws:iam::222222222222:role\/aws-reserved\/sso\.amazonaws\.com\/AWSReservedSSO_ReadOnly_[0-9a-f]{16}$/);
    expect(rec?.userId).toMatch(/^AROA[A-Z2-7]{17}:alice@acme\.example$/);

    const again = await portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: '222222222222', roleName: 'ReadOnly' }));
    const rec2 = sandbox.state.credentials.get(again.roleCredentials?.accessKeyId ?? '');
    expect(rec2?.arn).toBe(rec?.arn); // the provisioned role name is stable
    expect(rec2?.userId).toBe(rec?.userId);
  });

  it('issues credentials that STS GetCallerIdentity knows as the assumed Identity Center role', async () => {
    const { portal, accessToken } = await signedIn();
    const { roleCredentials: c } = await portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'ReadOnly' }));
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: sandbox.url,
      maxAttempts: 1,
      credentials: { accessKeyId: c?.accessKeyId ?? '', secretAccessKey: c?.secretAccessKey ?? '', sessionToken: c?.sessionToken },
    });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe('111111111111');
    expect(me.Arn).toMatch(/^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_ReadOnly_[0-9a-f]{16}\/alice@acme\.example$/);
    expect(me.UserId).toMatch(/^AROA[A-Z2-7]{17}:alice@acme\.example$/);
  });

  it('answers ForbiddenException (403, "No access") for a role the user is not assigned', async () => {
    const { portal, accessToken } = await signedIn();
    const err = await rejection(portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'AdministratorAccess' })));
    expect(err.name).toBe('ForbiddenException');
    expect(err.message).toBe('No access');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });
});

describe('Logout', () => {
  it('invalidates the access token and the refresh token of the sign-in', async () => {
    const { portal, accessToken, refreshToken, clientId, clientSecret } = await signedIn();
    await portal.send(new LogoutCommand({ accessToken }));
    expect(await errorName(portal.send(new ListAccountsCommand({ accessToken })))).toBe('UnauthorizedException');
    const refresh = oidcClient(sandbox).send(new CreateTokenCommand({ clientId, clientSecret, grantType: 'refresh_token', refreshToken }));
    expect(await errorName(refresh)).toBe('InvalidGrantException');
  });
});

describe('under load', () => {
  it('answers TooManyRequestsException (429) over the rate limit', async () => {
    const { portal, accessToken } = await signedIn();
    sandbox.knobs.set({ rateLimits: { 'sso:ListAccountRoles': 2 } });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => portal.send(new ListAccountRolesCommand({ accessToken, accountId: '222222222222' }))),
    );
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as AwsError] : []));
    expect(rejected.length).toBeGreaterThanOrEqual(3);
    expect(rejected[0]?.name).toBe('TooManyRequestsException');
    expect(rejected[0]?.$metadata.httpStatusCode).toBe(429);
    expect(sandbox.knobs.throttled.get('sso:ListAccountRoles')).toBe(rejected.length);
  });

  it('lists 1,000 accounts x 3 roles quickly', async () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => ({ id: String(500000000000 + i), name: `account-${String(i).padStart(4, '0')}` }));
    const assignments = accounts.flatMap((a) => ['Admin', 'Developer', 'ReadOnly'].map((roleName) => ({ accountId: a.id, roleName })));
    const { portal, accessToken } = await signedIn({ accounts, identityCenter: [{ startUrl: ACME_START_URL, users: [{ ...ALICE, assignments }] }] });
    const started = performance.now();
    const listed = (await allAccounts(portal, accessToken, 100)).flat();
    expect(listed).toHaveLength(1000);
    let roles = 0;
    const queue = listed.map((a) => a.accountId ?? '');
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
          const page = await portal.send(new ListAccountRolesCommand({ accessToken, accountId: id }));
          roles += page.roleList?.length ?? 0;
        }
      }),
    );
    expect(roles).toBe(3000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
