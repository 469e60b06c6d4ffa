// The Identity Center portal calls behind sign-out and sync, through the AWS SDK (imported
// lazily). The SDK's own retries are off: sync paces and retries itself (see pacer.ts).
import { configuredEndpoint } from '../aws/endpoints';

export interface PortalAccount {
  accountId: string;
  accountName: string;
}

export interface PortalClient {
  listAccounts(accessToken: string, nextToken?: string): Promise<{ accounts: PortalAccount[]; nextToken?: string }>;
  listAccountRoles(accessToken: string, accountId: string, nextToken?: string): Promise<{ roleNames: string[]; nextToken?: string }>;
  logout(accessToken: string): Promise<void>;
}

const PAGE_SIZE = 100;

export async function createPortalClient(region: string, env: NodeJS.ProcessEnv): Promise<PortalClient> {
  const sdk = await import('@aws-sdk/client-sso');
  const client = new sdk.SSOClient({
    region,
    endpoint: configuredEndpoint('sso', env),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
  return {
    async listAccounts(accessToken, nextToken) {
      const out = await client.send(new sdk.ListAccountsCommand({ accessToken, nextToken, maxResults: PAGE_SIZE }));
      const accounts = (out.accountList ?? []).flatMap((a) => (a.accountId ? [{ accountId: a.accountId, accountName: a.accountName ?? a.accountId }] : []));
      return { accounts, nextToken: out.nextToken || undefined };
    },
    async listAccountRoles(accessToken, accountId, nextToken) {
      const out = await client.send(new sdk.ListAccountRolesCommand({ accessToken, accountId, nextToken, maxResults: PAGE_SIZE }));
      return { roleNames: (out.roleList ?? []).flatMap((r) => (r.roleName ? [r.roleName] : [])), nextToken: out.nextToken || undefined };
    },
    async logout(accessToken) {
      await client.send(new sdk.LogoutCommand({ accessToken }));
    },
  };
}
