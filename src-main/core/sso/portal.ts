// The Identity Center portal calls behind sign-out and sync, through the AWS SDK (imported
// lazily). The SDK's own retries are off: sync paces and retries itself (see pacer.ts).
import { sdkClientConfig, withinBudget } from '../aws/client-config';

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
  const client = new sdk.SSOClient(await sdkClientConfig('sso', region, env, { retries: false }));
  // Each call within its own budget (and the per-attempt deadlines), so a hang ends as an error sync can retry.
  const within = <T>(operation: string, send: (abortSignal: AbortSignal) => Promise<T>) => withinBudget({ service: 'sso', region, env }, operation, send);
  return {
    async listAccounts(accessToken, nextToken) {
      const command = new sdk.ListAccountsCommand({ accessToken, nextToken, maxResults: PAGE_SIZE });
      const out = await within('sso:ListAccounts', (abortSignal) => client.send(command, { abortSignal }));
      const accounts = (out.accountList ?? []).flatMap((a) => (a.accountId ? [{ accountId: a.accountId, accountName: a.accountName ?? a.accountId }] : []));
      return { accounts, nextToken: out.nextToken || undefined };
    },
    async listAccountRoles(accessToken, accountId, nextToken) {
      const command = new sdk.ListAccountRolesCommand({ accessToken, accountId, nextToken, maxResults: PAGE_SIZE });
      const out = await within('sso:ListAccountRoles', (abortSignal) => client.send(command, { abortSignal }));
      return { roleNames: (out.roleList ?? []).flatMap((r) => (r.roleName ? [r.roleName] : [])), nextToken: out.nextToken || undefined };
    },
    async logout(accessToken) {
      const command = new sdk.LogoutCommand({ accessToken });
      await within('sso:Logout', (abortSignal) => client.send(command, { abortSignal }));
    },
  };
}
