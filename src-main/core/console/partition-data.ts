// GENERATED from the AWS SDK's partition table (@aws-sdk/core) and its Sign-In endpoint rules
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

export const SDK_PARTITIONS: readonly SdkPartition[] = [
  {
    name: 'aws',
    dnsSuffix: 'amazonaws.com',
    regionRegex: '^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$',
    regions: [
      'af-south-1',
      'ap-east-1',
      'ap-east-2',
      'ap-northeast-1',
      'ap-northeast-2',
      'ap-northeast-3',
      'ap-south-1',
      'ap-south-2',
      'ap-southeast-1',
      'ap-southeast-2',
      'ap-southeast-3',
      'ap-southeast-4',
      'ap-southeast-5',
      'ap-southeast-6',
      'ap-southeast-7',
      'ca-central-1',
      'ca-west-1',
      'eu-central-1',
      'eu-central-2',
      'eu-north-1',
      'eu-south-1',
      'eu-south-2',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'il-central-1',
      'me-central-1',
      'me-south-1',
      'me-west-1',
      'mx-central-1',
      'sa-east-1',
      'sa-west-1',
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2'
    ],
    consoleDomain: 'aws.amazon.com'
  },
  {
    name: 'aws-cn',
    dnsSuffix: 'amazonaws.com.cn',
    regionRegex: '^cn\\-\\w+\\-\\d+$',
    regions: [
      'cn-north-1',
      'cn-northwest-1'
    ],
    consoleDomain: 'amazonaws.cn'
  },
  {
    name: 'aws-eusc',
    dnsSuffix: 'amazonaws.eu',
    regionRegex: '^eusc\\-(de)\\-\\w+\\-\\d+$',
    regions: [
      'eusc-de-east-1'
    ],
    consoleDomain: 'amazonaws-eusc.eu'
  },
  {
    name: 'aws-iso',
    dnsSuffix: 'c2s.ic.gov',
    regionRegex: '^us\\-iso\\-\\w+\\-\\d+$',
    regions: [
      'us-iso-east-1',
      'us-iso-west-1'
    ],
    consoleDomain: 'c2shome.ic.gov'
  },
  {
    name: 'aws-iso-b',
    dnsSuffix: 'sc2s.sgov.gov',
    regionRegex: '^us\\-isob\\-\\w+\\-\\d+$',
    regions: [
      'us-isob-east-1',
      'us-isob-west-1'
    ],
    consoleDomain: 'sc2shome.sgov.gov'
  },
  {
    name: 'aws-iso-e',
    dnsSuffix: 'cloud.adc-e.uk',
    regionRegex: '^eu\\-isoe\\-\\w+\\-\\d+$',
    regions: [
      'eu-isoe-west-1'
    ],
    consoleDomain: 'csphome.adc-e.uk'
  },
  {
    name: 'aws-iso-f',
    dnsSuffix: 'csp.hci.ic.gov',
    regionRegex: '^us\\-isof\\-\\w+\\-\\d+$',
    regions: [
      'us-isof-east-1',
      'us-isof-south-1'
    ],
    consoleDomain: 'csphome.hci.ic.gov'
  },
  {
    name: 'aws-us-gov',
    dnsSuffix: 'amazonaws.com',
    regionRegex: '^us\\-gov\\-\\w+\\-\\d+$',
    regions: [
      'us-gov-east-1',
      'us-gov-west-1'
    ],
    consoleDomain: 'amazonaws-us-gov.com'
  }
];
