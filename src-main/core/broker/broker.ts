// The credential broker: profile -> chain of steps -> cached, refreshed credentials.
// Caching (memory, then the keychain), refresh-ahead and single-flight (in this process, and
// across processes with a lock per profile) live here once; providers only fetch.
import type { AppState, Credentials, Profile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { lockFileFor, withFileLock } from '../lock';
import type { RolecallPaths } from '../paths';
import type { SecretStore } from '../secrets/secret-store';
import { SingleFlight } from '../single-flight';
import { defaultRegion } from '../aws/endpoints';
import { getCallerIdentity } from '../aws/sts';
import { assumeRoleCredentials } from '../providers/assume-role';
import { iamUserCredentials } from '../providers/iam-user';
import { ssoRoleCredentials } from '../providers/sso-role';
import { webIdentityCredentials } from '../providers/web-identity';
import type { StepContext, StepResult } from '../providers/types';
import { readCachedSession, readCachedSessions, refreshTime, sessionCacheKey, writeCachedSession, type LiveSession } from './session-cache';
import { sanitizeSessionName, sessionNameFromArn } from './session-name';
import type { CredentialBroker, CredentialRequest, SessionInfo, SsoAccessTokenSource } from './types';

export interface MfaPrompt {
  (req: { profile: string; serialNumber: string }): Promise<string>;
}

export interface BrokerOptions {
  paths: RolecallPaths;
  state: { load(): Promise<AppState> };
  secrets: SecretStore;
  sso: SsoAccessTokenSource;
  env?: NodeJS.ProcessEnv;
  /** Asks a person for an MFA code (TTY prompt, app dialog); absent in non-interactive faces. */
  promptMfa?: MfaPrompt;
  /** Things the user should know but that are not errors (a duration capped by the chain limit). */
  onNotice?: (message: string) => void;
  /** Tells faces that a profile's session changed (app countdowns, tray). */
  onSession?: (profile: string, session: SessionInfo) => void;
}

/** One step of a profile's resolution, for `doctor` and tests. */
export interface StepTrace {
  profile: Profile;
  result?: StepResult;
  error?: unknown;
  /** The region the hop's STS calls went to. */
  region?: string;
}

interface ResolveRequest {
  /** The caller's MFA code, shared by every hop of this resolution: the first hop that needs one takes it. */
  mfa: { code?: string };
  force: boolean;
  trace?: StepTrace[];
  onNotice?: (message: string) => void;
}

export class Broker implements CredentialBroker {
  private readonly memory = new Map<string, LiveSession>();
  private readonly flights = new SingleFlight<string, StepResult>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly o: BrokerOptions) {
    this.env = o.env ?? process.env;
  }

  async credentials(profile: string, request: CredentialRequest = {}): Promise<Credentials> {
    const state = await this.o.state.load();
    const r = await this.resolve(state, profile, { mfa: { code: request.mfaCode }, force: !!request.forceRefresh, onNotice: request.onNotice }, []);
    return { accessKeyId: r.accessKeyId, secretAccessKey: r.secretAccessKey, sessionToken: r.sessionToken, expiration: r.expiration };
  }

  /**
   * Resolves a profile hop by hop from the root of its chain, for `rolecall doctor`: every hop
   * is fetched anew (so a cache cannot hide a broken trust policy), except MFA hops without a
   * code, which use their cached session if it is fresh. Stops at the first failing hop.
   */
  async trace(profile: string, request: CredentialRequest = {}): Promise<StepTrace[]> {
    const state = await this.o.state.load();
    const chain: string[] = [];
    for (let name: string | undefined = profile; name !== undefined && !chain.includes(name); ) {
      chain.unshift(name);
      const p = state.profiles.find((x) => x.name === name);
      name = p?.kind === 'assume-role' ? p.sourceProfile : undefined;
    }
    let mfaCode = request.mfaCode;
    const out: StepTrace[] = [];
    for (const name of chain) {
      const p = state.profiles.find((x) => x.name === name);
      if (!p) continue; // the hop that names it reports the missing source
      const needsMfa = 'mfaSerial' in p && !!p.mfaSerial;
      const steps: StepTrace[] = [];
      let error: unknown;
      try {
        await this.resolve(state, name, { mfa: { code: needsMfa ? mfaCode : undefined }, force: !needsMfa || !!mfaCode, trace: steps }, []);
      } catch (e) {
        error = e;
      }
      if (needsMfa) mfaCode = undefined;
      const step = steps.filter((t) => t.profile.name === name).pop() ?? { profile: p, error };
      out.push({ ...step, region: this.regionFor(state, p) });
      if (step.error) break;
    }
    return out;
  }

  async sessions(): Promise<SessionInfo[]> {
    const state = await this.o.state.load();
    const now = Date.now();
    const names = state.profiles.map((p) => p.name);
    // What another process refreshed since this one last looked is in the keychain.
    const stored = await readCachedSessions(this.o.secrets, names.filter((n) => !((this.memory.get(n)?.refreshAt.getTime() ?? 0) > now)));
    const out: SessionInfo[] = [];
    for (const name of names) {
      const s = stored.get(name) ?? this.memory.get(name);
      if (s && s.result.expiration.getTime() > now) out.push({ profile: name, expiration: s.result.expiration, refreshAt: s.refreshAt });
    }
    return out;
  }

  async forget(profile: string): Promise<void> {
    const state = await this.o.state.load();
    // The profile and every profile built on it.
    const doomed = new Set([profile]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of state.profiles) {
        if (p.kind === 'assume-role' && doomed.has(p.sourceProfile) && !doomed.has(p.name)) {
          doomed.add(p.name);
          grew = true;
        }
      }
    }
    for (const name of doomed) {
      this.memory.delete(name);
      await this.o.secrets.delete(sessionCacheKey(name));
      this.o.onSession?.(name, { profile: name });
    }
  }

  private async resolve(
    state: AppState,
    name: string,
    req: ResolveRequest,
    path_: string[],
  ): Promise<StepResult> {
    const profile = state.profiles.find((p) => p.name === name);
    if (!profile) {
      const via = path_.length ? ` (source of '${path_[path_.length - 1]}')` : '';
      throw new RolecallError(`profile '${name}'${via} does not exist`, 'not-found', 'run: rolecall list');
    }
    if (path_.includes(name)) {
      throw new RolecallError(`profile '${name}': its source profiles form a loop (${[...path_, name].join(' -> ')})`, 'invalid-input');
    }
    // Long-term keys are not a session: nothing to cache, nothing to lock.
    if (profile.kind === 'iam-user' && !profile.mfaSerial) return this.fetch(state, profile, req, path_);

    const now = Date.now();
    const fresh = (s: LiveSession | undefined): s is LiveSession => !!s && !req.force && s.refreshAt.getTime() > now;
    const inMemory = this.memory.get(name);
    if (fresh(inMemory)) return this.traced(req, profile, inMemory.result);

    // Everyone in this process who needs this profile now waits for the same fetch; across
    // processes, a lock per profile and a second look at the keychain cache do the same.
    const flightKey = req.force ? `${name}\0force` : name;
    return this.flights.run(flightKey, async () => {
      const cached = await readCachedSession(this.o.secrets, name);
      if (fresh(cached)) return this.remember(name, cached, req, profile);
      return withFileLock(
        this.lockFile(name),
        async () => {
          // Another process may have refreshed it while we waited for the lock.
          const again = await readCachedSession(this.o.secrets, name);
          if (fresh(again)) return this.remember(name, again, req, profile);
          const started = Date.now();
          const result = await this.fetch(state, profile, req, path_);
          if (!result.expiration) return result;
          const live: LiveSession = {
            result: { ...result, expiration: result.expiration },
            refreshAt: refreshTime(result.expiration, started, state.settings.refreshAheadSeconds),
          };
          await writeCachedSession(this.o.secrets, name, live);
          this.memory.set(name, live);
          this.o.onSession?.(name, { profile: name, expiration: live.result.expiration, refreshAt: live.refreshAt });
          return result;
        },
        // The holder may be walking a person through an Identity Center sign-in (10 minutes at most).
        { timeoutMs: 11 * 60_000 },
      );
    });
  }

  private remember(name: string, s: LiveSession, req: { trace?: StepTrace[] }, profile: Profile): StepResult {
    this.memory.set(name, s);
    return this.traced(req, profile, s.result);
  }

  private traced(req: { trace?: StepTrace[] }, profile: Profile, result: StepResult): StepResult {
    req.trace?.push({ profile, result });
    return result;
  }

  /** Fetches new credentials for one step, resolving its parent first. */
  private async fetch(state: AppState, profile: Profile, req: ResolveRequest, path_: string[]): Promise<StepResult> {
    const parent =
      profile.kind === 'assume-role'
        ? await this.resolve(state, profile.sourceProfile, { ...req, force: false }, [...path_, profile.name])
        : undefined;
    const region = this.regionFor(state, profile);
    const ctx: StepContext = {
      sts: { region, env: this.env },
      env: this.env,
      secrets: this.o.secrets,
      sso: this.o.sso,
      ssoSessions: state.ssoSessions,
      parent,
      mfaCode: async (serialNumber) => {
        // A code is good for one call: the first step that needs one takes the caller's, and a
        // later hop of the same chain (the parent is fetched first) must not send it again.
        const { mfa } = req;
        if (mfa.code) {
          const c = mfa.code;
          mfa.code = undefined;
          return c;
        }
        if (this.o.promptMfa) return this.o.promptMfa({ profile: profile.name, serialNumber });
        throw new RolecallError(`profile '${profile.name}' needs an MFA code from ${serialNumber}`, 'mfa-required', 'pass --mfa-code CODE');
      },
      defaultSessionName: async () => {
        if (!parent) return sanitizeSessionName(`rolecall-${Date.now()}`);
        const fromArn = sessionNameFromArn(parent.arn);
        if (fromArn) return fromArn;
        parent.arn = (await getCallerIdentity({ region, env: this.env }, parent)).Arn;
        return sessionNameFromArn(parent.arn) ?? sanitizeSessionName(`rolecall-${Date.now()}`);
      },
      notice: (m) => {
        this.o.onNotice?.(m);
        req.onNotice?.(m);
      },
    };
    try {
      const result = await this.provide(profile, ctx);
      req.trace?.push({ profile, result });
      return result;
    } catch (error) {
      req.trace?.push({ profile, error });
      throw error;
    }
  }

  private provide(profile: Profile, ctx: StepContext): Promise<StepResult> {
    switch (profile.kind) {
      case 'iam-user':
        return iamUserCredentials(profile, ctx);
      case 'assume-role':
        return assumeRoleCredentials(profile, ctx);
      case 'sso-role':
        return ssoRoleCredentials(profile, ctx);
      case 'web-identity':
        return webIdentityCredentials(profile, ctx);
    }
  }

  /** The region a hop's STS calls go to: its own, else the nearest ancestor's, else the SDK's default. */
  private regionFor(state: AppState, profile: Profile): string {
    let p: Profile | undefined = profile;
    const seen = new Set<string>();
    while (p && !seen.has(p.name)) {
      if (p.region) return p.region;
      seen.add(p.name);
      const parent: string | undefined = p.kind === 'assume-role' ? p.sourceProfile : undefined;
      p = state.profiles.find((x) => x.name === parent);
    }
    return defaultRegion(this.env);
  }

  private lockFile(profile: string): string {
    return lockFileFor(this.o.paths.locksDir, 'session', profile);
  }
}
