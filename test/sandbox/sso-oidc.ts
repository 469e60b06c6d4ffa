// IAM Identity Center's OIDC endpoint (oidc.{region}.amazonaws.com): RegisterClient,
// StartDeviceAuthorization, CreateToken, plus the browser pages a person uses to approve a
// device (/device) or a PKCE authorization (/authorize). One sandbox serves every Identity Center
// instance of the organization: StartDeviceAuthorization names it by startUrl, a PKCE client by
// the issuerUrl it registered with. The work lives in test/sandbox/identity-center/.
import type { RequestContext, Service } from './service';
import { authorizePage } from './identity-center/authorize-page';
import { devicePage } from './identity-center/device-page';
import { registerClient, startDeviceAuthorization } from './identity-center/registration';
import { createToken } from './identity-center/tokens';
import { sendOidcError, sendOidcUnavailable } from './identity-center/wire';

/** Knob names of the browser pages; not AWS API operations, but a bad day can slow them too. */
export const DEVICE_PAGE_OPERATION = 'sso-oidc:DeviceVerificationPage';
export const AUTHORIZE_PAGE_OPERATION = 'sso-oidc:AuthorizePage';

export function createSsoOidcService(): Service {
  return {
    name: 'sso-oidc',
    operationOf(ctx: RequestContext) {
      const { pathname, searchParams } = ctx.url;
      const method = ctx.req.method;
      if (method === 'POST' && pathname === '/client/register') return 'sso-oidc:RegisterClient';
      if (method === 'POST' && pathname === '/device_authorization') return 'sso-oidc:StartDeviceAuthorization';
      // /token?aws_iam=t is CreateTokenWithIAM, which needs SigV4 and which Rolecall does not use.
      if (method === 'POST' && pathname === '/token' && !searchParams.has('aws_iam')) return 'sso-oidc:CreateToken';
      if ((method === 'GET' || method === 'POST') && (pathname === '/device' || pathname.startsWith('/device/'))) return DEVICE_PAGE_OPERATION;
      if ((method === 'GET' || method === 'POST') && pathname === '/authorize') return AUTHORIZE_PAGE_OPERATION;
      return undefined;
    },
    handle(ctx: RequestContext, operation: string) {
      switch (operation) {
        case 'sso-oidc:RegisterClient':
          return registerClient(ctx);
        case 'sso-oidc:StartDeviceAuthorization':
          return startDeviceAuthorization(ctx);
        case 'sso-oidc:CreateToken':
          return createToken(ctx);
        case DEVICE_PAGE_OPERATION:
          return devicePage(ctx);
        case AUTHORIZE_PAGE_OPERATION:
          return authorizePage(ctx);
      }
    },
    // botocore models no throttling error for SSO OIDC; every operation lists SlowDownException, which is what AWS sends.
    sendThrottled(ctx: RequestContext) {
      sendOidcError(ctx, 'SlowDownException', 'Rate exceeded');
    },
    sendServerError(ctx: RequestContext, status: 500 | 503) {
      if (status === 500) return sendOidcError(ctx, 'InternalServerException', 'An internal error occurred.');
      sendOidcUnavailable(ctx);
    },
  };
}
