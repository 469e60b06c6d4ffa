// Where AWS sign-in's OAuth endpoints are: AWS_ENDPOINT_URL_SIGNIN (or AWS_ENDPOINT_URL), else
// the region's sign-in host from the Sign-In endpoint rules (https://{region}.signin.{domain}).
import { configuredEndpoint } from '../aws/endpoints';
import { consolePartition } from '../console/partitions';

export const DEFAULT_SIGNIN_REGION = 'us-east-1';

export function signinBaseUrl(region: string, env: NodeJS.ProcessEnv): string {
  return configuredEndpoint('signin', env) ?? `https://${consolePartition(region).regionalSigninHost}`;
}
