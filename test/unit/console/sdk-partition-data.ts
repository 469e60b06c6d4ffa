// The AWS SDK's own partition data, as src-main/core/console/partition-data.ts holds it: the
// partition table every SDK client resolves endpoints with (@aws-sdk/core) and, per partition,
// the domain of the Sign-In service's region-specific hosts by its endpoint rules
// (@aws-sdk/nested-clients/signin). The core may not import those packages (the layering
// rule), so it carries the data, and partition-data.test.ts checks it against the SDK.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SigninClient } from '@aws-sdk/nested-clients/signin';
import type { SdkPartition } from '../../../src-main/core/console/partition-data';

const require = createRequire(import.meta.url);

interface PartitionsInfo {
  partitions: { id: string; outputs: { dnsSuffix: string; implicitGlobalRegion: string }; regionRegex: string; regions: Record<string, unknown> }[];
}

/** The Sign-In service's endpoint host for a region, by the SDK's rules. */
export function sdkSigninHost(region: string): string {
  const client = new SigninClient({ region });
  try {
    return client.config.endpointProvider({ Region: region }).url.hostname;
  } finally {
    client.destroy();
  }
}

export async function sdkPartitionData(): Promise<SdkPartition[]> {
  // The table itself is not among the package's exports; its module file is read as the SDK ships it.
  const dir = path.dirname(require.resolve('@aws-sdk/core/package.json'));
  const file = path.join(dir, 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js');
  const { partitionsInfo } = (await import(pathToFileURL(file).href)) as { partitionsInfo: PartitionsInfo };
  return partitionsInfo.partitions.map((p) => {
    const region = p.outputs.implicitGlobalRegion;
    const host = sdkSigninHost(region);
    const prefix = `${region}.signin.`;
    if (!host.startsWith(prefix)) throw new Error(`the SDK's sign-in host for ${region} is ${host}, not ${prefix}...`);
    return {
      name: p.id,
      dnsSuffix: p.outputs.dnsSuffix,
      regionRegex: p.regionRegex,
      // "aws-global" and the like are endpoint pseudo-regions, not regions a console shows.
      regions: Object.keys(p.regions).filter((r) => !r.endsWith('-global')),
      consoleDomain: host.slice(prefix.length),
    };
  });
}

export function renderPartitionData(partitions: SdkPartition[]): string {
  return `// GENERATED from the AWS SDK's partition table (@aws-sdk/core) and its Sign-In endpoint rules
// (@aws-sdk/nested-clients/signin) by test/unit/console/sdk-partition-data.ts; do not edit.
// test/unit/console/partition-data.test.ts fails when the SDK's data differs from this; rewrite
// it then with: UPDATE_PARTITIONS=1 npx vitest run test/unit/console/partition-data.test.ts

export interface SdkPartition {
  name: string;
  /** The partition's service endpoint suffix (sts.{region}.{dnsSuffix}). */
  dnsSuffix: string;
  /** Regions not listed that match this are in the partition too (new regions). */
  regionRegex: string;
  regions: string[];
  /** The domain of the region-specific sign-in hosts ({region}.signin.{consoleDomain}). */
  consoleDomain: string;
}

export const SDK_PARTITIONS: readonly SdkPartition[] = ${JSON.stringify(partitions, null, 2).replace(/"(\w+)":/g, '$1:').replace(/"/g, "'")};
`;
}
