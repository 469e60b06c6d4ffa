import type { Service } from './service';

// Placeholder until the service is implemented: claims no request.
export function createPortalService(): Service {
  return {
    name: 'portal',
    operationOf: () => undefined,
    handle: () => undefined,
    sendThrottled: () => undefined,
    sendServerError: () => undefined,
  };
}
