// AssumeRoleWithSAML (unsigned): a SAML Response from a registered IdP becomes a role session,
// if it is signed by that IdP, meant for AWS, current, names the role/provider pair, and the
// role's trust policy allows the provider.
import { createHash } from 'node:crypto';
import { samlProviderArn } from '../org';
import { SamlRejection, verifySamlResponse, type SamlAssertion } from '../saml';
import { accessDenied, expiredTokenException, invalidIdentityToken, type StsCall, type XmlTree } from './protocol';
import { assumedRoleUserXml, authorize, credentialsXml, findRole, issueRoleSession, requestContext, sessionSeconds, sessionTags } from './role-session';
import { packSessionPolicy } from './session-policy';
import { rules, Validator, type Tag } from './validate';

const ATTR = 'https://aws.amazon.com/SAML/Attributes/';
const SIGNIN_HOST = { aws: 'signin.aws.amazon.com', 'aws-us-gov': 'signin.amazonaws-us-gov.com', 'aws-cn': 'signin.amazonaws.cn' } as const;
const LEGACY_AUDIENCE = { aws: 'urn:amazon:webservices', 'aws-us-gov': 'urn:amazon:webservices:govcloud', 'aws-cn': 'urn:amazon:webservices:cn' } as const;
/** AWS takes an assertion only within five minutes of its IssueInstant. */
const REDEEM_WITHIN_MS = 5 * 60 * 1000;
/** The shortest session STS issues (DurationSeconds' minimum). */
const MIN_SESSION_SECONDS = 900;

const NAME_ID_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:';

/** https://signin.aws.amazon.com/saml or a regional https://REGION.signin.aws.amazon.com/saml. */
function isSigninEndpoint(url: string | undefined, partition: keyof typeof SIGNIN_HOST): boolean {
  const host = SIGNIN_HOST[partition].replace(/\./g, '\\.');
  return url !== undefined && new RegExp(`^https://([a-z]{2}(-[a-z]+)+-\\d\\.)?${host}/saml$`).test(url);
}

