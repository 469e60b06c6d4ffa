import type { Service } from './service';

// Placeholder until the service is implemented: claims no request.
export function createSigninService(): Service {
  return {
    name: 'signin',
    operationOf: () => undefined,
    handle: () => undefined,
    sendThrottled: () => undefined,
    sendServerError: () => undefined,
  };
}
