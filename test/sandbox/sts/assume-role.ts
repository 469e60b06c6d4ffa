// AssumeRole: an IAM user or role session (or Identity Center role credentials) becomes a
// session of another role, if that role's trust policy allows it.
import type { CredentialRecord, SandboxState } from '../state';
import { checkMfa } from './mfa';
import { accessDenied, validationError, type StsCall, type XmlTree } from './protocol';
import {
  assumedRoleUserXml,
  authorize,
  credentialsXml,
  findRole,
  issueRoleSession,
  principalOf,
  requestContext,
  sessionSeconds,
  sessionTags,
} from './role-session';
import { packSessionPolicy } from './session-policy';
import { patterns, rules, Validator } from './validate';

const PRINCIPAL_TYPE = { 'iam-user': 'User', 'session-token': 'User', 'federated-user': 'FederatedUser', 'assumed-role': 'AssumedRole' } as const;

/** Condition keys that describe the caller. */
function callerContext(caller: CredentialRecord, mfaPresent: boolean, mfaInRequest: boolean): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalArn': caller.roleArn ?? caller.userArn ?? caller.arn,
    'aws:PrincipalType': PRINCIPAL_TYPE[caller.kind],
    'aws:userid': caller.userId,
  };
  // AWS leaves aws:MultiFactorAuthPresent out for long-term keys unless MFA came with the call.
  if (caller.kind !== 'iam-user' || mfaInRequest) ctx['aws:MultiFactorAuthPresent'] = String(mfaPresent);
  if (caller.sourceIdentity) ctx['aws:SourceIdentity'] = caller.sourceIdentity;
  for (const [k, v] of Object.entries(caller.transitiveTags ?? {})) ctx[`aws:PrincipalTag/${k}`] = v;
  return ctx;
}

export function assumeRole(call: StsCall, caller: CredentialRecord): XmlTree {
  const state: SandboxState = call.state;
  const v = new Validator(call.params);
  const roleArn = v.string('RoleArn', rules.roleArn) ?? '';
  const sessionName = v.string('RoleSessionName', rules.roleSessionName) ?? '';
  const duration = v.integer('DurationSeconds', { min: 900, max: 43200 });
  const externalId = v.string('ExternalId', rules.externalId);
  const serialNumber = v.string('SerialNumber', rules.serialNumber);
  const tokenCode = v.string('TokenCode', rules.tokenCode);
  const sourceIdentity = v.string('SourceIdentity', rules.sourceIdentity);
  const policy = v.string('Policy', rules.unrestrictedPolicy);
  const policyArns = v.policyArns();
  const tags = v.tags();
  const transitiveTagKeys = v.stringList('TransitiveTagKeys', 50, { min: 1, max: 128, pattern: patterns.tagKey });
  v.done();

  const denied = (action: string) => `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${roleArn}`;
  // Credentials from GetFederationToken may call no STS operation but GetCallerIdentity.
  if (caller.kind === 'federated-user') throw accessDenied(denied('sts:AssumeRole'));
  if (sourceIdentity?.toLowerCase().startsWith('aws:')) throw validationError('SourceIdentity must not begin with "aws:"; the prefix is reserved for AWS.');
  // Once set, a source identity stays with every later session of the chain.
  if (caller.sourceIdentity && sourceIdentity !== undefined && sourceIdentity !== caller.sourceIdentity) throw accessDenied(denied('sts:SetSourceIdentity'));
  const packedPolicySize = packSessionPolicy(policy, policyArns, tags);

  const mfaInRequest = checkMfa(state, caller, serialNumber, tokenCode);
  const mfaPresent = caller.mfaAuthenticated || mfaInRequest;
  const tagSet = sessionTags(tags, transitiveTagKeys, caller.transitiveTags);
  const context = {
    ...requestContext(state, { sessionName, tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])), transitiveTagKeys, sourceIdentity }),
    ...callerContext(caller, mfaPresent, mfaInRequest),
    ...(externalId !== undefined ? { 'sts:ExternalId': externalId } : {}),
  };
  const role = findRole(state, roleArn);
  // What the caller's session carries counts as passed again: inherited transitive tags need
  // sts:TagSession in the next role's trust policy even when the request passes no Tags
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining),
  // and an inherited source identity needs sts:SetSourceIdentity in every later role's trust policy
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html#id_credentials_temp_control-access_monitor-know).
  const inheritsTags = Object.keys(caller.transitiveTags ?? {}).length > 0;
  const inheritsSourceIdentity = caller.sourceIdentity !== undefined;
  const actions = ['sts:AssumeRole', ...(tags.length > 0 || inheritsTags ? ['sts:TagSession'] : []), ...(sourceIdentity !== undefined || inheritsSourceIdentity ? ['sts:SetSourceIdentity'] : [])];
  authorize(role, principalOf(state, caller), actions, context, denied);

  const roleChained = caller.kind === 'assumed-role' || caller.kind === 'session-token';
  const rec = issueRoleSession(state, {
    role,
    sessionName,
    seconds: sessionSeconds(duration, role, roleChained),
    mfaAuthenticated: mfaPresent,
    roleChained,
    sourceIdentity: sourceIdentity ?? caller.sourceIdentity,
    transitiveTags: tagSet.transitive,
    issuedBy: 'AssumeRole',
  });
  return {
    Credentials: credentialsXml(rec),
    AssumedRoleUser: assumedRoleUserXml(rec),
    PackedPolicySize: packedPolicySize,
    SourceIdentity: rec.sourceIdentity,
  };
}
