// The credential broker: profile -> chain of steps -> cached, refreshed credentials.
// Caching (memory, then the keychain), refresh-ahead and single-flight (in this process, and
// across processes with a lock per profile) live here once; providers only fetch. Every
// request's AWS calls use its caller's AWS settings (endpoints, region), and its sessions are
// kept apart from those of callers with other settings.
import type { AppState, Credentials, Profile } from '../../../src-shared/profile';
import { awsCallerSettings, awsSettingsKey, type AwsCallerSettings } from '../aws/caller-settings';
import { CALL_BUDGET_MS } from '../aws/client-config';
import { defaultRegion } from '../aws/endpoints';
import type { StsContext } from '../aws/sts';
import { chainOf, descendantsOf, type ChainProblem, type Hop } from '../chain';
import { describeError, RolecallError, type ErrorCode } from '../errors';
import { lockFileFor, withFileLock } from '../lock';
import { profileNotFound } from '../profiles';
import type { RolecallPaths } from '../paths';
import { providerFor } from '../providers/registry';
import type { OidcIdTokenSource, SsoAccessTokenSource, StepContext, StepResult } from '../providers/types';
import { profileOfScope, sessionScope } from '../secrets/keychain-layout';
import type { SecretStore } from '../secrets/secret-store';
import { SingleFlight } from '../single-flight';
import { DEFAULT_OUTAGE_RETRY, MANDATORY_REFRESH_MS, outageReason, retryDelay, serviceOf, validUntil, type OutageRetryOptions } from './outage';
import { deleteCachedSessions, readCachedSession, readCachedSessions, refreshTime, writeCachedSession, type LiveSession } from './session-cache';
import type { CredentialBroker, CredentialRequest, SessionInfo } from './types';

export interface MfaPrompt {
  (req: { profile: string; serialNumber: string }): Promise<string>;
}

export interface BrokerOptions {
  paths: RolecallPaths;
  state: { load(): Promise<AppState> };
  secrets: SecretStore;
  sso: SsoAccessTokenSource;
  /** id_tokens for 'oidc-role' profiles. */
  oidc?: OidcIdTokenSource;
  /** The broker's own environment: its AWS settings serve requests that bring none (in-process callers). */
  env?: NodeJS.ProcessEnv;
  /** Asks a person for an MFA code (TTY prompt, app dialog); absent in non-interactive faces. */
  promptMfa?: MfaPrompt;
  /** Things the user should know but that are not errors (a duration capped by the chain limit). */
  onNotice?: (message: string) => void;
  /** Tells faces that a profile's session changed (app countdowns, tray): sessions under the broker's own settings. */
  onSession?: (profile: string, session: SessionInfo) => void;
  /** Epoch milliseconds; tests move it together with the sandbox clock. */
  now?: () => number;
  /** The background retry's backoff while AWS cannot refresh a session that is still served. */
  outageRetry?: OutageRetryOptions;
  /** How long one credential request's AWS calls may take in all (default CALL_BUDGET_MS, about 30 s). */
  callBudgetMs?: number;
}

/** One step of a profile's resolution, for `doctor` and tests. */
export interface StepTrace {
  profile: Profile;
  result?: StepResult;
  error?: unknown;
  /** Where the hop's STS calls went: its region and the caller's settings. */
  sts: StsContext;
}

/** Whose request this is, as far as AWS is concerned. */
interface Caller {
  /** awsSettingsKey of the caller's settings: '' for none. */
  settingsKey: string;
  /** The caller's settings as an environment: the only one this request's AWS calls read. */
  env: NodeJS.ProcessEnv;
  /**
   * When this request's AWS calls must be done: `ms` from its first AWS call, so a
   * chain whose hops each hang costs the budget once, not once per hop. Started lazily, so a
   * person signing in or typing an MFA code before the first call does not use it up.
   */
  budget: { ms: number; deadline?: number };
}

