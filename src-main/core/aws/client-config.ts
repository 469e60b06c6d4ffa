// Deadlines and retries every AWS call shares (STS, the SSO portal, SSO OIDC). Without them one
// answer that never comes hangs every AWS tool behind credential_process: the SDK's requestTimeout
// only logs a warning unless throwOnRequestTimeout is set, and nothing bounds the retries.
import type { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/util-retry';
import { configuredEndpoint, type EndpointService } from './endpoints';
import { AwsCallError, type CalledEndpoint } from './errors';

/** Per attempt: TCP (and TLS) connection set up. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** Per attempt: request sent to response headers in. AWS answers these calls in well under a second. */
export const RESPONSE_TIMEOUT_MS = 10_000;
/** One call, every attempt and backoff included; also the default budget of one credential request. */
export const CALL_BUDGET_MS = 30_000;
/** Attempts within the budget; the budget, not this, ends a run of throttles or hangs. */
export const MAX_ATTEMPTS = 8;

/** Part of every call's context: when the whole request this call serves must be done. */
export interface CallDeadline {
  /** Epoch milliseconds; without it each call gets CALL_BUDGET_MS of its own. */
  deadline?: number;
}

export const serviceName: Record<EndpointService, string> = {
  sts: 'AWS STS',
  sso: 'the IAM Identity Center portal',
  'sso-oidc': 'IAM Identity Center OIDC',
  signin: 'the AWS sign-in endpoint',
};

/** The URL a client talks to: the configured one, else AWS's regional endpoint. */
export function endpointUrl(service: EndpointService, region: string, env: NodeJS.ProcessEnv): string {
  const configured = configuredEndpoint(service, env);
  if (configured) return configured;
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  if (service === 'signin') return 'https://signin.aws.amazon.com';
  const host = { sts: 'sts', sso: 'portal.sso', 'sso-oidc': 'oidc' }[service];
  return `https://${host}.${region}.${suffix}`;
}

export const calledEndpoint = (service: EndpointService, region: string, env: NodeJS.ProcessEnv): CalledEndpoint => ({
  name: serviceName[service],
  url: endpointUrl(service, region, env),
});

// The adaptive strategy's client-side rate limiter is shared per endpoint and region, so it learns
// from the throttles of every call in this process, not only from one client's. The rest of the
// strategy (its retry quota, its backoff state) stays per client: a long outage must not use up
// the retries of every later call in a long-running agent.
// (Loaded with the SDK, never on the credential_process hot path.)
const limiters = new Map<string, DefaultRateLimiter>();
async function retryStrategy(service: EndpointService, region: string, url: string): Promise<AdaptiveRetryStrategy> {
  const retry = await import('@smithy/util-retry');
  const key = `${service} ${region} ${url}`;
  let rateLimiter = limiters.get(key);
  if (!rateLimiter) limiters.set(key, (rateLimiter = new retry.DefaultRateLimiter()));
  return new retry.AdaptiveRetryStrategy(MAX_ATTEMPTS, { rateLimiter });
}

/**
 * The SDK client settings for one service. `retries: false` for callers that pace and retry
 * themselves (sync, device-code polling).
 */
export async function sdkClientConfig(
  service: EndpointService,
  region: string,
  env: NodeJS.ProcessEnv,
  options: { retries?: boolean; responseTimeoutMs?: number } = {},
) {
  const url = endpointUrl(service, region, env);
  return {
    region,
    endpoint: configuredEndpoint(service, env),
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS, throwOnRequestTimeout: true },
    ...(options.retries === false ? { maxAttempts: 1 } : { retryStrategy: await retryStrategy(service, region, url) }),
  };
}

export interface AwsCall extends CallDeadline {
  service: EndpointService;
  region: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs one SDK send within the call's budget. At the deadline the request is aborted and the
 * caller gets an error naming the endpoint, even if the SDK is asleep between retries.
 */
export async function withinBudget<T>(call: AwsCall, operation: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = call.deadline ?? Date.now() + CALL_BUDGET_MS;
  const budgetMs = Math.max(deadline - Date.now(), 0);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const { name, url } = calledEndpoint(call.service, call.region, call.env);
      reject(
        new AwsCallError(
          `${name} at ${url} did not answer within ${Math.round(budgetMs / 1000)} s (${operation})`,
          'timeout',
          'TimeoutError',
          operation,
          `try again shortly; if it persists, check the network or the AWS_ENDPOINT_URL settings`,
        ),
      );
      controller.abort();
    }, budgetMs);
  });
  try {
    return await Promise.race([send(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
