// AssumeRoleWithSAML for one role of a captured SAMLResponse: DurationSeconds as decided at
// capture, a MaxSessionDuration refusal retried once with an hour (and said), and the region of
// the assertion's partition.
import { assumeRoleWithSAML, type IssuedCredentials, type StsContext } from '../aws/sts';
import { defaultRegion } from '../aws/endpoints';
import { SDK_PARTITIONS } from '../console/partition-data';
import { consolePartition } from '../console/partitions';
import type { SamlRolePair, SamlResponseInfo } from './assertion';
import { FALLBACK_DURATION_SECONDS, isMaxSessionDurationRefusal } from './roles';

/**
 * Where the STS calls go: the integration's region; else a region-specific ACS URL's region; else
 * the caller's default region when it is in the assertion's partition; else that partition's first region.
 */
export function samlStsRegion(integrationRegion: string | undefined, acs: SamlResponseInfo['acs'], env: NodeJS.ProcessEnv): string {
  if (integrationRegion) return integrationRegion;
  if (acs?.region) return acs.region;
  const region = defaultRegion(env);
  if (!acs || consolePartition(region).name === acs.partition) return region;
  return SDK_PARTITIONS.find((p) => p.name === acs.partition)?.regions[0] ?? region;
}

export async function assumeSamlRole(
  sts: StsContext,
  samlResponse: string,
  pair: SamlRolePair,
  durationSeconds: number,
  notice: (message: string) => void,
): Promise<IssuedCredentials & { durationSeconds: number }> {
  const call = (DurationSeconds: number) =>
    assumeRoleWithSAML(sts, { RoleArn: pair.roleArn, PrincipalArn: pair.principalArn, SAMLAssertion: samlResponse, DurationSeconds });
  try {
    return { ...(await call(durationSeconds)), durationSeconds };
  } catch (e) {
    if (!isMaxSessionDurationRefusal(e) || durationSeconds <= FALLBACK_DURATION_SECONDS) throw e;
    notice(`${pair.roleArn} allows sessions shorter than ${durationSeconds} s (its MaxSessionDuration): asked for ${FALLBACK_DURATION_SECONDS} s instead`);
    return { ...(await call(FALLBACK_DURATION_SECONDS)), durationSeconds: FALLBACK_DURATION_SECONDS };
  }
}
