// IAM Identity Center for the rest of Rolecall: sign-in, sign-out, status, sync, and the access
// tokens the broker needs (SsoAccessTokenSource). One sign-in or refresh per instance at a time,
// across processes: a file lock, and a second look at the keychain once it is held.
import type { SsoSession } from '../../../src-shared/profile';
import type { SsoAccessTokenSource } from '../providers/types';
import { RolecallError } from '../errors';
import type { StateStore } from '../files/state-store';
import { lockFileFor, withFileLock } from '../lock';
import type { RolecallPaths } from '../paths';
import type { SecretStore } from '../secrets/secret-store';
import { ssoClientEntryName } from '../secrets/keychain-layout';
import { SingleFlight } from '../single-flight';
import { readAwsCliToken, removeAwsCliToken, writeAwsCliToken } from './aws-cli-cache';
import { resolveLogin, type LoginInput } from './login-input';
import { createOidcClient } from './oidc';
import { browserLikelyAvailable, systemBrowserOpener } from './open-browser';
import { createPortalClient, type PortalClient } from './portal';
import { signIn, SIGN_IN_TIMEOUT_MS, type SignInChoice, type SignInIo } from './sign-in';
import { syncInstance, type SyncOptions, type SyncResult } from './sync-instance';
import { belongsTo, expiresAtOf, isFresh, isUnexpired, refreshRecord, signInRequired, TokenStore, type TokenRecord } from './tokens';

export type SsoStatus =
  | { state: 'signed-in'; expiresAt: Date; source: 'rolecall' | 'aws-cli' }
  /** neverSignedIn: no sign-in of this instance was ever made here (Rolecall's client registration, kept across sign-outs, is missing). */
  | { state: 'sign-in-required'; neverSignedIn?: boolean }
  | { state: 'refreshing' };

export interface SsoManagerOptions {
  paths: Pick<RolecallPaths, 'locksDir' | 'awsSsoCacheDir'>;
  state: Pick<StateStore, 'load' | 'update'>;
  secrets: SecretStore;
  env?: NodeJS.ProcessEnv;
  /** How Rolecall reaches the person during a sign-in; defaults: stderr, the system browser. */
  io?: Partial<SignInIo>;
  /** When a token is needed and there is none: sign in (browser or device code) instead of failing. */
  signInOnDemand?: false | Omit<SignInChoice, 'signal'>;
  /** Ends a profile's sessions (the broker's forget), after logout or when sync prunes it. */
  forgetProfile?: (profile: string) => Promise<void>;
}

/** A sign-in on demand waiting on a person: what they must do, or undefined once it ended. */
export interface SignInProgress {
  instance: string;
  what?: string;
}

export class SsoManager implements SsoAccessTokenSource {
  private readonly signInListeners = new Set<(p: SignInProgress) => void>();
  private readonly tokens: TokenStore;
  private readonly env: NodeJS.ProcessEnv;
  private readonly io: SignInIo;
  private readonly flights = new SingleFlight<string, { accessToken: string; expiresAt: Date }>();

  constructor(private readonly o: SsoManagerOptions) {
    this.tokens = new TokenStore(o.secrets);
    this.env = o.env ?? process.env;
    this.io = {
      print: (line) => process.stderr.write(`${line}\n`),
      openBrowser: systemBrowserOpener(this.env),
      browserAvailable: () => browserLikelyAvailable(this.env),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => Date.now(),
      ...o.io,
    };
  }

  /**
   * The instance's access token: from the keychain, refreshed silently when near expiry. A
   * refresh or sign-in goes to the endpoints of `env` (the caller's AWS settings; else this
   * manager's). Callers asking at the same time share one refresh: the token is the
   * instance's, whoever's call fetched it.
   */
  accessToken(name: string, env: NodeJS.ProcessEnv = this.env): Promise<{ accessToken: string; expiresAt: Date }> {
    return this.flights.run(name, async () => {
      const session = await this.session(name);
      const now = this.io.now();
      const stored = await this.tokens.get(name);
      if (stored && belongsTo(stored, session) && isFresh(stored, now)) return this.handOut(stored);
      return this.locked(name, () => this.obtain(session, env));
    });
  }

