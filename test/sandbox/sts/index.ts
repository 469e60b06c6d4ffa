// The sandbox's STS: `POST /` (or GET) with Action=..., query protocol 2011-06-15. Signed
// operations are checked with SigV4 against the credentials the sandbox knows; errors and
// throttling answer in STS's own XML.
import type { RequestContext, Service } from '../service';
import type { CredentialRecord } from '../state';
import { verifySigV4 } from '../sigv4';
import { assumeRole } from './assume-role';
import { assumeRoleWithSaml } from './assume-role-with-saml';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity';
import { getCallerIdentity } from './get-caller-identity';
import { readParams, sendError, sendResult, STS_VERSION, StsError, type StsCall, type XmlTree } from './protocol';
import { getFederationToken, getSessionToken } from './user-tokens';

type Operation =
  | { signed: true; run: (call: StsCall, caller: CredentialRecord) => XmlTree | Promise<XmlTree> }
  | { signed: false; run: (call: StsCall) => XmlTree | Promise<XmlTree> };

const operations: Record<string, Operation> = {
  AssumeRole: { signed: true, run: assumeRole },
  AssumeRoleWithSAML: { signed: false, run: assumeRoleWithSaml },
  AssumeRoleWithWebIdentity: { signed: false, run: assumeRoleWithWebIdentity },
  GetSessionToken: { signed: true, run: getSessionToken },
  GetFederationToken: { signed: true, run: getFederationToken },
  GetCallerIdentity: { signed: true, run: (_call, caller) => getCallerIdentity(caller) },
};

/**
 * The knob name (for rate limits, faults and the call counter) of every Action STS does not have:
 * one name, so that a client sending made-up actions cannot grow the counter without bound.
 * The answer stays AWS's InvalidAction naming the action sent.
 */
export const UNKNOWN_ACTION_OPERATION = 'sts:InvalidAction';

const paramsCache = new WeakMap<RequestContext, URLSearchParams>();
function paramsOf(ctx: RequestContext): URLSearchParams {
  let p = paramsCache.get(ctx);
  if (!p) {
    p = readParams(ctx);
    paramsCache.set(ctx, p);
  }
  return p;
}

async function run(ctx: RequestContext, params: URLSearchParams): Promise<{ action: string; result: XmlTree }> {
  const action = params.get('Action');
  if (!action) throw new StsError('MissingAction', 'The request is missing an action or a required parameter.', 400);
  const version = params.get('Version');
  const op = Object.hasOwn(operations, action) ? operations[action] : undefined;
  if (!op || (version !== null && version !== STS_VERSION)) {
    throw new StsError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, 400);
  }
  const call: StsCall = { ctx, state: ctx.state, params };
  if (!op.signed) return { action, result: await op.run(call) };
  const auth = verifySigV4(ctx, 'sts');
  if (auth.kind === 'unsigned') {
    throw new StsError('MissingAuthenticationToken', 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.', 403);
  }
  if (auth.kind === 'rejected') throw new StsError(auth.code, auth.message, auth.status);
  return { action, result: await op.run({ ...call, caller: auth.credential }, auth.credential) };
}

export function createStsService(): Service {
  return {
    name: 'sts',
    operationOf(ctx) {
      if (ctx.url.pathname !== '/') return undefined;
      const action = paramsOf(ctx).get('Action');
      if (action) return Object.hasOwn(operations, action) ? `sts:${action}` : UNKNOWN_ACTION_OPERATION;
      return ctx.req.method === 'POST' ? 'sts:' : undefined;
    },
    async handle(ctx) {
      try {
        const { action, result } = await run(ctx, paramsOf(ctx));
        sendResult(ctx, action, result);
      } catch (err) {
        if (err instanceof StsError) return sendError(ctx, err);
        console.error('sandbox sts: unexpected error', err);
        sendError(ctx, new StsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver'));
      }
    },
    sendThrottled(ctx) {
      sendError(ctx, new StsError('Throttling', 'Rate exceeded', 400));
    },
    sendServerError(ctx, status) {
      sendError(
        ctx,
        status === 503
          ? new StsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503, 'Receiver')
          : new StsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver'),
      );
    },
  };
}
