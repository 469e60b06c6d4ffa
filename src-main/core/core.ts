// The core's composition root: every face (app, CLI, agent, web bridge) builds its core here,
// with its own prompts and notice sinks. No global singletons.
import { resolvePaths, ensureDataDir, type RolecallPaths } from './paths';
import { StateStore } from './files/state-store';
import { KeyringSecretStore } from './secrets/keyring-store';
import type { SecretStore } from './secrets/secret-store';
import { Broker, type MfaPrompt } from './broker/broker';
import type { SessionInfo, SsoAccessTokenSource } from './broker/types';
import { diagnose, type DoctorReport } from './doctor';
import { RolecallError } from './errors';

export interface CoreOptions {
  env?: NodeJS.ProcessEnv;
  promptMfa?: MfaPrompt;
  onNotice?: (message: string) => void;
  onSession?: (profile: string, session: SessionInfo) => void;
  /** Identity Center tokens; until a sign-in exists every request says "sign in". */
  sso?: (deps: { paths: RolecallPaths; state: StateStore; secrets: SecretStore; env: NodeJS.ProcessEnv }) => SsoAccessTokenSource;
}

export interface Core {
  paths: RolecallPaths;
  state: StateStore;
  secrets: SecretStore;
  broker: Broker;
  sso: SsoAccessTokenSource;
  doctor(profile: string, request?: { mfaCode?: string }): Promise<DoctorReport>;
}

const noSso: SsoAccessTokenSource = {
  accessToken: (name) => Promise.reject(new RolecallError(`Identity Center instance '${name}' is not signed in`, 'sign-in-required', `run: rolecall login sso ${name}`)),
};

export async function createCore(opts: CoreOptions = {}): Promise<Core> {
  const env = opts.env ?? process.env;
  const paths = resolvePaths(env);
  await ensureDataDir(paths);
  const state = new StateStore(paths);
  const secrets = new KeyringSecretStore(paths.keychainService);
  const sso = opts.sso ? opts.sso({ paths, state, secrets, env }) : noSso;
  const broker = new Broker({ paths, state, secrets, sso, env, promptMfa: opts.promptMfa, onNotice: opts.onNotice, onSession: opts.onSession });
  return {
    paths,
    state,
    secrets,
    broker,
    sso,
    doctor: (profile, request) => diagnose(broker, profile, env, request),
  };
}
