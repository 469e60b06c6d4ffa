import type { Service } from './service';

// Placeholder until the service is implemented: claims no request.
export function createSsoOidcService(): Service {
  return {
    name: 'sso-oidc',
    operationOf: () => undefined,
    handle: () => undefined,
    sendThrottled: () => undefined,
    sendServerError: () => undefined,
  };
}
