// A SAML role is a source like any other: a role chained on it is served by the broker, and the
// chain's root asks for a new SAML sign-in once its captured response has run out.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signInWithSamlResponse } from '../../../src-main/core/saml/sign-in';
import { addSamlIntegration } from '../../../src-main/core/saml/integrations';
import { getCallerIdentity } from '../../../src-main/core/aws/sts';
import { buildSamlResponse } from '../../sandbox/idp-signing';
import { demoOrg, startHarness, type Harness } from '../../helpers/harness';

const SAML_ROLE = 'arn:aws:iam::777788889999:role/SamlAdmin';
const IDP = 'arn:aws:iam::777788889999:saml-provider/corp-idp';
const CHAINED = 'arn:aws:iam::210987654321:role/SamlChained';

let h: Harness;
beforeEach(async () => {
  const org = demoOrg();
  org.roles.push({
    accountId: '210987654321',
    name: 'SamlChained',
    path: '/',
    maxSessionDuration: 3600,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: SAML_ROLE }, Action: 'sts:AssumeRole' }] },
  });
  h = await startHarness({ org });
  await addSamlIntegration(h.core.state, { name: 'corp', url: `${h.sandbox.url}/saml-idp/corp-idp/sso` });
});
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
});

describe('a role chained on a SAML role', () => {
  it('is served from the SAML session, and its chain needs a new sign-in once that has run out', { timeout: 30_000 }, async () => {
    const samlResponse = buildSamlResponse({ roles: [`${SAML_ROLE},${IDP}`], roleSessionName: 'alice', sessionDuration: 900, issueInstant: h.sandbox.state.now() });
    await signInWithSamlResponse({ state: h.core.state, secrets: h.core.secrets, env: h.env }, { integration: 'corp', samlResponse });
    await h.addProfiles({ kind: 'assume-role', name: 'audit/chained', sourceProfile: 'corp/SamlAdmin', roleArn: CHAINED });

    const creds = await h.core.broker.credentials('audit/chained');
    const who = await getCallerIdentity({ region: 'us-east-1', env: h.env }, creds);
    expect(who.Arn).toMatch(/^arn:aws:sts::210987654321:assumed-role\/SamlChained\//);

    // Past the chained session's refresh time (its 3600 s outlive the SAML session's 900 s), the SAML
    // session and the response's NotOnOrAfter, for the broker and the sandbox
    // alike (one process, one clock): a new sign-in is the only way on.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3000_000 });
    const later = await h.newCore();
    const err = await later.broker.credentials('audit/chained').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'sign-in-required', hint: 'sign in again: rolecall login saml corp' });
  });
});
