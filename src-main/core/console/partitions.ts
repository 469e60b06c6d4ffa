// Which AWS partition a region is in, and that partition's sign-in and console hosts, from the
// AWS SDK's own data rather than a list of ours (partition-data.ts, generated from the SDK's
// partition table and its Sign-In endpoint rules, and checked against them by a test): each
// partition's region-specific sign-in host is `{region}.signin.{domain}`, and the console lives
// beside it on the same domain (`console.{domain}`, `{region}.console.{domain}`), as AWS's
// endpoint pages show for aws, aws-cn and aws-us-gov. docs/CONSOLE.md has the resulting table.
import { RolecallError } from '../errors';
import { SDK_PARTITIONS, type SdkPartition } from './partition-data';

export interface ConsolePartition {
  /** The partition's name: aws, aws-cn, aws-us-gov, aws-eusc, aws-iso, ... */
  name: string;
  /** The region this was resolved for. */
  region: string;
  /** The SDK's dnsSuffix of the partition's service endpoints (amazonaws.com, amazonaws.com.cn, ...). */
  dnsSuffix: string;
  /** The domain sign-in and the console share: aws.amazon.com, amazonaws.cn, amazonaws-us-gov.com, ... */
  consoleDomain: string;
  /** The region-specific sign-in host, where the federation endpoint is reached: us-west-2.signin.aws.amazon.com. */
  regionalSigninHost: string;
  /** The partition-wide sign-in host: signin.aws.amazon.com. */
  signinHost: string;
  /** The partition-wide console host: console.aws.amazon.com. */
  consoleHost: string;
  /** The region's console host: us-west-2.console.aws.amazon.com. */
  regionalConsoleHost: string;
}

// Partition prefixes are two letters or more (eusc-de-east-1).
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

/** The console partition of a region; a region of no known partition resolves as the SDK does (to aws). */
export function consolePartition(region: string): ConsolePartition {
  if (!REGION.test(region)) throw new RolecallError(`not a region: ${JSON.stringify(region.slice(0, 64))} (a region looks like us-east-1)`, 'invalid-input');
  const p = sdkPartitionOf(region);
  const d = p.consoleDomain;
  return {
    name: p.name,
    region,
    dnsSuffix: p.dnsSuffix,
    consoleDomain: d,
    regionalSigninHost: `${region}.signin.${d}`,
    signinHost: `signin.${d}`,
    consoleHost: `console.${d}`,
    regionalConsoleHost: `${region}.console.${d}`,
  };
}

/** As the SDK's partition(): a listed region's partition, else the first whose regionRegex matches, else aws. */
function sdkPartitionOf(region: string): SdkPartition {
  const byName = (name: string) => SDK_PARTITIONS.find((p) => p.name === name);
  return (
    SDK_PARTITIONS.find((p) => p.regions.includes(region)) ??
    SDK_PARTITIONS.find((p) => new RegExp(p.regionRegex).test(region)) ??
    (byName('aws') as SdkPartition)
  );
}

/** True for the partition's console hosts: console.{domain} and any subdomain of it (regional, multi-session account hosts). */
export function isConsoleHost(p: ConsolePartition, hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === p.consoleHost || h.endsWith(`.${p.consoleHost}`);
}

/** True for the partition's sign-in hosts: signin.{domain} and the region-specific {region}.signin.{domain}. */
export function isSigninHost(p: ConsolePartition, hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === p.signinHost || h.endsWith(`.${p.signinHost}`);
}
