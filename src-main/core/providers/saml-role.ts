// A SAML role: AssumeRoleWithSAML with the SAMLResponse the integration's latest sign-in captured
// (kept in the keychain only while STS would still take it). Without one, a person must sign in
// again: the app's login window does that; the CLI says how.
import type { SamlRoleProfile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { assumeSamlRole } from '../saml/assume';
import { samlResponseEntryName, SamlResponseSecret } from '../secrets/keychain-entries';
import { readJsonSecret } from '../secrets/secret-store';
import type { Provider, StepContext, StepResult } from './types';

/** Less than this left on the assertion and it is not worth sending: STS may see it expired. */
const ASSERTION_MARGIN_MS = 10_000;

export const samlSignInRequired = (profile: SamlRoleProfile) =>
  new RolecallError(`profile '${profile.name}': its SAML sign-in to '${profile.integration}' has run out`, 'sign-in-required', `sign in again: rolecall login saml ${profile.integration}`);

export async function samlRoleCredentials(profile: SamlRoleProfile, ctx: StepContext): Promise<StepResult> {
  const entry = await readJsonSecret(ctx.secrets, samlResponseEntryName(profile.integration), SamlResponseSecret);
  if (!entry || Date.parse(entry.notOnOrAfter) - Date.now() < ASSERTION_MARGIN_MS) throw samlSignInRequired(profile);
  const sts = { ...ctx.sts, region: profile.region ?? entry.region };
  try {
    const r = await assumeSamlRole(sts, entry.samlResponse, { roleArn: profile.roleArn, principalArn: profile.principalArn }, entry.durationSeconds, ctx.notice);
    return { ...r, credentialType: 'role', durationAsked: r.durationSeconds };
  } catch (e) {
    // STS's own clock says the assertion is spent: the same as having none.
    if (e instanceof RolecallError && /ExpiredToken/.test(e.message)) throw samlSignInRequired(profile);
    throw e;
  }
}

export const samlRoleProvider: Provider<SamlRoleProfile> = {
  parent: () => undefined,
  issuesSession: () => true,
  credentials: samlRoleCredentials,
};
