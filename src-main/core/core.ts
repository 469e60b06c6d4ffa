// The core's composition root: every face (app, CLI, agent, web bridge) builds its core here,
// with its own prompts and notice sinks. No global singletons.
import { resolvePaths, ensureDataDir, type RolecallPaths } from './paths';
import { StateStore } from './files/state-store';
import { KeyringSecretStore } from './secrets/keyring-store';
import type { SecretStore } from './secrets/secret-store';
import { Broker, type MfaPrompt } from './broker/broker';
import type { SessionInfo } from './broker/types';
import { diagnose, type DoctorReport } from './doctor';
import { profileNotFound } from './profiles';
import { SsoManager, type SsoManagerOptions } from './sso/manager';
import { OidcManager, type OidcManagerOptions } from './oidc/manager';

export interface CoreOptions {
  env?: NodeJS.ProcessEnv;
  promptMfa?: MfaPrompt;
  onNotice?: (message: string) => void;
  onSession?: (profile: string, session: SessionInfo) => void;
  /** How Identity Center sign-ins reach the person (print, open a browser). */
  ssoIo?: SsoManagerOptions['io'];
  /** Sign in when a profile needs an Identity Center token and there is none (interactive faces); otherwise say "sign in again". */
  ssoSignInOnDemand?: SsoManagerOptions['signInOnDemand'];
  /** How OIDC sign-ins reach the person (print, open a browser). */
  oidcIo?: OidcManagerOptions['io'];
  /** Where a logout or a pruning sync ends sessions: this core's broker by default; a face with a running agent ends them there too. */
  forgetProfile?: (profile: string) => Promise<void>;
}

export interface Core {
  paths: RolecallPaths;
  state: StateStore;
  secrets: SecretStore;
  broker: Broker;
  sso: SsoManager;
  oidc: OidcManager;
  doctor(profile: string, request?: { mfaCode?: string }): Promise<DoctorReport>;
}

export async function createCore(opts: CoreOptions = {}): Promise<Core> {
  const env = opts.env ?? process.env;
  const paths = resolvePaths(env);
  await ensureDataDir(paths);
  const state = new StateStore(paths);
  const secrets = new KeyringSecretStore(paths.keychainService);
  const sso: SsoManager = new SsoManager({
    paths,
    state,
    secrets,
    env,
    io: opts.ssoIo,
    signInOnDemand: opts.ssoSignInOnDemand ?? false,
    // Logging out or pruning a role ends the sessions built on it.
    forgetProfile: opts.forgetProfile ?? ((profile) => broker.forget(profile)),
  });
  const oidc = new OidcManager({ paths, state, secrets, env, io: opts.oidcIo ?? opts.ssoIo });
  const broker: Broker = new Broker({ paths, state, secrets, sso, oidc, env, promptMfa: opts.promptMfa, onNotice: opts.onNotice, onSession: opts.onSession });
  return {
    paths,
    state,
    secrets,
    broker,
    sso,
    oidc,
    doctor: async (profile, request) => {
      // A name that is no profile is said as such (with the likely meant one), not as a failing hop.
      const { profiles } = await state.load();
      if (!profiles.some((p) => p.name === profile)) throw profileNotFound(profile, profiles);
      return diagnose(broker, profile, request);
    },
  };
}
