// A profile's console sign-in URL: which partition and region, where to land, which credentials
// (the broker's role session, or GetFederationToken for an IAM user), whether SessionDuration may
// be asked for, then getSigninToken and the login URL. Every check that needs no AWS call (the
// profile, the region, the destination, the duration) happens before the first one.
import type { Credentials, IamUserProfile, Profile } from '../../../src-shared/profile';
import { regionOf } from '../chain';
import { defaultRegion } from '../aws/endpoints';
import { RolecallError } from '../errors';
import { destinationUrl } from './destinations';
import { federationEndpoint, getSigninToken, loginUrl, signOutFirst } from './federation';
import { federationTokenFor } from './federation-token';
import { consolePartition, type ConsolePartition } from './partitions';
import { consoleDuration, consoleSourceOf, sessionDurationParam } from './session-rules';

export interface ConsoleDeps {
  /** The caller's AWS settings: endpoints (AWS_ENDPOINT_URL_SIGNIN, _STS) and the default region. */
  env: NodeJS.ProcessEnv;
  profiles: readonly Profile[];
  /** A role profile's credentials, from the broker (the agent's or this process's). */
  roleCredentials(profile: string): Promise<Credentials>;
  /** An IAM user profile's long-term keys, from the keychain. */
  iamUserKeys(user: IamUserProfile): Promise<Credentials>;
  notice(message: string): void;
  fetch?: typeof fetch;
  /** GetFederationToken (tests replace it); default: STS through the AWS SDK. */
  federationToken?: typeof federationTokenFor;
}

export interface ConsoleRequest {
  profile: string;
  region?: string;
  /** A service from CONSOLE_SERVICES, a console URL of the partition, or undefined for the home page. */
  destination?: string;
  /** Console session length (default 12 hours). */
  durationSeconds?: number;
  signOutFirst?: boolean;
}

export interface ConsoleLogin {
  /** Holds a live SigninToken: for the browser (or stdout) only. */
  url: string;
  partition: ConsolePartition;
  destination: string;
  /** SessionDuration sent to getSigninToken; undefined where AWS refuses it. */
  sessionDuration?: number;
}

export async function consoleLogin(deps: ConsoleDeps, req: ConsoleRequest): Promise<ConsoleLogin> {
  const source = consoleSourceOf(deps.profiles, req.profile);
  const region = req.region ?? regionOf(deps.profiles, req.profile) ?? defaultRegion(deps.env);
  const partition = consolePartition(region);
  checkPartition(source.kind === 'role' ? source.profile : source.user, partition);
  const destination = destinationUrl(partition, req.destination);
  const seconds = consoleDuration(req.durationSeconds);

  let credentials: Credentials;
  if (source.kind === 'federation-token') {
    const { user } = source;
    if (user.mfaSerial) {
      deps.notice(
        `profile '${user.name}': the console session comes from GetFederationToken, which carries no MFA context (AWS's rule): ` +
          'permissions that require MFA (aws:MultiFactorAuthPresent) are missing in it',
      );
    }
    const keys = await deps.iamUserKeys(user);
    const stsRegion = regionOf(deps.profiles, user.name) ?? defaultRegion(deps.env);
    credentials = await (deps.federationToken ?? federationTokenFor)({ region: stsRegion, env: deps.env }, keys, seconds);
  } else {
    credentials = await deps.roleCredentials(req.profile);
  }
  const sessionDuration = sessionDurationParam(source, seconds);
  if (source.kind === 'role' && source.chained && req.durationSeconds !== undefined) {
    deps.notice(`profile '${req.profile}': its credentials are role chaining, with which AWS takes no console session length; the session lasts as long as they do`);
  }
  const endpoint = federationEndpoint(partition, deps.env);
  const token = await getSigninToken({ endpoint, credentials, sessionDuration, fetch: deps.fetch });
  const login = loginUrl(endpoint, token, destination);
  return { url: req.signOutFirst ? signOutFirst(partition, deps.env, login) : login, partition, destination, sessionDuration };
}

/** A role or MFA ARN names its partition: signing it in to another partition's console cannot work. */
export function checkPartition(profile: Profile, p: ConsolePartition): void {
  const arn = 'roleArn' in profile ? profile.roleArn : 'mfaSerial' in profile ? profile.mfaSerial : undefined;
  const named = arn && /^arn:([\w-]+):/.exec(arn)?.[1];
  if (named && named !== p.name) {
    throw new RolecallError(`profile '${profile.name}' is in the ${named} partition, but ${p.region} is in ${p.name}; give a region of ${named}`, 'invalid-input');
  }
}
