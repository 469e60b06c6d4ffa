// The environment variables AWS tools read for a profile's credentials and region.
import type { AppState, Credentials } from '../../src-shared/profile';
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
  const { StateStore } = await import('../core/files/state-store');
  return regionOf(await new StateStore(ctx.paths).load(), profile);
}

export function regionOf(state: AppState, name: string): string | undefined {
  const seen = new Set<string>();
  let p = state.profiles.find((x) => x.name === name);
  while (p && !seen.has(p.name)) {
    if (p.region) return p.region;
    seen.add(p.name);
    const source = p.kind === 'assume-role' ? p.sourceProfile : undefined;
    p = state.profiles.find((x) => x.name === source);
  }
  return undefined;
}
