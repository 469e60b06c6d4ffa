// The bad-input corpus's shared parts: planted secrets, generators of hostile text, the check
// that an error is fit for a person (a RolecallError, one line, no stack, no secret), and a tally
// of how many inputs each property tried (printed when a file ends, for docs/RELIABILITY.md).
import fc from 'fast-check';
import { afterAll, expect } from 'vitest';
import { isRolecallError } from '../../src-main/core/errors';

/** Values that look like what Rolecall must never print: a secret key, a session token, a refresh token. */
export const SECRETS = [
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY',
  'FQoGZXIvYXdzEPLANTEDSESSIONTOKENxyzzy0123456789',
  'Atzr|PLANTED-REFRESH-TOKEN-7f3e9a',
] as const;
export const SECRET = SECRETS[0];

/** Any planted secret in text, or undefined. */
export const leakedSecret = (text: string) => SECRETS.find((s) => text.includes(s));

const tally = new Map<string, number>();

/** Counts one input tried by the property `name`. */
export function count(name: string): void {
  tally.set(name, (tally.get(name) ?? 0) + 1);
}

// Registered as the test file imports this module: the file's figures, printed once it ends.
afterAll(() => {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const lines = [...tally].map(([n, k]) => `  ${String(k).padStart(6)}  ${n}`);
  console.log(`bad-input corpus: ${total} inputs\n${lines.join('\n')}`);
});

/** The tally so far (a test file may assert it tried what it meant to). */
export const tried = (name: string) => tally.get(name) ?? 0;

/**
 * What a person may be shown: a RolecallError (by class or, across bundles, by name) whose
 * message and hint are each one line, carry no stack frame, no planted secret, and stay short.
 */
export interface CleanOptions {
  maxLength?: number;
  /**
   * Checks the message as the CLI prints it (printError folds line breaks), for a message passed
   * on as it came (an agent's error answer carries the broker's own text).
   */
  folded?: boolean;
}

export function expectCleanError(e: unknown, { maxLength = 2000, folded = false }: CleanOptions = {}): void {
  const ok = isRolecallError(e) || (e instanceof Error && e.name === 'RolecallError');
  if (!ok) throw new Error(`expected a RolecallError, got ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : JSON.stringify(e)}`);
  const { message, hint } = e as Error & { hint?: string };
  for (const raw of [message, hint ?? '']) {
    // Exactly printError's fold (src-main/cli/output.ts).
    const text = folded ? raw.replace(/\s*\r?\n\s*/g, ' ') : raw;
    expect(text, 'one line').not.toMatch(/[\r\n]/);
    expect(text, 'no stack frame').not.toMatch(/\n\s+at |^\s*at .+:\d+:\d+/);
    expect(leakedSecret(text), `no secret in ${JSON.stringify(text.slice(0, 200))}`).toBeUndefined();
  }
  expect(message.length + (hint?.length ?? 0), 'a short message').toBeLessThanOrEqual(maxLength);
}

/** Runs fn; a throw must be a clean error. Returns the value, or undefined after a clean throw. */
export async function cleanOutcome<T>(fn: () => T | Promise<T>, options?: CleanOptions): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await fn() };
  } catch (e) {
    expectCleanError(e, options);
    return { error: e };
  }
}

export function cleanOutcomeSync<T>(fn: () => T, options?: CleanOptions): { value?: T; error?: unknown } {
  try {
    return { value: fn() };
  } catch (e) {
    expectCleanError(e, options);
    return { error: e };
  }
}

// ---- generators -------------------------------------------------------------------------------

const BEGIN = '# BEGIN ROLECALL';
const END = '# END ROLECALL';

