// The console's own Switch Role link, for someone already signed in to the console as an IAM
// user or federated principal (AWS IAM User Guide, "Switch from a user to an IAM role (console)"):
// https://signin.aws.amazon.com/switchrole?account=ID&roleName=PATH/NAME&displayName=TEXT&color=HEX.
// No AWS call: the console checks the role's trust policy when the link is used.
import type { Profile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { configuredEndpoint } from '../aws/endpoints';
import type { ConsolePartition } from './partitions';

/** The colours the console's Switch Role page offers, as the hex it stores for each. */
export const CONSOLE_COLORS = { red: 'F2B0A9', orange: 'FBBF93', yellow: 'FAD791', green: 'B7CA9D', blue: '99BCE3' } as const;
export type ConsoleColorName = keyof typeof CONSOLE_COLORS;

/** A stable colour per account, so one account looks the same in every window and link. */
export function accountColor(accountId: string): ConsoleColorName {
  const names = Object.keys(CONSOLE_COLORS) as ConsoleColorName[];
  let h = 0;
  for (const ch of accountId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return names[h % names.length]!;
}

/** A colour given by name (red, orange, yellow, green, blue) or as six hex digits. */
export function colorHex(value: string): string {
  const named = CONSOLE_COLORS[value.toLowerCase() as ConsoleColorName];
  if (named) return named;
  if (/^#?[0-9a-f]{6}$/i.test(value)) return value.replace(/^#/, '').toUpperCase();
  throw new RolecallError(`--color: expected one of ${Object.keys(CONSOLE_COLORS).join(', ')} or six hex digits`, 'invalid-input');
}

export interface SwitchRoleTarget {
  accountId: string;
  /** With its path, as the console wants it: division/Admin. */
  roleName: string;
}

/** The role a profile assumes, from its role ARN; refused for profiles that assume none the console can switch to. */
export function switchRoleTarget(profile: Profile): SwitchRoleTarget {
  if (profile.kind !== 'assume-role' && profile.kind !== 'web-identity') {
    const why =
      profile.kind === 'sso-role'
        ? 'an Identity Center role is reached through the access portal, not Switch Role'
        : profile.kind === 'iam-user'
          ? 'an IAM user is signed in to, not switched to'
          : 'its role is reached through its identity provider, not Switch Role';
    throw new RolecallError(`profile '${profile.name}': no Switch Role link: ${why}; run: rolecall console ${profile.name}`, 'invalid-input');
  }
  const m = /^arn:[\w-]+:iam::(\d{12}):role\/(.+)$/.exec(profile.roleArn);
  if (!m) throw new RolecallError(`profile '${profile.name}': its role ARN is not an IAM role's`, 'invalid-input');
  return { accountId: m[1]!, roleName: m[2]! };
}

// The console keeps the display name in a cookie and cuts it at 64 characters.
const DISPLAY_NAME_MAX = 64;

export function switchRoleLink(p: ConsolePartition, env: NodeJS.ProcessEnv, target: SwitchRoleTarget, o: { displayName: string; color: string }): string {
  const url = new URL(`${configuredEndpoint('signin', env) ?? `https://${p.signinHost}`}/switchrole`);
  url.searchParams.set('account', target.accountId);
  url.searchParams.set('roleName', target.roleName);
  url.searchParams.set('displayName', o.displayName.slice(0, DISPLAY_NAME_MAX));
  url.searchParams.set('color', o.color);
  return url.toString();
}