/** The Role attribute's "roleArn,principalArn" values (IdPs write either order). */
function rolePairs(values: string[]): Array<{ role: string; provider: string }> {
  return values.flatMap((v) => {
    const parts = v.split(',').map((s) => s.trim());
    const role = parts.find((p) => /:role\//.test(p));
    const provider = parts.find((p) => /:saml-provider\//.test(p));
    return parts.length === 2 && role && provider ? [{ role, provider }] : [];
  });
}

function verify(call: StsCall, certificate: string): SamlAssertion {
  try {
    return verifySamlResponse(call.params.get('SAMLAssertion') ?? '', certificate, call.state.now());
  } catch (err) {
    if (!(err instanceof SamlRejection)) throw err;
    throw err.reason === 'expired' ? expiredTokenException(err.message) : invalidIdentityToken(err.message);
  }
}

export function assumeRoleWithSaml(call: StsCall): XmlTree {
  const { state } = call;
  const org = state.org;
  const v = new Validator(call.params);
  const roleArn = v.string('RoleArn', rules.roleArn) ?? '';
  const principalArn = v.string('PrincipalArn', rules.roleArn) ?? '';
  v.string('SAMLAssertion', { required: true, min: 4, max: 100000 });
  const duration = v.integer('DurationSeconds', { min: 900, max: 43200 });
  const policy = v.string('Policy', rules.policy);
  const policyArns = v.policyArns();
  v.done();

  const provider = org.samlProviders.find((p) => samlProviderArn(org, p) === principalArn);
  if (!provider) throw invalidIdentityToken("Specified provider doesn't exist");
  const a = verify(call, provider.certificate);
  if (state.now().getTime() - a.issueInstant.getTime() > REDEEM_WITHIN_MS) throw expiredTokenException('Token must be redeemed within 5 minutes of issuance');
  // AWS documents that the session lasts until the IdP's SessionNotOnOrAfter when that comes before
  // DurationSeconds runs out, but not what it does when SessionNotOnOrAfter is past or less than
  // 900 seconds ahead. Rather than issue credentials already expired or shorter than any STS
  // session, the sandbox refuses such an assertion with the error it gives an expired one
  // (ExpiredTokenException); this is the sandbox's choice, not documented AWS behaviour.
  const sessionLeftSeconds = a.sessionNotOnOrAfter && Math.floor((a.sessionNotOnOrAfter.getTime() - state.now().getTime()) / 1000);
  if (sessionLeftSeconds !== undefined && sessionLeftSeconds < MIN_SESSION_SECONDS) {
    throw expiredTokenException(
      `The SAML assertion's SessionNotOnOrAfter (${a.sessionNotOnOrAfter?.toISOString()}) leaves less than the ${MIN_SESSION_SECONDS}-second minimum session; it is now ${state.now().toISOString()}.`,
    );
  }
  if (!isSigninEndpoint(a.recipient, org.partition)) {
    throw invalidIdentityToken(`The SubjectConfirmationData Recipient (${a.recipient ?? 'missing'}) is not the AWS sign-in SAML endpoint.`);
  }
  if (!a.audiences.some((aud) => aud === LEGACY_AUDIENCE[org.partition] || isSigninEndpoint(aud, org.partition))) {
    throw invalidIdentityToken(`The assertion's Audience (${a.audiences.join(', ') || 'missing'}) is not the AWS sign-in SAML endpoint.`);
  }
  const denied = (action: string) => `Not authorized to perform ${action}`;
  if (!rolePairs(a.attributes.get(`${ATTR}Role`) ?? []).some((p) => p.role === roleArn && p.provider === principalArn)) {
    throw accessDenied(denied('sts:AssumeRoleWithSAML'));
  }
  const sessionName = a.attributes.get(`${ATTR}RoleSessionName`)?.[0];
  if (sessionName === undefined) throw invalidIdentityToken('RoleSessionName is required in AuthnResponse');
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw invalidIdentityToken('RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}');
  // SessionDuration limits console sessions started from this assertion; API sessions use DurationSeconds.
  const sessionDuration = a.attributes.get(`${ATTR}SessionDuration`)?.[0];
  if (sessionDuration !== undefined && !(/^\d+$/.test(sessionDuration) && +sessionDuration >= 900 && +sessionDuration <= 43200)) {
    throw invalidIdentityToken('SessionDuration in AuthnResponse must be an integer between 900 and 43200');
  }
  const sourceIdentity = a.attributes.get(`${ATTR}SourceIdentity`)?.[0];
  if (sourceIdentity !== undefined && (!/^[\w+=,.@-]{2,64}$/.test(sourceIdentity) || sourceIdentity.startsWith('aws:'))) {
    throw invalidIdentityToken('Source identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"');
  }
  const tags: Tag[] = [...a.attributes.entries()]
    .filter(([name]) => name.startsWith(`${ATTR}PrincipalTag:`))
    .map(([name, values]) => ({ Key: name.slice(`${ATTR}PrincipalTag:`.length), Value: values[0] ?? '' }));
  const transitiveTagKeys = a.attributes.get(`${ATTR}TransitiveTagKeys`) ?? [];
  const tagSet = sessionTags(tags, transitiveTagKeys);
  const packedPolicySize = packSessionPolicy(policy, policyArns, tags);

  const format = a.nameIdFormat ?? `${NAME_ID_FORMAT}unspecified`;
  const subjectType = format === `${NAME_ID_FORMAT}persistent` || format === `${NAME_ID_FORMAT}transient` ? format.slice(NAME_ID_FORMAT.length) : format;
  const nameQualifier = createHash('sha1').update(`${a.issuer}${provider.accountId}/${provider.name}`).digest('base64');
  const context = {
    ...requestContext(state, { tags: tagSet.all, transitiveTagKeys, sourceIdentity }),
    'aws:FederatedProvider': principalArn,
    // SAML:aud is the Recipient the assertion was presented to, not its Audience.
    'SAML:aud': a.recipient ?? '',
    'SAML:iss': a.issuer,
    'SAML:sub': a.nameId,
    'SAML:sub_type': subjectType,
    'SAML:namequalifier': nameQualifier,
    'SAML:doc': `${provider.accountId}/${provider.name}`,
  };
  const role = findRole(state, roleArn);
  const actions = ['sts:AssumeRoleWithSAML', ...(tags.length > 0 ? ['sts:TagSession'] : []), ...(sourceIdentity ? ['sts:SetSourceIdentity'] : [])];
  authorize(role, { type: 'Federated', provider: principalArn }, actions, context, denied);

  // The IdP's SessionNotOnOrAfter shortens the session, never lengthens it (and leaves at least 900 s: checked above).
  const seconds = Math.min(sessionSeconds(duration, role, false), sessionLeftSeconds ?? Infinity);
  const rec = issueRoleSession(state, {
    role,
    sessionName,
    seconds,
    mfaAuthenticated: false,
    roleChained: false,
    sourceIdentity,
    transitiveTags: tagSet.transitive,
    issuedBy: 'AssumeRoleWithSAML',
  });
  return {
    Credentials: credentialsXml(rec),
    AssumedRoleUser: assumedRoleUserXml(rec),
    PackedPolicySize: packedPolicySize,
    Subject: a.nameId,
    SubjectType: subjectType,
    Issuer: a.issuer,
    Audience: a.recipient,
    NameQualifier: nameQualifier,
    SourceIdentity: sourceIdentity,
  };
}