  /** Tells a face (the agent, whose callers wait meanwhile) what a sign-in on demand asks of the person, and when it ends. */
  onSignIn(listener: (p: SignInProgress) => void): () => void {
    this.signInListeners.add(listener);
    return () => void this.signInListeners.delete(listener);
  }

  /** Signs in afresh (as `aws sso login` does), replacing any tokens the instance had; `io` overrides this manager's for this sign-in (the app's dialog). */
  async login(input: LoginInput & SignInChoice, io?: Partial<SignInIo>): Promise<{ name: string; expiresAt: Date; flow: TokenRecord['flow'] }> {
    const state = await this.o.state.load();
    const session = resolveLogin(input, state.ssoSessions);
    const record = await this.locked(session.name, async () => {
      const deps = await this.signInDeps(session, this.env);
      const r = await signIn(session, input, io ? { ...deps, io: { ...deps.io, ...io } } : deps);
      await this.tokens.set(session.name, r);
      return r;
    });
    await this.o.state.update((s) => {
      s.ssoSessions = [...s.ssoSessions.filter((x) => x.name !== session.name), session];
    });
    await this.mirrorToAwsCli(session, record);
    return { name: session.name, expiresAt: expiresAtOf(record), flow: record.flow };
  }

  /** Signs out of one instance (or all): portal logout, tokens out of the keychain, sessions ended. */
  async logout(name?: string): Promise<string[]> {
    const state = await this.o.state.load();
    const sessions = name ? [await this.session(name)] : state.ssoSessions;
    for (const session of sessions) {
      await this.locked(session.name, async () => {
        const r = await this.tokens.get(session.name);
        if (!r) return;
        // Best effort: the local sign-out must happen even when AWS cannot be reached.
        await this.portal(session.region)
          .then((p) => p.logout(r.accessToken))
          .catch(() => undefined);
        await this.tokens.delete(session.name);
        await removeAwsCliToken(this.o.paths.awsSsoCacheDir, session.name, r.accessToken);
      });
      for (const p of state.profiles) {
        if (p.kind === 'sso-role' && p.ssoSession === session.name) await this.o.forgetProfile?.(p.name);
      }
    }
    return sessions.map((s) => s.name);
  }

  /** `known`: the instance as the caller has just read it from the state (a listing of 10,000 profiles need not be read again). */
  async status(name: string, known?: SsoSession): Promise<SsoStatus> {
    if (this.flights.has(name)) return { state: 'refreshing' };
    const session = known?.name === name ? known : await this.session(name);
    const now = this.io.now();
    const r = await this.tokens.get(name);
    if (r && belongsTo(r, session) && (r.refreshToken || isUnexpired(r, now))) return { state: 'signed-in', expiresAt: expiresAtOf(r), source: 'rolecall' };
    const cli = await readAwsCliToken(this.o.paths.awsSsoCacheDir, session);
    if (cli && cli.expiresAt.getTime() > now) return { state: 'signed-in', expiresAt: cli.expiresAt, source: 'aws-cli' };
    const registered = (await this.o.secrets.get(ssoClientEntryName(session.region, session.startUrl))) !== null;
    return { state: 'sign-in-required', ...(!r && !cli && !registered ? { neverSignedIn: true } : {}) };
  }

  /** Lists every account and role the sign-in grants and brings the instance's profiles in line. */
  async sync(name: string, options: SyncOptions = {}): Promise<SyncResult> {
    const session = await this.session(name);
    const { accessToken } = await this.accessToken(name);
    const result = await syncInstance(session, accessToken, await this.portal(session.region), this.o.state, options).catch(async (err: unknown) => {
      // The portal refused the token (UnauthorizedException): the sign-in is over, so say so.
      if (err instanceof RolecallError && err.code === 'sign-in-required') await this.dropDeadToken(session, accessToken);
      throw err;
    });
    for (const p of result.removed) await this.o.forgetProfile?.(p);
    return result;
  }

  /**
   * Drops a Rolecall sign-in whose access token AWS refused, so the instance shows "sign in
   * again"; only when the keychain still holds that token (another process may have signed in
   * meanwhile). A token of the AWS CLI's own is the CLI's to replace.
   */
  /** The portal refused a token the broker was given: drop it, so status says "sign in again". */
  async rejected(name: string, accessToken: string): Promise<void> {
    await this.dropDeadToken(await this.session(name), accessToken);
  }

