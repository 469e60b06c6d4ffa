// One HTTP server on 127.0.0.1 that imitates every AWS endpoint Rolecall talks to.
// Each service decides whether a request is its own; the server applies the knobs
// (latency, rate limits, faults) uniformly before the service answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { KnobState, type KnobsInput } from './knobs';
import { parseOrganization, type Organization, type OrganizationInput } from './org';
import { send, type RequestContext, type Service } from './service';
import { SandboxState, newRequestId } from './state';
import { createStsService } from './sts';
import { createSigninService } from './signin';
import { createSigninOAuthService } from './signin-oauth';
import { createSsoOidcService } from './sso-oidc';
import { createPortalService } from './portal';
import { createSamlIdpService } from './saml-idp';
import { createOidcIdpService, withSandboxHost } from './oidc-idp';

export interface SandboxOptions {
  org: Organization | OrganizationInput;
  /** 0 (default) picks a free port. */
  port?: number;
  knobs?: KnobsInput;
}

export interface Sandbox {
  url: string;
  port: number;
  state: SandboxState;
  knobs: KnobState;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** How long the rest of an over-long body is read and dropped after the 413, at most. */
const TOO_LARGE_GRACE_MS = 5000;

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  // Checked before listening; built again with the sandbox's host:port once it is known (the OIDC IdP's issuer is on it).
  parseOrganization(withSandboxHost(opts.org, '127.0.0.1:0'));
  // Filled in once the port is known, before any request is read.
  const live = {} as { state: SandboxState; services: Service[] };
  const knobs = new KnobState(opts.knobs);
  let baseUrl = '';

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      if (tooLarge) return; // the rest of an over-long body is read and dropped
      size += c.length;
      if (size > MAX_BODY) {
        tooLarge = true;
        chunks.length = 0;
        // Destroying the request at once would cut the 413 off before it reaches the client, and so
        // would closing while the client is still sending (the unread bytes make the close a reset,
        // and a client that reads only after sending never sees the answer). So: answer, drop the
        // rest of the body, and close once the answer is written and the body is in (or after a grace).
        // (The socket, not the request: destroying a request that has been read in full leaves its connection open.)
        const close = () => req.socket.destroy();
        res.once('finish', () => {
          if (req.complete) return close();
          req.once('end', close);
          setTimeout(close, TOO_LARGE_GRACE_MS).unref();
        });
        send(res, 413, 'Request entity too large', { 'content-type': 'text/plain' });
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const ctx: RequestContext = {
        req,
        res,
        url: new URL(req.url ?? '/', baseUrl),
        body: Buffer.concat(chunks),
        state: live.state,
        knobs,
        baseUrl,
        requestId: newRequestId(),
      };
      dispatch(ctx, live.services).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, `sandbox bug: ${String(err)}`, { 'content-type': 'text/plain' });
        console.error('sandbox: unhandled error', err);
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  // Before any request is read: this runs in the same turn as the listen callback.
  const org = parseOrganization(withSandboxHost(opts.org, `127.0.0.1:${port}`));
  const state = new SandboxState(org);
  live.state = state;
  live.services = [createStsService(), createSigninService(state), createSsoOidcService(), createPortalService(), createOidcIdpService(org.oidcIdentityProvider), createSamlIdpService(), createSigninOAuthService(state)];

  return {
    url: baseUrl,
    port,
    state,
    knobs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function dispatch(ctx: RequestContext, services: Service[]): Promise<void> {
  if (ctx.url.pathname.startsWith('/_sandbox/')) return admin(ctx);
  for (const service of services) {
    const op = service.operationOf(ctx);
    if (op === undefined) continue;
    const { fault, throttled } = ctx.knobs.admit(op);
    const latency = ctx.knobs.knobs.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (fault === 'hang') return; // never answer; the client's timeout must save it
    if (fault === 'reset') {
      ctx.req.socket.destroy();
      return;
    }
    if (fault === 'internal-error') return service.sendServerError(ctx, 500);
    if (fault === 'unavailable') return service.sendServerError(ctx, 503);
    if (throttled) return service.sendThrottled(ctx, op);
    return service.handle(ctx, op);
  }
  send(ctx.res, 404, 'Not Found', { 'content-type': 'text/plain' });
}

/** Out-of-process control for `npm run demo` and the bench: not an AWS API. */
function admin(ctx: RequestContext): void {
  const json = (status: number, v: unknown) => send(ctx.res, status, JSON.stringify(v), { 'content-type': 'application/json' });
  const path = ctx.url.pathname;
  try {
    if (path === '/_sandbox/knobs' && ctx.req.method === 'POST') {
      ctx.knobs.set(JSON.parse(ctx.body.toString('utf8') || '{}'));
      return json(200, ctx.knobs.knobs);
    }
    if (path === '/_sandbox/calls') {
      if (ctx.req.method === 'DELETE') ctx.knobs.resetCounts();
      return json(200, { calls: Object.fromEntries(ctx.knobs.calls), throttled: Object.fromEntries(ctx.knobs.throttled) });
    }
    if (path === '/_sandbox/clock' && ctx.req.method === 'POST') {
      // Checked, so that a bad body cannot leave the clock at NaN for every later call.
      const { advanceSeconds } = z.object({ advanceSeconds: z.number().finite() }).parse(JSON.parse(ctx.body.toString('utf8')));
      ctx.state.clockOffsetMs += advanceSeconds * 1000;
      return json(200, { now: ctx.state.now().toISOString() });
    }
  } catch (err) {
    return json(400, { message: String(err) });
  }
  json(404, { message: 'unknown admin path' });
}
