// Where a console sign-in lands: the home page, a service from a table of common ones, or a full
// console URL of the partition. Anything else is refused, so Rolecall's sign-in link can never
// be turned into a redirect to some other site (the login URL carries a live SigninToken).
import { RolecallError } from '../errors';
import { isConsoleHost, type ConsolePartition } from './partitions';

/** Common services and their console paths (below {region}.console.{domain}/). */
export const CONSOLE_SERVICES: Readonly<Record<string, string>> = {
  apigateway: 'apigateway/main/apis',
  athena: 'athena/home',
  billing: 'billing/home',
  bedrock: 'bedrock/home',
  cloudformation: 'cloudformation/home',
  cloudfront: 'cloudfront/v4/home',
  cloudtrail: 'cloudtrail/home',
  cloudwatch: 'cloudwatch/home',
  codebuild: 'codesuite/codebuild/home',
  codepipeline: 'codesuite/codepipeline/home',
  config: 'config/home',
  dynamodb: 'dynamodbv2/home',
  ec2: 'ec2/home',
  ecr: 'ecr/home',
  ecs: 'ecs/v2/home',
  eks: 'eks/home',
  elasticache: 'elasticache/home',
  glue: 'glue/home',
  guardduty: 'guardduty/home',
  iam: 'iam/home',
  kinesis: 'kinesis/home',
  kms: 'kms/home',
  lambda: 'lambda/home',
  logs: 'cloudwatch/home#logsV2:',
  organizations: 'organizations/v2/home',
  rds: 'rds/home',
  route53: 'route53/v2/home',
  s3: 's3/home',
  sagemaker: 'sagemaker/home',
  secretsmanager: 'secretsmanager/home',
  securityhub: 'securityhub/home',
  sns: 'sns/v3/home',
  sqs: 'sqs/v3/home',
  ssm: 'systems-manager/home',
  sso: 'singlesignon/home',
  stepfunctions: 'states/home',
  vpc: 'vpcconsole/home',
};

const invalid = (message: string) => new RolecallError(message, 'invalid-input');

/** The console URL to land on, in the partition's console and the given region. */
export function destinationUrl(p: ConsolePartition, destination?: string): string {
  const region = p.region;
  const page = (path: string) => {
    const url = new URL(`https://${p.regionalConsoleHost}/${path}`);
    // Before any #fragment: the console reads the region from the query.
    url.searchParams.set('region', region);
    return url.toString();
  };
  if (destination === undefined || destination === '' || destination === 'home') return page('console/home');
  const service = CONSOLE_SERVICES[destination.toLowerCase()];
  if (service) return page(service);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(destination)) {
    throw invalid(
      `--destination: unknown service ${JSON.stringify(destination.slice(0, 64))}; use one of ${Object.keys(CONSOLE_SERVICES).join(', ')}, or a console URL (https://${p.consoleHost}/...)`,
    );
  }
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    throw invalid('--destination: not a valid URL');
  }
  // Only the host is named in the message: the rest of a refused URL may be anything.
  if (url.protocol !== 'https:' || url.username || url.password || !isConsoleHost(p, url.hostname)) {
    throw invalid(
      `--destination: ${url.protocol === 'https:' ? url.hostname.slice(0, 100) : `a ${url.protocol.slice(0, 20)} URL`} is not the AWS console of the ${p.name} partition ` +
        `(https://${p.consoleHost} or a subdomain of it); Rolecall signs in to nothing else`,
    );
  }
  return url.toString();
}