/** Fragments of AWS config files, good and broken, that together make hostile files. */
const iniLine = fc.oneof(
  fc.constantFrom(
    '[default]', '[profile dev]', '[profile dev', '[]', '[ ]', '[__proto__]', '[profile __proto__]', '[profile constructor]',
    '[sso-session acme]', '[services s3]', '[profile a b]', '[profile "q"]', '[profile x]]', '[[profile y]',
    'region = eu-west-1', 'region=', '=value', 'region', '  nested = 1', 's3 =', '   max_concurrent_requests = 20',
    'role_arn = arn:aws:iam::123456789012:role/Admin', 'role_arn = not-an-arn', 'source_profile = dev', 'source_profile = default',
    'sso_session = acme', 'sso_start_url = https://acme.awsapps.com/start', 'sso_start_url = ::::', 'sso_region = eu-west-1',
    'sso_account_id = 123456789012', 'sso_account_id = 12', 'sso_role_name = Admin', 'duration_seconds = 99999999999999999999',
    'duration_seconds = -1', 'web_identity_token_file = /nonexistent', 'credential_process = /bin/false', 'credential_source = Ec2InstanceMetadata',
    `aws_access_key_id = AKIAIOSFODNN7EXAMPLE`, `aws_secret_access_key = ${SECRETS[0]}`, `aws_session_token = ${SECRETS[1]}`,
    `aws_secret_access_key ${SECRETS[0]}`, `[${SECRETS[0]}`, `${SECRETS[1]}`,
    BEGIN, END, `  ${BEGIN}  `, `${END}\t`, '# comment', '; comment', 'x = a ; not a comment', '\uFEFF[default]', '\u0000', 'é = ü',
    'mfa_serial = arn:aws:iam::123456789012:mfa/alice', 'external_id = x', 'role_session_name = a b', 'source_identity = aws:x',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const eol = fc.constantFrom('\n', '\r\n', '\r', '');

/** A whole hostile AWS config text: lines of the above joined with mixed line ends. */
export const hostileIni = fc
  .array(fc.tuple(iniLine, eol), { maxLength: 30 })
  .map((parts) => parts.map(([l, e]) => l + (e || '\n')).join(''));

/** A config text whose only flaw may be a broken marker, so the managed block code is reached. */
export const iniAroundMarkers = fc
  .tuple(hostileIni, fc.array(fc.constantFrom(BEGIN, END, `  ${BEGIN}`, `${END}  `), { maxLength: 4 }), hostileIni, fc.boolean())
  .map(([a, markers, b, crlf]) => {
    const text = [a, ...markers.map((m) => m + '\n'), b].join('');
    return crlf ? text.replace(/\r?\n/g, '\r\n') : text;
  });

/** JSON-ish text: valid JSON of any shape, JSON cut short, JSON with a planted secret, noise. */
export function hostileJson(shaped: fc.Arbitrary<unknown> = fc.anything(), { plant = true } = {}): fc.Arbitrary<string> {
  const json = fc.oneof(shaped, fc.jsonValue()).map((v) => JSON.stringify(v) ?? 'undefined');
  const planted = fc.tuple(json, fc.nat(), fc.constantFrom(...SECRETS)).map(([t, n, s]) => {
    const at = n % (t.length + 1);
    return t.slice(0, at) + s + t.slice(at);
  });
  return fc.oneof(
    json,
    fc.tuple(json, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
    plant ? planted : json,
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', '\u0000', '{', '[', '"', 'null', 'true', '1e400', '{"__proto__":{"x":1}}', '[[[[[[[[[[[[[[[[[[[[', '\uFEFF{}'),
    fc.nat({ max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  );
}

/** Strings around an allowed alphabet: near-misses of a pattern, unicode look-alikes, control characters. */
export const nearMissName = fc.oneof(
  fc.string({ maxLength: 140 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // eslint-disable-next-line no-control-regex -- control characters are among the near misses
  fc.stringMatching(/^[A-Za-z0-9_.+@/\- #;$`"'[\]\\\n\r\t\u0000]{0,130}$/),
  fc.constantFrom('', 'default', '-x', '.x', 'a'.repeat(128), 'a'.repeat(129), 'dev\n[profile evil]', 'a b', 'а', 'x\u200by', '__proto__', 'constructor'),
);

/** Near-valid state.json values: the right top-level keys with hostile profiles, sessions and settings (and planted secrets). */
export const stateLike = fc.record(
  {
    version: fc.oneof(fc.constant(1), fc.anything()),
    profiles: fc.oneof(
      fc.array(
        fc.record(
          {
            name: fc.oneof(fc.constant('dev'), nearMissName),
            kind: fc.constantFrom('iam-user', 'assume-role', 'sso-role', 'web-identity', 'static', '__proto__'),
            accessKeyId: fc.oneof(fc.constant('AKIAIOSFODNN7EXAMPLE'), fc.constant(SECRET), fc.string()),
            secretAccessKey: fc.constant(SECRET),
            sourceProfile: nearMissName,
            roleArn: fc.oneof(fc.constant('arn:aws:iam::123456789012:role/R'), fc.string()),
            durationSeconds: fc.oneof(fc.integer(), fc.double(), fc.string()),
            ssoSession: nearMissName,
            accountId: fc.oneof(fc.constant('123456789012'), fc.string()),
            roleName: fc.string(),
          },
          { requiredKeys: ['name', 'kind'] },
        ),
        { maxLength: 4 },
      ),
      fc.anything(),
    ),
    ssoSessions: fc.oneof(fc.array(fc.record({ name: nearMissName, startUrl: fc.oneof(fc.webUrl(), fc.string()), region: fc.string() }), { maxLength: 3 }), fc.anything()),
    settings: fc.oneof(fc.record({ refreshAheadSeconds: fc.anything(), autostartAgent: fc.anything(), defaultProfile: nearMissName }, { requiredKeys: [] }), fc.anything()),
  },
  { requiredKeys: [] },
);
