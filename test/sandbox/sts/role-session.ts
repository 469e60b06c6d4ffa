// What every AssumeRole* operation shares: finding the role, checking its trust policy, the
// session duration limits, session tags, and issuing the role session with its lineage.
import { evaluateTrustPolicy, type Principal } from '../policy';
import { roleArn as arnOfRole, type Role } from '../org';
import type { CredentialRecord, SandboxState } from '../state';
import { accessDenied, isoSeconds, validationError, type XmlTree } from './protocol';
import type { Tag } from './validate';

export const DEFAULT_ROLE_SESSION_SECONDS = 3600;
/** Role chaining (role or GetSessionToken credentials calling AssumeRole) caps sessions at one hour. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;

export interface RoleArnParts {
  partition: string;
  accountId: string;
  name: string;
}

export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const m = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/.exec(arn);
  return m ? { partition: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}

export function findRole(state: SandboxState, arn: string): Role | undefined {
  return state.org.roles.find((r) => arnOfRole(state.org, r) === arn);
}

/** The caller as trust policies name it: its account, and its role, user or session ARN. */
export function principalOf(state: SandboxState, caller: CredentialRecord): Principal {
  const arns = [caller.arn, caller.roleArn, caller.userArn].filter((a): a is string => a !== undefined);
  return { type: 'AWS', accountId: caller.accountId, partition: state.org.partition, arns: [...new Set(arns)] };
}

/**
 * Checks each action against the role's trust policy; the first one refused is the one AWS
 * names in its AccessDenied message (`deniedMessage`).
 */
export function authorize(
  role: Role | undefined,
  principal: Principal,
  actions: string[],
  context: Record<string, string | string[]>,
  deniedMessage: (action: string) => string,
): asserts role is Role {
  // A role that does not exist is refused exactly like one that does not trust the caller, so
  // that nobody can probe for role names.
  for (const action of actions) {
    if (!role || evaluateTrustPolicy(role.trustPolicy, { principal, action, context }) !== 'allow') {
      throw accessDenied(deniedMessage(action));
    }
  }
}

/** DurationSeconds against the role's MaxSessionDuration and the role-chaining cap. */
export function sessionSeconds(requested: number | undefined, role: Role, chained: boolean): number {
  const seconds = requested ?? DEFAULT_ROLE_SESSION_SECONDS;
  if (seconds > role.maxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  if (chained && seconds > ROLE_CHAINING_MAX_SECONDS) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  return seconds;
}

/** Request tags and the transitive tags the caller's session carries, merged as AWS merges them. */
export function sessionTags(tags: Tag[], transitiveTagKeys: string[], inherited: Record<string, string> = {}): {
  all: Record<string, string>;
  transitive: Record<string, string>;
} {
  const all: Record<string, string> = { ...inherited };
  const transitive: Record<string, string> = { ...inherited };
  const seen = new Set<string>();
  const inheritedKeys = new Set(Object.keys(inherited).map((k) => k.toLowerCase()));
  for (const t of tags) {
    const lower = t.Key.toLowerCase();
    if (seen.has(lower)) throw validationError('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(lower);
    // A transitive tag holds its value for the rest of the chain.
    if (inheritedKeys.has(lower)) {
      throw validationError(`The session tag '${t.Key}' is set as transitive by an earlier session in the role chain and cannot be changed.`);
    }
    all[t.Key] = t.Value;
  }
  for (const key of transitiveTagKeys) {
    const tag = tags.find((t) => t.Key.toLowerCase() === key.toLowerCase());
    if (!tag) throw validationError(`The transitive tag key '${key}' is not one of the session tags passed in the request.`);
    transitive[tag.Key] = tag.Value;
  }
  return { all, transitive };
}

/** Condition keys every AssumeRole* request carries (tags, session name, time). */
export function requestContext(
  state: SandboxState,
  fields: { sessionName?: string; tags: Record<string, string>; transitiveTagKeys: string[]; sourceIdentity?: string },
): Record<string, string | string[]> {
  const now = state.now();
  const ctx: Record<string, string | string[]> = {
    'aws:CurrentTime': isoSeconds(now),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:RequestedRegion': state.org.region,
  };
  if (fields.sessionName !== undefined) ctx['sts:RoleSessionName'] = fields.sessionName;
  if (fields.sourceIdentity !== undefined) ctx['sts:SourceIdentity'] = fields.sourceIdentity;
  const keys = Object.keys(fields.tags);
  if (keys.length > 0) ctx['aws:TagKeys'] = keys;
  for (const [k, v] of Object.entries(fields.tags)) ctx[`aws:RequestTag/${k}`] = v;
  if (fields.transitiveTagKeys.length > 0) ctx['sts:TransitiveTagKeys'] = fields.transitiveTagKeys;
  return ctx;
}

export interface RoleSession {
  role: Role;
  sessionName: string;
  seconds: number;
  mfaAuthenticated: boolean;
  roleChained: boolean;
  sourceIdentity?: string;
  transitiveTags: Record<string, string>;
  issuedBy: string;
}

export function issueRoleSession(state: SandboxState, s: RoleSession): CredentialRecord {
  const roleArn = arnOfRole(state.org, s.role);
  const roleId = state.uniqueIdFor(roleArn, 'AROA');
  return state.issue(
    {
      kind: 'assumed-role',
      accountId: s.role.accountId,
      // The assumed-role ARN leaves out the role's path, as AWS's does.
      arn: `arn:${state.org.partition}:sts::${s.role.accountId}:assumed-role/${s.role.name}/${s.sessionName}`,
      userId: `${roleId}:${s.sessionName}`,
      roleArn,
      mfaAuthenticated: s.mfaAuthenticated,
      roleChained: s.roleChained,
      sourceIdentity: s.sourceIdentity,
      transitiveTags: Object.keys(s.transitiveTags).length > 0 ? s.transitiveTags : undefined,
      issuedBy: s.issuedBy,
    },
    s.seconds,
  );
}

export function credentialsXml(rec: CredentialRecord): XmlTree {
  return {
    AccessKeyId: rec.accessKeyId,
    SecretAccessKey: rec.secretAccessKey,
    SessionToken: rec.sessionToken,
    Expiration: rec.expiration ? isoSeconds(rec.expiration) : undefined,
  };
}

export function assumedRoleUserXml(rec: CredentialRecord): XmlTree {
  return { AssumedRoleId: rec.userId, Arn: rec.arn };
}