  private async dropDeadToken(session: SsoSession, accessToken: string): Promise<void> {
    await this.locked(session.name, async () => {
      const r = await this.tokens.get(session.name);
      if (r?.accessToken !== accessToken) return;
      await this.tokens.delete(session.name);
      await removeAwsCliToken(this.o.paths.awsSsoCacheDir, session.name, accessToken);
    });
  }

  async sessions(): Promise<SsoSession[]> {
    return (await this.o.state.load()).ssoSessions;
  }

  private async session(name: string): Promise<SsoSession> {
    const s = (await this.o.state.load()).ssoSessions.find((x) => x.name === name);
    if (!s) throw new RolecallError(`no Identity Center instance named '${name}'`, 'not-found', 'run: rolecall login sso --start-url URL --region REGION --name NAME');
    return s;
  }

  /** Under the lock, with a second look: another process may have refreshed or signed in meanwhile. */
  private async obtain(session: SsoSession, env: NodeJS.ProcessEnv): Promise<{ accessToken: string; expiresAt: Date }> {
    const now = this.io.now();
    let r = await this.tokens.get(session.name);
    if (r && !belongsTo(r, session)) r = null;
    if (r && isFresh(r, now)) return this.handOut(r);
    let ended: unknown; // why AWS would not refresh, said when nothing else will do either
    if (r?.refreshToken) {
      try {
        const next = await refreshRecord(await createOidcClient(session.region, env), session.name, r, now);
        await this.tokens.set(session.name, next);
        await this.mirrorToAwsCli(session, next);
        return this.handOut(next);
      } catch (err) {
        if (!(err instanceof RolecallError && err.code === 'sign-in-required')) {
          if (isUnexpired(r, now)) return this.handOut(r); // AWS unreachable: the old token still works a while
          throw err;
        }
        await this.tokens.delete(session.name);
        r = null;
        ended = err;
      }
    } else if (r && isUnexpired(r, now)) {
      return this.handOut(r);
    }
    const cli = await readAwsCliToken(this.o.paths.awsSsoCacheDir, session);
    if (cli && cli.expiresAt.getTime() - now > 60_000) return { accessToken: cli.accessToken, expiresAt: cli.expiresAt };
    if (!this.o.signInOnDemand) throw ended ?? signInRequired(session.name, `not signed in to the Identity Center instance ${session.name}`);
    const deps = await this.signInDeps(session, env);
    const told: string[] = [];
    const tell = (what?: string) => this.signInListeners.forEach((l) => l({ instance: session.name, what }));
    const print = (line: string) => {
      deps.io.print(line);
      told.push(line);
      tell(`waiting for you to sign in to ${session.name}: ${told.join(' ')}`);
    };
    let fresh: TokenRecord;
    try {
      fresh = await signIn(session, this.o.signInOnDemand, { ...deps, io: { ...deps.io, print } });
    } finally {
      tell(undefined);
    }
    await this.tokens.set(session.name, fresh);
    await this.mirrorToAwsCli(session, fresh);
    return this.handOut(fresh);
  }

  private handOut(r: TokenRecord) {
    return { accessToken: r.accessToken, expiresAt: expiresAtOf(r) };
  }

  private locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const file = lockFileFor(this.o.paths.locksDir, 'sso', name);
    // Waiters may wait out a whole sign-in that another process is walking a person through.
    return withFileLock(file, fn, { timeoutMs: SIGN_IN_TIMEOUT_MS + 60_000, staleMs: 30_000, pollMs: 25 });
  }

  private async mirrorToAwsCli(session: SsoSession, r: TokenRecord): Promise<void> {
    const { settings } = await this.o.state.load();
    if (settings.writeAwsCliSsoCache) await writeAwsCliToken(this.o.paths.awsSsoCacheDir, session, { accessToken: r.accessToken, expiresAt: expiresAtOf(r) });
  }

  private async signInDeps(session: SsoSession, env: NodeJS.ProcessEnv) {
    return { secrets: this.o.secrets, env, oidc: await createOidcClient(session.region, env), io: this.io };
  }

  private portal(region: string): Promise<PortalClient> {
    return createPortalClient(region, this.env);
  }
}
