// CreateOAuth2Token (signin 2023-01-01, rest-json, unsigned): POST {base}/v1/token with the
// tokenInput as the body and a DPoP proof, as the AWS CLI and the SDK's login provider send it.
// AWS's refusals become messages that say what to do; an endpoint that cannot answer is an
// AwsCallError the broker's outage rule recognises (HTTP status kept as the SDK keeps it).
import { z } from 'zod';
import { oneLine } from '../../../src-shared/untrusted-text';
import { CALL_BUDGET_MS } from '../aws/client-config';
import { AwsCallError } from '../aws/errors';
import { dpopProof } from './dpop';

export const OPERATION = 'signin:CreateOAuth2Token';
const MAX_ANSWER_BYTES = 256 * 1024;

export type TokenInput =
  | { clientId: string; grantType: 'authorization_code'; code: string; codeVerifier: string; redirectUri: string }
  | { clientId: string; grantType: 'refresh_token'; refreshToken: string };

const TokenOutput = z.object({
  accessToken: z.object({ accessKeyId: z.string().min(16), secretAccessKey: z.string().min(1), sessionToken: z.string().min(1) }),
  tokenType: z.string(),
  expiresIn: z.number().int().positive(),
  refreshToken: z.string().min(1),
  idToken: z.string().optional(),
});
export type TokenOutput = z.infer<typeof TokenOutput>;

export interface TokenCall {
  /** The sign-in base URL (signinBaseUrl). */
  baseUrl: string;
  /** SEC1 PEM of the DPoP key. */
  dpopKey: string;
  /** Epoch ms by which the call must be done. */
  deadline?: number;
  /** The Rolecall name of the sign-in, for the messages' "what to do". */
  name: string;
  /** A proof made elsewhere (tests replay one); normally a fresh one is made per call. */
  proof?: string;
}

const SIGN_IN_AGAIN = (name: string) => `run: rolecall login aws ${name}`;

/** One CreateOAuth2Token call; throws AwsCallError with a message that says what to do. */
export async function createOAuth2Token(call: TokenCall, input: TokenInput): Promise<TokenOutput> {
  const url = `${call.baseUrl.replace(/\/+$/, '')}/v1/token`;
  // The whole budget, not one attempt's share: a refresh AWS completed but whose answer was cut
  // off has spent the refresh token, and the sign-in with it.
  const timeoutMs = Math.max(1, (call.deadline ?? Date.now() + CALL_BUDGET_MS) - Date.now());
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', DPoP: call.proof ?? dpopProof(call.dpopKey, 'POST', url) },
      body: JSON.stringify(input),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') {
      throw new AwsCallError(`the AWS sign-in endpoint at ${oneLine(call.baseUrl, 120)} did not answer within ${Math.round(timeoutMs / 1000)} s`, 'timeout', 'TimeoutError', OPERATION, 'try again shortly');
    }
    const code = e.cause?.code ?? 'NetworkingError';
    throw new AwsCallError(`the AWS sign-in endpoint at ${oneLine(call.baseUrl, 120)} cannot be reached (${oneLine(code, 32)})`, 'aws-error', code, OPERATION, 'check the network or AWS_ENDPOINT_URL_SIGNIN', { cause: err });
  }
  const raw = Buffer.from(await res.arrayBuffer());
  const json = raw.length <= MAX_ANSWER_BYTES ? parseJson(raw) : undefined;
  // As the SDK keeps it: the broker reads the status to tell an outage from a refusal.
  const meta = { $metadata: { httpStatusCode: res.status } };
  if (res.status === 200) {
    const out = TokenOutput.safeParse(json);
    if (out.success) return out.data;
    // Never quoted: the body may hold credentials just issued.
    throw new AwsCallError(`the AWS sign-in endpoint sent a CreateOAuth2Token answer Rolecall could not read`, 'aws-error', 'UnreadableAnswer', OPERATION, undefined, { cause: meta });
  }
  const body = (typeof json === 'object' && json !== null ? json : {}) as { error?: unknown; message?: unknown };
  const type = oneLine((res.headers.get('x-amzn-errortype') ?? '').split(':')[0] || `HTTP${res.status}`, 64);
  const error = typeof body.error === 'string' ? oneLine(body.error, 64) : '';
  const message = typeof body.message === 'string' ? oneLine(body.message.replace(/\s+/g, ' '), 200) : '';
  throw refusal(call.name, res.status, type, error, message, meta);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

function refusal(name: string, status: number, type: string, error: string, message: string, cause: unknown): AwsCallError {
  const fail = (text: string, code: ConstructorParameters<typeof AwsCallError>[1], hint?: string) =>
    new AwsCallError(text, code, type, OPERATION, hint, { cause });
  if (type === 'AccessDeniedException') {
    if (error === 'TOKEN_EXPIRED') return fail(`'${name}': the AWS sign-in ended (a sign-in lasts up to 12 hours): sign in again`, 'sign-in-required', SIGN_IN_AGAIN(name));
    if (error === 'AUTHCODE_EXPIRED') return fail(`'${name}': the sign-in's authorization code expired before it was used: sign in again`, 'sign-in-required', SIGN_IN_AGAIN(name));
    if (error === 'USER_CREDENTIALS_CHANGED') return fail(`'${name}': your password changed since this sign-in: sign in again`, 'sign-in-required', SIGN_IN_AGAIN(name));
    if (error === 'INSUFFICIENT_PERMISSIONS') {
      return fail(`'${name}': your user lacks SignInLocalDevelopmentAccess (signin:CreateOAuth2Token)`, 'access-denied', `ask an administrator to attach the SignInLocalDevelopmentAccess policy, then run: rolecall login aws ${name}`);
    }
  }
  if (type === 'ValidationException' && error === 'invalid_grant') {
    return fail(
      `'${name}': AWS sign-in no longer accepts this sign-in's refresh token (${message || 'invalid_grant'}): sign in again`,
      'sign-in-required',
      `${SIGN_IN_AGAIN(name)} (a refresh token is good once: another tool sharing the sign-in may have used it)`,
    );
  }
  if (type === 'TooManyRequestsError' || status >= 500) {
    return fail(`the AWS sign-in endpoint is failing (HTTP ${status} ${type}${error ? ` ${error}` : ''} from ${OPERATION})`, 'aws-error', 'try again shortly');
  }
  return fail(`'${name}': AWS sign-in refused ${OPERATION} (${type}${error ? ` ${error}` : ''}${message ? `: ${message}` : ''})`, status === 403 ? 'access-denied' : 'aws-error');
}