interface ResolveRequest {
  /** The caller's MFA code, shared by every hop of this resolution: the first hop that needs one takes it. */
  mfa: { code?: string };
  force: boolean;
  trace?: Omit<StepTrace, 'sts'>[];
  onNotice?: (message: string) => void;
  /** The broker's own background retry: nobody to prompt, and its failures are its own to handle. */
  unattended?: boolean;
}

/** A session AWS could not refresh, served meanwhile, with its background retry. */
interface Outage {
  profile: string;
  caller: Caller;
  expiration: Date;
  /** "AWS STS could not refresh dev/ReadOnly (HTTP 503)": the latest failure, for the notices. */
  reason: string;
  /** Retries so far (for the backoff). */
  attempt: number;
  /** The one pending retry of this scope, if any. */
  timer?: NodeJS.Timeout;
}

export class Broker implements CredentialBroker {
  /** Keyed by sessionScope (profile and caller settings). */
  private readonly memory = new Map<string, LiveSession>();
  private readonly flights = new SingleFlight<string, StepResult>();
  private readonly own: AwsCallerSettings;
  /** Every settings key this broker served, so forget() reaches their sessions (in memory, and in a store that cannot list). */
  private readonly settingsSeen = new Set<string>(['']);
  /** Keyed by sessionScope, like memory. */
  private readonly outages = new Map<string, Outage>();
  private readonly now: () => number;
  /** The keychain's sessions as sessions() last read them, under one set of settings. */
  private seen?: { key: string; stored: Map<string, LiveSession> };
  private reading?: Promise<void>;

  constructor(private readonly o: BrokerOptions) {
    this.own = awsCallerSettings(o.env ?? process.env);
    this.now = o.now ?? Date.now;
  }

  /** Stops every background retry. */
  close(): void {
    for (const scope of [...this.outages.keys()]) this.endOutage(scope);
  }

  async credentials(profile: string, request: CredentialRequest = {}): Promise<Credentials> {
    const state = await this.o.state.load();
    const hops = walkable(state, profile);
    const req = { mfa: { code: request.mfaCode }, force: !!request.forceRefresh, onNotice: request.onNotice };
    const r = await this.resolve(state, hops, hops.length - 1, req, this.caller(request));
    return { accessKeyId: r.accessKeyId, secretAccessKey: r.secretAccessKey, sessionToken: r.sessionToken, expiration: r.expiration };
  }

  /**
   * Resolves a profile hop by hop from the root of its chain, for `rolecall doctor`: every hop
   * is fetched anew (so a cache cannot hide a broken trust policy), except MFA hops without a
   * code, which use their cached session if it is fresh. Stops at the first failing hop.
   */
  async trace(profile: string, request: CredentialRequest = {}): Promise<StepTrace[]> {
    const state = await this.o.state.load();
    const caller = this.caller(request);
    const { hops, problem } = chainOf(state.profiles, profile);
    // A chain that cannot be walked is reported by its hop nearest the problem, and nothing is fetched.
    if (problem) return hops[0] ? [{ profile: hops[0].profile, error: chainError(problem, state.profiles), sts: stsContext(hops[0], caller) }] : [];
    let mfaCode = request.mfaCode;
    const out: StepTrace[] = [];
    for (const [i, { profile: p }] of hops.entries()) {
      const needsMfa = 'mfaSerial' in p && !!p.mfaSerial;
      const steps: Omit<StepTrace, 'sts'>[] = [];
      let error: unknown;
      try {
        await this.resolve(state, hops, i, { mfa: { code: needsMfa ? mfaCode : undefined }, force: !needsMfa || !!mfaCode, trace: steps }, caller);
      } catch (e) {
        error = e;
      }
      if (needsMfa) mfaCode = undefined;
      const step = steps.filter((t) => t.profile.name === p.name).pop() ?? { profile: p, error };
      out.push({ ...step, sts: stsContext(hops[i] as Hop, caller) });
      if (step.error) break;
    }
    return out;
  }

