// The partition data the console code carries is the AWS SDK's, and partitions are picked as
// the SDK picks them: a drift (a new partition or region in an SDK update) fails here, with the
// command that rewrites the data.
import { readFile, writeFile } from 'node:fs/promises';
import { partition } from '@aws-sdk/core/client';
import { describe, expect, it } from 'vitest';
import { consolePartition } from '../../../src-main/core/console/partitions';
import { renderPartitionData, sdkPartitionData, sdkSigninHost } from './sdk-partition-data';

const DATA_FILE = new URL('../../../src-main/core/console/partition-data.ts', import.meta.url);

describe('partition data', () => {
  it("is the AWS SDK's partition table and sign-in endpoint rules", async () => {
    const expected = renderPartitionData(await sdkPartitionData());
    if (process.env.UPDATE_PARTITIONS === '1') await writeFile(DATA_FILE, expected);
    expect(await readFile(DATA_FILE, 'utf8'), 'run: UPDATE_PARTITIONS=1 npx vitest run test/unit/console/partition-data.test.ts').toBe(expected);
  });

  it("picks each region's partition and sign-in host as the SDK does, for listed, new and unknown regions", async () => {
    const listed = (await sdkPartitionData()).flatMap((p) => p.regions);
    // Not (yet) in the table: the SDK places them by each partition's regionRegex, else in aws.
    const unlisted = ['us-west-9', 'cn-south-7', 'us-gov-north-3', 'eusc-de-west-2', 'us-iso-north-4', 'xx-nowhere-1'];
    expect(listed.length).toBeGreaterThan(40);
    for (const region of [...listed, ...unlisted]) {
      const p = consolePartition(region);
      expect([region, p.name]).toEqual([region, partition(region).name]);
      expect([region, p.regionalSigninHost]).toEqual([region, sdkSigninHost(region)]);
    }
  });
});
