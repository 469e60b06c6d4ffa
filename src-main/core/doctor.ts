// `rolecall doctor`: walk a profile's chain hop by hop and say, for each, who it is, what
// duration was asked and granted, and for the hop that fails the likely cause in plain words.
import type { Profile } from '../../src-shared/profile';
import type { Broker } from './broker/broker';
import type { CredentialRequest } from './broker/types';
import { AwsCallError, NETWORK_HINT } from './aws/errors';
import { getCallerIdentity } from './aws/sts';
import { describeError, RolecallError } from './errors';

export interface DoctorHop {
  profile: string;
  kind: Profile['kind'];
  roleArn?: string;
  ok: boolean;
  /** GetCallerIdentity's Arn for the credentials this hop holds. */
  identity?: string;
  durationAsked?: number;
  durationRequested?: number;
  /** Seconds the credentials had left when checked. */
  secondsLeft?: number;
  error?: string;
  likelyCause?: string;
}

export interface DoctorReport {
  profile: string;
  ok: boolean;
  hops: DoctorHop[];
}

export async function diagnose(broker: Broker, profile: string, request: Pick<CredentialRequest, 'mfaCode' | 'awsSettings'> = {}): Promise<DoctorReport> {
  const trace = await broker.trace(profile, { ...request, forceRefresh: true });
  const hops: DoctorHop[] = [];
  for (const step of trace) {
    const p = step.profile;
    const hop: DoctorHop = { profile: p.name, kind: p.kind, roleArn: 'roleArn' in p ? p.roleArn : undefined, ok: !step.error };
    if (step.result) {
      hop.durationAsked = step.result.durationAsked;
      hop.durationRequested = step.result.durationRequested;
      if (step.result.expiration) hop.secondsLeft = Math.round((step.result.expiration.getTime() - Date.now()) / 1000);
      try {
        // Where the broker sent this hop's calls (region and the caller's settings), so the check asks the same STS.
        hop.identity = (await getCallerIdentity(step.sts, step.result)).Arn;
      } catch (err) {
        hop.ok = false;
        hop.error = describeError(err);
        hop.likelyCause = unreachable(err) ?? 'the credentials were issued but STS does not accept them (deleted key, or a clock far off)';
      }
    } else {
      hop.error = describeError(step.error);
      hop.likelyCause = likelyCause(p, step.error, hops[hops.length - 1]);
    }
    hops.push(hop);
  }
  if (trace.length === 0) {
    hops.push({ profile, kind: 'assume-role', ok: false, error: `profile '${profile}' does not exist`, likelyCause: 'check the name with rolecall list' });
  }
  return { profile, ok: hops.every((h) => h.ok), hops };
}

/** Said when AWS was never reached, so nothing is known about the credentials or the trust policy. */
function unreachable(err: unknown): string | undefined {
  if (!(err instanceof AwsCallError)) return undefined;
  if (err.code === 'timeout') return 'the endpoint did not answer in time (network, or the AWS_ENDPOINT_URL settings); nothing is known about the credentials yet';
  if (err.hint === NETWORK_HINT) return 'the endpoint is unreachable (network, or the AWS_ENDPOINT_URL settings); nothing is known about the credentials yet';
  return undefined;
}

function likelyCause(p: Profile, err: unknown, parent: DoctorHop | undefined): string {
  const away = unreachable(err);
  if (away) return away;
  if (err instanceof RolecallError && !(err instanceof AwsCallError)) {
    if (err.code === 'sign-in-required') return 'the sign-in behind this profile ended; sign in again';
    if (err.code === 'mfa-required') return 'this hop needs an MFA code; pass --mfa-code';
    return err.hint ?? 'see the message';
  }
  if (!(err instanceof AwsCallError)) return 'an unexpected failure; see the message';
  const caller = parent?.identity ?? 'the caller';
  const msg = err.message;
  switch (err.awsCode) {
    case 'AccessDenied': {
      if (/MultiFactorAuthentication/i.test(msg)) return 'the MFA code was wrong or already used; wait for the next code';
      const hints = [`the role's trust policy does not let ${caller} assume it`];
      if (p.kind === 'assume-role' && !p.externalId) hints.push('or it requires an ExternalId (sts:ExternalId) this profile does not send');
      if (p.kind === 'assume-role' && !p.mfaSerial) hints.push('or it requires MFA (aws:MultiFactorAuthPresent) and this profile has no mfa serial');
      if (p.kind === 'assume-role' && p.externalId) hints.push('or the ExternalId this profile sends is not the one the trust policy expects');
      return hints.join(', ');
    }
    case 'ValidationError':
      if (/MaxSessionDuration/.test(msg)) return 'the duration asked for is longer than the role\'s MaxSessionDuration; ask for less or raise the role\'s maximum';
      if (/role chaining/.test(msg)) return 'role chaining is capped at 1 hour; ask for 3600 seconds or less';
      return 'a parameter was refused by STS; see the message';
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return 'the source credentials expired; refresh or sign in again to the source';
    case 'InvalidClientTokenId':
      return 'the access key is unknown to AWS (deleted or mistyped)';
    case 'SignatureDoesNotMatch':
      return 'the secret access key does not match the access key id';
    case 'RegionDisabledException':
      return 'STS is not enabled in this region for the account; use another region';
    default:
      return 'see the message';
  }
}
