// GetSessionToken and GetFederationToken: both turn an IAM user's long-term access key into
// temporary credentials, and both refuse any caller holding temporary credentials already.
import type { CredentialRecord } from '../state';
import { checkMfa } from './mfa';
import { accessDenied, type StsCall, type XmlTree } from './protocol';
import { credentialsXml } from './role-session';
import { packSessionPolicy } from './session-policy';
import { patterns, rules, Validator } from './validate';

/** IAM user sessions: 15 minutes to 36 hours, 12 hours unless asked otherwise. */
const USER_SESSION = { min: 900, max: 129600, default: 43200 };

export function getSessionToken(call: StsCall, caller: CredentialRecord): XmlTree {
  const v = new Validator(call.params);
  const duration = v.integer('DurationSeconds', USER_SESSION);
  const serialNumber = v.string('SerialNumber', rules.serialNumber);
  const tokenCode = v.string('TokenCode', rules.tokenCode);
  v.done();
  if (caller.kind !== 'iam-user') throw accessDenied('Cannot call GetSessionToken with session credentials');

  const mfa = checkMfa(call.state, caller, serialNumber, tokenCode);
  const rec = call.state.issue(
    {
      kind: 'session-token',
      accountId: caller.accountId,
      // Session-token credentials act as the IAM user itself.
      arn: caller.arn,
      userId: caller.userId,
      userArn: caller.userArn,
      mfaAuthenticated: mfa,
      roleChained: false,
      issuedBy: 'GetSessionToken',
    },
    duration ?? USER_SESSION.default,
  );
  return { Credentials: credentialsXml(rec) };
}

export function getFederationToken(call: StsCall, caller: CredentialRecord): XmlTree {
  const v = new Validator(call.params);
  const name = v.string('Name', { required: true, min: 2, max: 32, pattern: patterns.sessionName }) ?? '';
  const policy = v.string('Policy', rules.policy);
  const policyArns = v.policyArns();
  const duration = v.integer('DurationSeconds', USER_SESSION);
  const tags = v.tags();
  v.done();
  if (caller.kind !== 'iam-user') throw accessDenied('Cannot call GetFederationToken with session credentials');

  const packedPolicySize = packSessionPolicy(policy, policyArns, tags);
  const { partition } = call.state.org;
  const rec = call.state.issue(
    {
      kind: 'federated-user',
      accountId: caller.accountId,
      arn: `arn:${partition}:sts::${caller.accountId}:federated-user/${name}`,
      userId: `${caller.accountId}:${name}`,
      userArn: caller.userArn,
      mfaAuthenticated: false,
      roleChained: false,
      // Without a session policy "the resulting federated user session has no permissions"
      // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html, Policy;
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html).
      ...(policy === undefined && policyArns.length === 0 ? { permissions: 'none' as const } : {}),
      issuedBy: 'GetFederationToken',
    },
    duration ?? USER_SESSION.default,
  );
  return {
    Credentials: credentialsXml(rec),
    FederatedUser: { FederatedUserId: rec.userId, Arn: rec.arn },
    PackedPolicySize: packedPolicySize,
  };
}
