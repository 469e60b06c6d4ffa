// Endpoints are configurable the SDK's standard way: AWS_ENDPOINT_URL_<SERVICE>, then
// AWS_ENDPOINT_URL. The sign-in (federation) endpoint follows the same rule with SIGNIN.
export type EndpointService = 'sts' | 'sso' | 'sso-oidc' | 'signin';

export function configuredEndpoint(service: EndpointService, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${service.toUpperCase().replace(/-/g, '_')}`];
  const url = specific || env.AWS_ENDPOINT_URL;
  return url ? url.replace(/\/+$/, '') : undefined;
}

/** The region STS calls go to when the profile names none: the SDK's own variables, then us-east-1. */
export function defaultRegion(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}
