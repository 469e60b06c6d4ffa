// Which accounts and roles each Identity Center user may use, indexed once so that ListAccounts,
// ListAccountRoles and GetRoleCredentials cost a map lookup even for thousands of assignments.
import { createHash } from 'node:crypto';
import type { IdentityCenter, Organization } from '../org';

export interface AccountInfo {
  accountId: string;
  accountName: string;
  emailAddress?: string;
}

interface UserAssignments {
  /** In the order AWS lists them: by account name. */
  accounts: AccountInfo[];
  rolesByAccount: Map<string, string[]>;
}

export class AssignmentIndex {
  private readonly byUser = new Map<string, UserAssignments>();
  private readonly accountsById: Map<string, { id: string; name: string; email: string }>;

  constructor(private readonly org: Organization) {
    this.accountsById = new Map(org.accounts.map((a) => [a.id, a]));
  }

  private of(instance: IdentityCenter, userName: string): UserAssignments {
    const key = `${instance.startUrl}\n${userName}`;
    let ua = this.byUser.get(key);
    if (ua) return ua;
    const user = instance.users.find((u) => u.userName === userName);
    const rolesByAccount = new Map<string, string[]>();
    for (const a of user?.assignments ?? []) {
      const roles = rolesByAccount.get(a.accountId) ?? [];
      if (!roles.includes(a.roleName)) roles.push(a.roleName);
      rolesByAccount.set(a.accountId, roles);
    }
    const accounts = [...rolesByAccount.keys()].map((accountId): AccountInfo => {
      const acct = this.accountsById.get(accountId);
      // An account missing from the organization still shows, named by its id, rather than vanishing.
      return { accountId, accountName: acct?.name ?? accountId, ...(acct?.email ? { emailAddress: acct.email } : {}) };
    });
    accounts.sort((x, y) => x.accountName.localeCompare(y.accountName) || x.accountId.localeCompare(y.accountId));
    for (const roles of rolesByAccount.values()) roles.sort();
    ua = { accounts, rolesByAccount };
    this.byUser.set(key, ua);
    return ua;
  }

  accounts(instance: IdentityCenter, userName: string): AccountInfo[] {
    return this.of(instance, userName).accounts;
  }

  roles(instance: IdentityCenter, userName: string, accountId: string): string[] {
    return this.of(instance, userName).rolesByAccount.get(accountId) ?? [];
  }

  isAssigned(instance: IdentityCenter, userName: string, accountId: string, roleName: string): boolean {
    return this.roles(instance, userName, accountId).includes(roleName);
  }

  /**
   * The IAM role Identity Center provisions for a permission set: AWSReservedSSO_<name>_<16 hex>, stable
   * per instance and account; its path carries the instance's region unless that is us-east-1.
   */
  provisionedRole(instance: IdentityCenter, accountId: string, roleName: string) {
    const suffix = createHash('sha256').update(`${instance.startUrl}\n${accountId}\n${roleName}`).digest('hex').slice(0, 16);
    const name = `AWSReservedSSO_${roleName}_${suffix}`;
    const partition = this.org.partition;
    const path = instance.region === 'us-east-1' ? '/aws-reserved/sso.amazonaws.com/' : `/aws-reserved/sso.amazonaws.com/${instance.region}/`;
    return {
      name,
      roleArn: `arn:${partition}:iam::${accountId}:role${path}${name}`,
      assumedRoleArn: (sessionName: string) => `arn:${partition}:sts::${accountId}:assumed-role/${name}/${sessionName}`,
    };
  }
}
