// Web identity: AssumeRoleWithWebIdentity with the OIDC token read from a file (as the AWS SDKs do).
import { readFile } from 'node:fs/promises';
import type { WebIdentityProfile } from '../../../src-shared/profile';
import { assumeRoleWithWebIdentity } from '../aws/sts';
import { RolecallError } from '../errors';
import { defaultSessionName } from './session-name';
import type { Provider, StepContext, StepResult } from './types';

export async function webIdentityCredentials(profile: WebIdentityProfile, ctx: StepContext): Promise<StepResult> {
  let token: string;
  try {
    token = (await readFile(profile.webIdentityTokenFile, 'utf8')).trim();
  } catch (err) {
    throw new RolecallError(`profile '${profile.name}': cannot read the web identity token file ${profile.webIdentityTokenFile}`, 'file', undefined, { cause: err });
  }
  const result = await assumeRoleWithWebIdentity(ctx.sts, {
    RoleArn: profile.roleArn,
    RoleSessionName: profile.roleSessionName ?? (await defaultSessionName(ctx)),
    WebIdentityToken: token,
    DurationSeconds: profile.durationSeconds,
  });
  return { ...result, credentialType: 'role', durationAsked: profile.durationSeconds };
}

export const webIdentityProvider: Provider<WebIdentityProfile> = {
  parent: () => undefined,
  issuesSession: () => true,
  credentials: webIdentityCredentials,
};
