// Every (account, role) an Identity Center sign-in grants: ListAccounts page by page, and, as
// each page arrives, ListAccountRoles for its accounts on a few workers, all paced (pacer.ts).
import { fromSdkError } from '../aws/errors';
import { RolecallError } from '../errors';
import { AdaptivePacer, paced } from './pacer';
import type { PortalAccount, PortalClient } from './portal';
import { signInRequired } from './tokens';

export interface Assignment {
  accountId: string;
  accountName: string;
  roleName: string;
}

export interface SyncProgress {
  /** Accounts listed so far, and whether the listing is complete. */
  accounts: number;
  listingDone: boolean;
  accountsDone: number;
  roles: number;
}

export interface ListAssignmentsOptions {
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  accountsPacer?: AdaptivePacer;
  rolesPacer?: AdaptivePacer;
  onProgress?: (p: SyncProgress) => void;
}

export async function listAssignments(portal: PortalClient, accessToken: string, o: ListAssignmentsOptions = {}): Promise<Assignment[]> {
  const accountsPacer = o.accountsPacer ?? new AdaptivePacer();
  const rolesPacer = o.rolesPacer ?? new AdaptivePacer();
  const queue: PortalAccount[] = [];
  const seen = new Set<string>();
  const found: Assignment[] = [];
  const progress: SyncProgress = { accounts: 0, listingDone: false, accountsDone: 0, roles: 0 };
  let failure: unknown;
  let wake: (() => void)[] = [];
  const wakeAll = () => {
    const w = wake;
    wake = [];
    for (const f of w) f();
  };

  const lister = async () => {
    try {
      let nextToken: string | undefined;
      do {
        const page = await paced(accountsPacer, () => portal.listAccounts(accessToken, nextToken));
        for (const a of page.accounts) {
          if (seen.has(a.accountId)) continue;
          seen.add(a.accountId);
          queue.push(a);
        }
        progress.accounts = seen.size;
        nextToken = page.nextToken;
        wakeAll();
      } while (nextToken && failure === undefined);
    } catch (err) {
      failure ??= err;
    } finally {
      progress.listingDone = true;
      wakeAll();
    }
  };

  const worker = async () => {
    while (failure === undefined) {
      const account = queue.shift();
      if (!account) {
        if (progress.listingDone) return;
        await new Promise<void>((resolve) => wake.push(resolve));
        continue;
      }
      try {
        let nextToken: string | undefined;
        do {
          const page = await paced(rolesPacer, () => portal.listAccountRoles(accessToken, account.accountId, nextToken));
          for (const roleName of page.roleNames) found.push({ accountId: account.accountId, accountName: account.accountName, roleName });
          progress.roles += page.roleNames.length;
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (err) {
        failure ??= err;
        wakeAll();
        return;
      }
      progress.accountsDone += 1;
      o.onProgress?.({ ...progress });
    }
  };

  await Promise.all([lister(), ...Array.from({ length: o.concurrency ?? 8 }, worker)]);
  if (failure !== undefined) throw failure;
  o.onProgress?.({ ...progress });
  return found.sort(
    (a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId) || a.roleName.localeCompare(b.roleName),
  );
}

/** A portal error as people should read it: an expired sign-in says how to sign in again. */
export function syncError(err: unknown, name: string): RolecallError {
  if (err instanceof RolecallError) return err;
  if ((err as { name?: string })?.name === 'UnauthorizedException') {
    return signInRequired(name, `the Identity Center portal no longer accepts the sign-in for ${name}`, err);
  }
  const wrapped = fromSdkError(err, 'the Identity Center portal');
  return new RolecallError(`sync of ${name} stopped: ${wrapped.message}`, wrapped.code, wrapped.hint, { cause: err });
}
