// The IAM Identity Center portal API (portal.sso.{region}.amazonaws.com): ListAccounts,
// ListAccountRoles, GetRoleCredentials and Logout, authorized by the SSO OIDC access token in
// x-amz-sso_bearer_token. Role credentials are issued through the sandbox state, so STS and the
// federation endpoint know them as assumed-role credentials.
import type { RequestContext, Service } from './service';
import { identityCenterOf, type AccessToken } from './identity-center/store';
import { sendJson, sendPortalError } from './identity-center/wire';

/** AWS's page size when max_result is absent. */
const DEFAULT_MAX_RESULT = 20;

const OPERATIONS: Record<string, string> = {
  'GET /assignment/accounts': 'sso:ListAccounts',
  'GET /assignment/roles': 'sso:ListAccountRoles',
  'GET /federation/credentials': 'sso:GetRoleCredentials',
  'POST /logout': 'sso:Logout',
};

interface Page {
  offset: number;
  /** Set for ListAccountRoles, so a token from one account's listing cannot page another's. */
  accountId?: string;
}

const encodePage = (p: Page) => Buffer.from(JSON.stringify(p)).toString('base64url');

function decodePage(token: string): Page | undefined {
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Page;
    return Number.isInteger(p.offset) && p.offset >= 0 ? p : undefined;
  } catch {
    return undefined;
  }
}

type Paging = { ok: true; offset: number; size: number } | { ok: false; message: string };

function paging(ctx: RequestContext, accountId?: string): Paging {
  const max = ctx.url.searchParams.get('max_result');
  const size = max === null ? DEFAULT_MAX_RESULT : /^\d+$/.test(max) ? Number(max) : NaN;
  if (!(size >= 1 && size <= 100)) return { ok: false, message: 'ResultSize parameter must be within the valid limits of: 1-100' };
  const token = ctx.url.searchParams.get('next_token');
  if (token === null) return { ok: true, offset: 0, size };
  const page = decodePage(token);
  if (!page || page.accountId !== accountId) return { ok: false, message: 'Invalid next token' };
  return { ok: true, offset: page.offset, size };
}

function paginate<T>(items: T[], p: { offset: number; size: number }, accountId?: string) {
  const end = p.offset + p.size;
  return { items: items.slice(p.offset, end), nextToken: end < items.length ? encodePage({ offset: end, accountId }) : undefined };
}

const withNextToken = (nextToken: string | undefined) => (nextToken ? { nextToken } : {});

export function createPortalService(): Service {
  return {
    name: 'portal',
    operationOf: (ctx) => OPERATIONS[`${ctx.req.method} ${ctx.url.pathname}`],
    handle(ctx, operation) {
      const store = identityCenterOf(ctx.state);
      const header = ctx.req.headers['x-amz-sso_bearer_token'];
      const token: AccessToken | undefined = typeof header === 'string' ? store.liveAccessToken(header) : undefined;
      if (!token) return sendPortalError(ctx, 'UnauthorizedException', 'Session token not found or invalid');
      const { instance, userName } = token.session;
      const q = ctx.url.searchParams;

      if (operation === 'sso:Logout') {
        token.session.loggedOut = true;
        return sendJson(ctx, 200, undefined);
      }
      if (operation === 'sso:ListAccounts') {
        const p = paging(ctx);
        if (!p.ok) return sendPortalError(ctx, 'InvalidRequestException', p.message);
        const page = paginate(store.assignments.accounts(instance, userName), p);
        return sendJson(ctx, 200, { accountList: page.items, ...withNextToken(page.nextToken) });
      }
      const accountId = q.get('account_id');
      if (!accountId) return sendPortalError(ctx, 'InvalidRequestException', 'account_id is required');
      if (operation === 'sso:ListAccountRoles') {
        const p = paging(ctx, accountId);
        if (!p.ok) return sendPortalError(ctx, 'InvalidRequestException', p.message);
        const page = paginate(store.assignments.roles(instance, userName, accountId), p, accountId);
        return sendJson(ctx, 200, { roleList: page.items.map((roleName) => ({ roleName, accountId })), ...withNextToken(page.nextToken) });
      }
      // sso:GetRoleCredentials
      const roleName = q.get('role_name');
      if (!roleName) return sendPortalError(ctx, 'InvalidRequestException', 'role_name is required');
      if (!store.assignments.isAssigned(instance, userName, accountId, roleName)) return sendPortalError(ctx, 'ForbiddenException', 'No access');
      const role = store.assignments.provisionedRole(instance, accountId, roleName);
      const rec = ctx.state.issue(
        {
          kind: 'assumed-role',
          accountId,
          arn: role.assumedRoleArn(userName),
          roleArn: role.roleArn,
          userId: `${ctx.state.uniqueIdFor(role.roleArn, 'AROA')}:${userName}`,
          mfaAuthenticated: false,
          roleChained: false,
          issuedBy: 'sso:GetRoleCredentials',
        },
        instance.roleCredentialSeconds,
      );
      sendJson(ctx, 200, {
        roleCredentials: {
          accessKeyId: rec.accessKeyId,
          secretAccessKey: rec.secretAccessKey,
          sessionToken: rec.sessionToken,
          expiration: rec.expiration?.getTime(),
        },
      });
    },
    sendThrottled(ctx) {
      sendPortalError(ctx, 'TooManyRequestsException', 'Too many requests');
    },
    sendServerError(ctx, status) {
      if (status === 500) return sendPortalError(ctx, 'InternalFailure', 'An internal error occurred.');
      sendPortalError(ctx, 'ServiceUnavailable', 'Service Unavailable');
    },
  };
}
