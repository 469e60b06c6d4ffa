// AssumeRoleWithWebIdentity (unsigned): an OpenID Connect id_token from a provider registered in
// the role's account becomes a role session, if the role's trust policy allows the provider and
// its conditions on `<provider>:aud` / `<provider>:sub` hold.
import { oidcProviderArn } from '../org';
import { verifyWebIdentityToken, WebIdentityRejection, type VerifiedWebIdentity } from '../oidc';
import { StsError, type StsCall, type XmlTree } from './protocol';
import { assumedRoleUserXml, authorize, credentialsXml, findRole, issueRoleSession, parseRoleArn, requestContext, sessionSeconds } from './role-session';
import { packSessionPolicy } from './session-policy';
import { rules, Validator } from './validate';

const STATUS = { InvalidIdentityToken: 400, ExpiredTokenException: 400, IDPRejectedClaim: 403 } as const;

export async function assumeRoleWithWebIdentity(call: StsCall): Promise<XmlTree> {
  const { state } = call;
  const v = new Validator(call.params);
  const roleArn = v.string('RoleArn', rules.roleArn) ?? '';
  const sessionName = v.string('RoleSessionName', rules.roleSessionName) ?? '';
  const token = v.string('WebIdentityToken', { required: true, min: 4, max: 20000 }) ?? '';
  v.string('ProviderId', { min: 4, max: 2048 });
  const duration = v.integer('DurationSeconds', { min: 900, max: 43200 });
  const policy = v.string('Policy', rules.policy);
  const policyArns = v.policyArns();
  v.done();

  const denied = (action: string) => `Not authorized to perform ${action}`;
  const roleAccount = parseRoleArn(roleArn)?.accountId;
  // The token's issuer is looked up among the OIDC providers of the role's own account.
  const providers = state.org.oidcProviders.filter((p) => p.accountId === roleAccount);
  let identity: VerifiedWebIdentity;
  try {
    identity = await verifyWebIdentityToken(token, providers, state.now());
  } catch (err) {
    if (err instanceof WebIdentityRejection) throw new StsError(err.code, err.message, STATUS[err.code]);
    throw err;
  }
  const packedPolicySize = packSessionPolicy(policy, policyArns, []);

  const providerArn = oidcProviderArn(state.org, identity.provider);
  const host = identity.provider.url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const amr = identity.claims.amr;
  const context = {
    ...requestContext(state, { sessionName, tags: {}, transitiveTagKeys: [] }),
    'aws:FederatedProvider': providerArn,
    [`${host}:aud`]: identity.audience,
    [`${host}:sub`]: identity.subject,
    ...(Array.isArray(amr) ? { [`${host}:amr`]: amr.map(String) } : {}),
  };
  const role = findRole(state, roleArn);
  authorize(role, { type: 'Federated', provider: providerArn }, ['sts:AssumeRoleWithWebIdentity'], context, denied);

  const rec = issueRoleSession(state, {
    role,
    sessionName,
    seconds: sessionSeconds(duration, role, false),
    mfaAuthenticated: false,
    roleChained: false,
    transitiveTags: {},
    issuedBy: 'AssumeRoleWithWebIdentity',
  });
  return {
    Credentials: credentialsXml(rec),
    SubjectFromWebIdentityToken: identity.subject,
    AssumedRoleUser: assumedRoleUserXml(rec),
    PackedPolicySize: packedPolicySize,
    // For OIDC tokens AWS answers the provider's ARN here.
    Provider: providerArn,
    Audience: identity.audience,
  };
}
