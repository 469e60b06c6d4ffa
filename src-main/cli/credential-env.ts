// The environment variables AWS tools read for a profile's credentials and region.
import type { Credentials } from '../../src-shared/profile';
import type { CliContext } from './context';

export async function credentialEnv(ctx: CliContext, profile: string, c: Credentials): Promise<Record<string, string | undefined>> {
  const region = await profileRegion(ctx, profile);
  return {
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_SESSION_TOKEN: c.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: c.expiration?.toISOString(),
    ...(region ? { AWS_REGION: region, AWS_DEFAULT_REGION: region } : {}),
  };
}

/** The profile's region, else the nearest source profile's (as the broker picks it). */
export async function profileRegion(ctx: CliContext, profile: string): Promise<string | undefined> {
  const [{ StateStore }, { regionOf }] = await Promise.all([import('../core/files/state-store'), import('../core/chain')]);
  return regionOf((await new StateStore(ctx.paths).load()).profiles, profile);
}
