import type { Service } from '../service';

// Placeholder until the service is implemented: claims no request.
export function createStsService(): Service {
  return {
    name: 'sts',
    operationOf: () => undefined,
    handle: () => undefined,
    sendThrottled: () => undefined,
    sendServerError: () => undefined,
  };
}