  /**
   * Live sessions under the broker's own settings: those its in-process callers (the app, the
   * web bridge, `rolecall list`) are served. Everyday that is the settings-free set every shell
   * shares; a session issued to a shell pointed elsewhere is that shell's, not the profile's.
   *
   * `readBehind` (the window's list): answer at once from the keychain as last read, and read it
   * again behind the answer; what another process changed meanwhile comes through onSession. The
   * keychain's answer took 35-110 ms while the window was loading, most of its first paint's wait.
   */
  async sessions(loaded?: AppState, opts: { readBehind?: boolean } = {}): Promise<SessionInfo[]> {
    // A caller that has just read the state passes it, so 10,000 profiles are not parsed twice.
    const state = loaded ?? (await this.o.state.load());
    const key = awsSettingsKey(this.own);
    const names = state.profiles.map((p) => p.name);
    const seen = this.seen?.key === key ? this.seen : undefined;
    if (opts.readBehind && seen) {
      const answer = this.live(names, key, seen.stored);
      void this.readAgain(names, key, answer);
      return answer;
    }
    return this.live(names, key, await this.readStored(names, key));
  }

  /** The sessions of these profiles, from the keychain as read (`stored`) and this process's memory: the later of the two. */
  private live(names: string[], key: string, stored: Map<string, LiveSession>): SessionInfo[] {
    const mine = this.remembered(key);
    if (!stored.size && !mine.size) return [];
    const now = this.now();
    const out: SessionInfo[] = [];
    for (const name of names) {
      const a = stored.get(name);
      const b = mine.get(name);
      const s = a && b ? (b.result.expiration.getTime() > a.result.expiration.getTime() ? b : a) : (a ?? b);
      if (s && s.result.expiration.getTime() > now) out.push({ profile: name, expiration: s.result.expiration, refreshAt: s.refreshAt });
    }
    return out;
  }

  /** This process's sessions under one set of settings, by profile: the few there are, not a scope made for each of 10,000 profiles. */
  private remembered(key: string): Map<string, LiveSession> {
    const out = new Map<string, LiveSession>();
    for (const [scope, s] of this.memory) {
      const profile = profileOfScope(scope, key);
      if (profile !== undefined) out.set(profile, s);
    }
    return out;
  }

  private async readStored(names: string[], key: string): Promise<Map<string, LiveSession>> {
    const now = this.now();
    const mine = this.remembered(key);
    // What another process refreshed since this one last looked is in the keychain.
    const stored = await readCachedSessions(this.o.secrets, mine.size ? names.filter((n) => !((mine.get(n)?.refreshAt.getTime() ?? 0) > now)) : names, key);
    this.seen = { key, stored };
    return stored;
  }

