// AWS's SAML assertion consumer service (ACS) URLs: where every IdP's browser POST of a
// SAMLResponse to AWS goes, whatever the IdP. One table for every partition, from the same SDK
// partition data the console uses: https://signin.{domain}/saml, the region-specific
// https://{region}.signin.{domain}/saml, and the per-provider /saml/acs/{id} URLs AWS gives a
// SAML provider with encrypted assertions.
import { SDK_PARTITIONS, type SdkPartition } from '../console/partition-data';

export interface AcsTarget {
  /** The partition the ACS URL belongs to: aws, aws-cn, aws-us-gov, ... */
  partition: string;
  /** The region of a region-specific ACS URL; undefined for the partition-wide one. */
  region?: string;
}

// A region label of the host: two letters or more, words, a number (eusc-de-east-1).
const REGION_LABEL = /^[a-z]{2,}(-[a-z]+)+-\d+$/;
// The per-provider ACS path AWS shows on a SAML provider's page: /saml/acs/SAMLSP... (letters and digits).
const PROVIDER_ACS_PATH = /^\/saml\/acs\/[A-Za-z0-9]{1,128}$/;

function regionIn(p: SdkPartition, region: string): boolean {
  return p.regions.includes(region) || new RegExp(p.regionRegex).test(region);
}

/** The partition (and region) of an AWS SAML ACS URL; undefined for any other URL. */
export function acsTarget(url: string): AcsTarget | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' || u.port !== '' || u.username !== '' || u.password !== '') return undefined;
  if (u.pathname !== '/saml' && !PROVIDER_ACS_PATH.test(u.pathname)) return undefined;
  const host = u.hostname.toLowerCase();
  for (const p of SDK_PARTITIONS) {
    const base = `signin.${p.consoleDomain}`;
    if (host === base) return { partition: p.name };
    if (!host.endsWith(`.${base}`)) continue;
    const region = host.slice(0, -(base.length + 1));
    if (REGION_LABEL.test(region) && regionIn(p, region)) return { partition: p.name, region };
  }
  return undefined;
}

export const isAcsUrl = (url: string): boolean => acsTarget(url) !== undefined;

/** The partition-wide ACS URL of every partition: https://signin.aws.amazon.com/saml, ... */
export function partitionAcsUrls(): string[] {
  return SDK_PARTITIONS.map((p) => `https://signin.${p.consoleDomain}/saml`);
}

/**
 * URL patterns (Electron's webRequest filter syntax) that cover every ACS URL, so the main
 * process sees only these requests; acsTarget() then decides each one exactly.
 */
export function acsUrlPatterns(): string[] {
  return SDK_PARTITIONS.flatMap((p) => [`https://signin.${p.consoleDomain}/saml*`, `https://*.signin.${p.consoleDomain}/saml*`]);
}
