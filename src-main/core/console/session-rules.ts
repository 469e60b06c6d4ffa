// What AWS's federation endpoint accepts for each kind of profile, and so how Rolecall signs it
// in (AWS IAM User Guide, "Enable custom identity broker access to the AWS console"):
// - getSigninToken takes only AssumeRole* (Identity Center role credentials included) and
//   GetFederationToken credentials; IAM user keys and GetSessionToken sessions are refused. An
//   IAM user profile is therefore signed in through GetFederationToken, from its long-term keys.
// - SessionDuration (900-43200 s) may be asked for with role credentials, but not with role-chained
//   ones (refused, HTTP 400) and not with GetFederationToken ones (documented to fail); there
//   the console session lasts as long as the credentials, so GetFederationToken's
//   DurationSeconds is the console duration.
// A role assumed from role or GetSessionToken credentials (an MFA IAM user's session) is role
// chaining, exactly as the broker's assume-role step decides it (providers/assume-role.ts).
import type { IamUserProfile, Profile } from '../../../src-shared/profile';
import { chainOf } from '../chain';
import { RolecallError } from '../errors';

/** AWS's console session limits (SessionDuration), and the default Rolecall asks for. */
export const CONSOLE_SESSION = { min: 900, max: 43200, default: 43200 } as const;

export type ConsoleSource =
  /** An IAM user: GetFederationToken from its long-term keys first. */
  | { kind: 'federation-token'; user: IamUserProfile }
  /** Role credentials from the broker; `chained` when AWS counts them as role chaining. */
  | { kind: 'role'; profile: Profile; chained: boolean };

/** How a profile is signed in to the console; refuses a missing profile or a broken chain. */
export function consoleSourceOf(profiles: readonly Profile[], name: string): ConsoleSource {
  const { hops, problem } = chainOf(profiles, name);
  if (problem?.kind === 'missing') {
    const what = problem.dependent ? `profile '${problem.dependent}' names a source profile '${problem.name}' that does not exist` : `profile '${problem.name}' does not exist`;
    throw new RolecallError(what, 'not-found', 'run: rolecall list');
  }
  if (problem) throw new RolecallError(`profile '${name}': its source profiles form a loop (${problem.path.join(' -> ')})`, 'invalid-input');
  const profile = hops.at(-1)!.profile;
  if (profile.kind === 'iam-user') return { kind: 'federation-token', user: profile };
  const parent = hops.at(-2)?.profile;
  // Only long-term IAM user keys make an assumed role a first hop; any session makes it chaining.
  const chained = profile.kind === 'assume-role' && !(parent?.kind === 'iam-user' && !parent.mfaSerial);
  return { kind: 'role', profile, chained };
}

/** The console session length asked for: the given one, else 12 hours; refused outside AWS's 900-43200. */
export function consoleDuration(seconds: number | undefined): number {
  const s = seconds ?? CONSOLE_SESSION.default;
  if (!Number.isInteger(s) || s < CONSOLE_SESSION.min || s > CONSOLE_SESSION.max) {
    throw new RolecallError(`--duration: a console session lasts ${CONSOLE_SESSION.min} to ${CONSOLE_SESSION.max} seconds (15 minutes to 12 hours)`, 'invalid-input');
  }
  return s;
}

/** The SessionDuration to send to getSigninToken, or undefined where AWS refuses it. */
export function sessionDurationParam(source: ConsoleSource, seconds: number): number | undefined {
  return source.kind === 'role' && !source.chained ? seconds : undefined;
}
