// The identity provider's HTTP endpoints (discovery, device authorization, token): JSON answers
// read through a size cap and a deadline, OAuth 2.0 errors ({error, error_description}) as OAuthError.
import { oneLine } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../errors';

/** A discovery document or token answer is a few KB; more is not an IdP talking. */
const MAX_ANSWER_BYTES = 256 * 1024;
export const IDP_DEADLINE_MS = 15_000;

/** An OAuth 2.0 error answer (RFC 6749 5.2, RFC 8628 3.5). */
export class OAuthError extends RolecallError {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    what: string,
  ) {
    super(`${what} refused: ${oneLine(error, 64)}${description ? ` (${oneLine(description, 160)})` : ''}`, error === 'access_denied' ? 'access-denied' : 'aws-error');
  }
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

async function readJson(res: Response, what: string): Promise<unknown> {
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.length;
    if (size > MAX_ANSWER_BYTES) {
      await reader?.cancel();
      throw new RolecallError(`${what}: the identity provider's answer is larger than ${MAX_ANSWER_BYTES} bytes`, 'aws-error');
    }
    chunks.push(next.value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new RolecallError(`${what}: the identity provider answered HTTP ${res.status} with something that is not JSON`, 'aws-error');
  }
}

async function call(url: string, init: RequestInit, what: string): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(IDP_DEADLINE_MS) });
  } catch (err) {
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${IDP_DEADLINE_MS / 1000} s` : 'cannot be reached';
    throw new RolecallError(`${what}: the identity provider at ${oneLine(hostOf(url), 120)} ${why}`, 'aws-error', undefined, { cause: err });
  }
  return { status: res.status, json: await readJson(res, what) };
}

export async function getJson(url: string, what: string): Promise<unknown> {
  const { status, json } = await call(url, { headers: { accept: 'application/json' } }, what);
  if (status !== 200) throw new RolecallError(`${what}: the identity provider answered HTTP ${status}`, 'aws-error');
  return json;
}

/** A form POST (RFC 6749's token and device endpoints); a 4xx with an OAuth error body throws OAuthError. */
export async function postForm(url: string, form: Record<string, string>, what: string): Promise<unknown> {
  const { status, json } = await call(
    url,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(form).toString() },
    what,
  );
  if (status >= 200 && status < 300) return json;
  const e = json as { error?: unknown; error_description?: unknown } | null;
  if (e && typeof e.error === 'string') throw new OAuthError(e.error, typeof e.error_description === 'string' ? e.error_description : undefined, what);
  throw new RolecallError(`${what}: the identity provider answered HTTP ${status}`, 'aws-error');
}