  /** One read behind the answers at a time; each session it finds changed since `answer` is told to onSession. */
  private readAgain(names: string[], key: string, answer: SessionInfo[]): Promise<void> {
    this.reading ??= (async () => {
      const told = new Map(answer.map((x) => [x.profile, x]));
      const now = new Map(this.live(names, key, await this.readStored(names, key)).map((x) => [x.profile, x]));
      for (const name of new Set([...told.keys(), ...now.keys()])) {
        const s = now.get(name);
        if (s?.expiration?.getTime() !== told.get(name)?.expiration?.getTime()) this.o.onSession?.(name, s ?? { profile: name });
      }
    })()
      .catch(() => {
        this.seen = undefined; // the next answer reads the keychain itself, and says what failed
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** Forgets the profile's sessions and those of every profile built on it, under every caller's settings. */
  async forget(profile: string): Promise<void> {
    const state = await this.o.state.load();
    for (const name of [profile, ...descendantsOf(state.profiles, profile)]) {
      for (const key of this.settingsSeen) {
        this.memory.delete(sessionScope(name, key));
        this.endOutage(sessionScope(name, key));
      }
      this.seen?.stored.delete(name);
      await deleteCachedSessions(this.o.secrets, name, this.settingsSeen);
      this.o.onSession?.(name, { profile: name });
    }
  }

  private caller(request: CredentialRequest): Caller {
    // Only the settings Rolecall honours, however the request was made.
    const settings = request.awsSettings ? awsCallerSettings(request.awsSettings) : this.own;
    const settingsKey = awsSettingsKey(settings);
    this.settingsSeen.add(settingsKey);
    return { settingsKey, env: { ...settings }, budget: { ms: this.o.callBudgetMs ?? CALL_BUDGET_MS } };
  }

  /** Credentials for hops[i], from the caches while fresh, else fetched (its parent, hops[i - 1], first). */
  private async resolve(state: AppState, hops: Hop[], i: number, req: ResolveRequest, caller: Caller): Promise<StepResult> {
    const { profile } = hops[i] as Hop;
    if (!providerFor(profile).issuesSession(profile)) return this.fetch(state, hops, i, req, caller);

    const name = profile.name;
    const scope = sessionScope(name, caller.settingsKey);
    const now = this.now();
    const inMemory = this.memory.get(scope);
    if (inMemory && !req.force && inMemory.refreshAt.getTime() > now) return traced(req, profile, inMemory.result);
    // AWS could not refresh it a moment ago and the background retry is on it: serve the current
    // session at once instead of making every caller sit through the SDK's retries again.
    const outage = this.outages.get(scope);
    if (outage && !req.force && !req.unattended && inMemory && inMemory.result.expiration.getTime() - now > MANDATORY_REFRESH_MS) {
      this.tell(req, this.servedNotice(outage.reason, inMemory, now));
      return traced(req, profile, inMemory.result);
    }

    try {
      return await this.refresh(state, hops, i, req, caller);
    } catch (error) {
      return this.rideOut(error, scope, req, caller, profile);
    }
  }

  /** Single-flight fetch of hops[i]'s session, unless the keychain holds a fresh one. */
  private async refresh(state: AppState, hops: Hop[], i: number, req: ResolveRequest, caller: Caller): Promise<StepResult> {
    const { profile } = hops[i] as Hop;
    const name = profile.name;
    const scope = sessionScope(name, caller.settingsKey);
    const fresh = (s: LiveSession | undefined): s is LiveSession => !!s && !req.force && s.refreshAt.getTime() > this.now();
    // Everyone in this process who needs this session now waits for the same fetch (the
    // background retry included); across processes, a lock per session and a second look at
    // the keychain cache do the same.
    const flightKey = req.force ? `${scope}\0force` : scope;
    return this.flights.run(flightKey, async () => {
      const cached = await readCachedSession(this.o.secrets, name, caller.settingsKey);
      if (fresh(cached)) return this.remember(scope, cached, req, profile);
      return withFileLock(
        lockFileFor(this.o.paths.locksDir, 'session', scope),
        async () => {
          // Another process may have refreshed it while we waited for the lock.
          const again = await readCachedSession(this.o.secrets, name, caller.settingsKey);
          if (fresh(again)) return this.remember(scope, again, req, profile);
          const started = this.now();
          const result = await this.fetch(state, hops, i, req, caller);
          if (!result.expiration) return result;
          const live: LiveSession = {
            result: { ...result, expiration: result.expiration },
            refreshAt: refreshTime(result.expiration, started, state.settings.refreshAheadSeconds),
          };
          await writeCachedSession(this.o.secrets, name, caller.settingsKey, live);
          this.memory.set(scope, live);
          this.endOutage(scope);
          if (caller.settingsKey === awsSettingsKey(this.own)) {
            this.o.onSession?.(name, { profile: name, expiration: live.result.expiration, refreshAt: live.refreshAt });
          }
          return result;
        },
        // The holder may be walking a person through an Identity Center sign-in (10 minutes at most).
        { timeoutMs: 11 * 60_000 },
      );
    });
  }

  private remember(scope: string, s: LiveSession, req: Pick<ResolveRequest, 'trace'>, profile: Profile): StepResult {
    this.memory.set(scope, s);
    this.endOutage(scope);
    return traced(req, profile, s.result);
  }

  /**
   * A refresh failed. When AWS could not answer and the current session has more than the
   * mandatory window left, it is served (with a notice) and retried in the background; otherwise
   * the error stands, saying why the current session was not served in its place.
   */
  private async rideOut(error: unknown, scope: string, req: ResolveRequest, caller: Caller, profile: Profile): Promise<StepResult> {
    // The background retry decides for itself what a failure means.
    if (req.unattended) throw error;
    const reason = outageReason(error);
    if (!reason) {
      // AWS answered with a refusal: nothing to retry.
      this.endOutage(scope);
      throw error;
    }
    const name = profile.name;
    const now = this.now();
    const current = this.memory.get(scope) ?? (await readCachedSession(this.o.secrets, name, caller.settingsKey).catch(() => undefined));
    if (!current || current.result.expiration.getTime() <= now) throw error;
    const code: ErrorCode = error instanceof RolecallError ? error.code : 'aws-error';
    const hint = error instanceof RolecallError ? error.hint : undefined;
    if (req.force) {
      throw new RolecallError(
        `a forced refresh of '${name}' failed, so no new credentials: ${describeError(error)}`,
        code,
        `the current session, valid until ${validUntil(current.result.expiration, now)}, is served without a forced refresh`,
        { cause: error },
      );
    }
    if (current.result.expiration.getTime() - now <= MANDATORY_REFRESH_MS) {
      throw new RolecallError(
        `${serviceOf(error)} could not refresh '${name}' (${reason}), and its current session ends at ${validUntil(current.result.expiration, now)}: too soon to serve it instead`,
        code,
        hint,
        { cause: error },
      );
    }
    this.memory.set(scope, current);
    this.tell(req, this.servedNotice(`${serviceOf(error)} could not refresh '${name}' (${reason})`, current, now));
    this.retryLater(scope, name, caller, current.result.expiration, `${serviceOf(error)} could not refresh '${name}' (${reason})`);
    return traced(req, profile, current.result);
  }

  private servedNotice(why: string, s: LiveSession, now: number): string {
    return `${why}; serving the current session, valid until ${validUntil(s.result.expiration, now)}; retrying in the background`;
  }

  private tell(req: Pick<ResolveRequest, 'onNotice'>, message: string): void {
    this.o.onNotice?.(message);
    req.onNotice?.(message);
  }

  /** Schedules the scope's next background retry: one timer per scope, none past the mandatory window. */
  private retryLater(scope: string, profile: string, caller: Caller, expiration: Date, reason: string): void {
    const known = this.outages.get(scope);
    if (known?.timer) return;
    const outage: Outage = known ?? { profile, caller, expiration, reason, attempt: 0 };
    const delay = retryDelay(outage.attempt, this.o.outageRetry ?? DEFAULT_OUTAGE_RETRY);
    // Past the mandatory window a failed refresh is the caller's error again; the next request tries itself.
    if (this.now() + delay >= expiration.getTime() - MANDATORY_REFRESH_MS) {
      this.outages.delete(scope);
      return;
    }
    outage.timer = setTimeout(() => void this.retry(scope, outage), delay);
    // A retry is worth having, not worth keeping a process alive for.
    outage.timer.unref();
    this.outages.set(scope, outage);
  }

  private async retry(scope: string, outage: Outage): Promise<void> {
    outage.timer = undefined;
    outage.attempt += 1;
    // Timers fire late after a laptop sleeps: past the mandatory window, the next caller tries itself.
    if (this.now() >= outage.expiration.getTime() - MANDATORY_REFRESH_MS) {
      this.endOutage(scope);
      return;
    }
    try {
      const state = await this.o.state.load();
      const hops = walkable(state, outage.profile);
      // Each attempt gets a budget of its own.
      const renewed = await this.resolve(state, hops, hops.length - 1, { mfa: {}, force: false, unattended: true }, { ...outage.caller, budget: { ms: outage.caller.budget.ms } });
      this.o.onNotice?.(`refreshed '${outage.profile}' in the background after ${outage.reason}: valid until ${renewed.expiration ? validUntil(renewed.expiration, this.now()) : 'further notice'}`);
    } catch (error) {
      // Forgotten or closed meanwhile, or refreshed by someone else: nothing more to do.
      if (this.outages.get(scope) !== outage) return;
      const reason = outageReason(error);
      if (reason) {
        outage.reason = `${serviceOf(error)} could not refresh '${outage.profile}' (${reason})`;
        this.retryLater(scope, outage.profile, outage.caller, outage.expiration, outage.reason);
        return;
      }
      this.outages.delete(scope);
      this.o.onNotice?.(`stopped retrying '${outage.profile}' in the background: ${describeError(error)}`);
    }
  }

  private endOutage(scope: string): void {
    const outage = this.outages.get(scope);
    if (!outage) return;
    clearTimeout(outage.timer);
    this.outages.delete(scope);
  }

  /** Fetches new credentials for hops[i], resolving its parent first. */
  private async fetch(state: AppState, hops: Hop[], i: number, req: ResolveRequest, caller: Caller): Promise<StepResult> {
    const hop = hops[i] as Hop;
    const { profile } = hop;
    const parent = i > 0 ? await this.resolve(state, hops, i - 1, { ...req, force: false }, caller) : undefined;
    const ctx: StepContext = {
      sts: stsContext(hop, caller),
      env: caller.env,
      secrets: this.o.secrets,
      sso: this.o.sso,
      ssoSessions: state.ssoSessions,
      oidc: this.o.oidc,
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
        if (this.o.promptMfa && !req.unattended) return this.o.promptMfa({ profile: profile.name, serialNumber });
        throw new RolecallError(`profile '${profile.name}' needs an MFA code from ${serialNumber}`, 'mfa-required', 'pass --mfa-code CODE');
      },
      notice: (m) => this.tell(req, m),
    };
    try {
      const result = await providerFor(profile).credentials(profile, ctx);
      req.trace?.push({ profile, result });
      return result;
    } catch (error) {
      req.trace?.push({ profile, error });
      throw error;
    }
  }
}

/** The hop's STS context: its region (else the caller's default region) and the caller's settings. */
function stsContext(hop: Hop, caller: Caller): StsContext {
  return {
    region: hop.region ?? defaultRegion(caller.env),
    env: caller.env,
    // Read when a call is made (withinBudget): the request's first AWS call starts its budget.
    get deadline() {
      return (caller.budget.deadline ??= Date.now() + caller.budget.ms);
    },
  };
}

function traced(req: Pick<ResolveRequest, 'trace'>, profile: Profile, result: StepResult): StepResult {
  req.trace?.push({ profile, result });
  return result;
}

/** The profile's chain, root first; refuses one with a missing source or a loop. */
function walkable(state: AppState, name: string): Hop[] {
  const { hops, problem } = chainOf(state.profiles, name);
  if (problem) throw chainError(problem, state.profiles);
  return hops;
}

function chainError(problem: ChainProblem, profiles: readonly Profile[]): RolecallError {
  if (problem.kind === 'loop') {
    return new RolecallError(`profile '${problem.path[0]}': its source profiles form a loop (${problem.path.join(' -> ')})`, 'invalid-input');
  }
  if (!problem.dependent) return profileNotFound(problem.name, profiles);
  return new RolecallError(`profile '${problem.name}' (source of '${problem.dependent}') does not exist`, 'not-found', 'run: rolecall list');
}
