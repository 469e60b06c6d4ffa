// `rolecall credential-process`: the hot path. main.ts sends it here before loading commander
// or anything heavy. In order: (a) ask the running agent; (b) read the broker's keychain cache;
// (c) start a background agent and ask it, or (with autostart off) load the core in-process,
// the only step that loads the AWS SDK.
import type { Credentials } from '../../../src-shared/profile';
import { AgentClient, AgentNotTrusted, AgentUnavailable, AgentUnresponsive } from '../../core/agent/client';
import type { CredentialRequest } from '../../core/broker/types';
import { isMfaCodeRefused } from '../../core/aws/errors';
import { isRolecallError } from '../../core/errors';
import { resolvePaths } from '../../core/paths';
import { aboutProfile, adoptError, credentialProcessJson, printError, writeAnswer, type CliIO } from '../output';
import { keychainReachable, readFreshSession } from './keychain-cache';
import { readHotSettings } from './settings';

export interface CredentialProcessArgs extends CredentialRequest {
  profile: string;
}

// The same rule as PROFILE_NAME_PATTERN in src-shared/names.ts (which imports zod); a test keeps
// them equal. A name that fails it goes to the full program, which explains what is wrong.
export const HOT_PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+@/-]{0,127}$/;

/** The hot path's own argument reading; undefined for anything unusual (the full program handles it). */
export function parseHotArgs(args: string[]): CredentialProcessArgs | undefined {
  let profile: string | undefined;
  let mfaCode: string | undefined;
  let forceRefresh = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (flag === '--profile' || flag === '--mfa-code') {
      const v = inline ?? args[++i];
      if (v === undefined || (flag === '--profile' && profile !== undefined)) return undefined;
      if (flag === '--profile') profile = v;
      else mfaCode = v;
    } else if (a === '--force-refresh') forceRefresh = true;
    else if (a.startsWith('-') || profile !== undefined) return undefined;
    else profile = a;
  }
  if (!profile || !HOT_PROFILE_NAME.test(profile) || (mfaCode !== undefined && !/^\d{6}$/.test(mfaCode))) return undefined;
  return { profile, ...(mfaCode ? { mfaCode } : {}), ...(forceRefresh ? { forceRefresh } : {}) };
}

/** Runs credential-process from raw arguments; undefined when the full program should take them. */
export async function credentialProcessFast(args: string[], io: CliIO): Promise<number | undefined> {
  const parsed = parseHotArgs(args);
  return parsed ? runCredentialProcess(parsed, io) : undefined;
}

export async function runCredentialProcess(req: CredentialProcessArgs, io: CliIO): Promise<number> {
  try {
    const creds = await withMfaRetry(io, req, (r) => obtain(r, io));
    await writeAnswer(io, credentialProcessJson(creds) + '\n');
    return 0;
  } catch (e) {
    return printError(io, aboutProfile(req.profile, e));
  }
}

/** How often one run asks for a code at the terminal before it gives up. */
const MFA_PROMPTS = 3;

/**
 * Tries once; when a hop needs an MFA code, or AWS refused the one sent (each code works once, so
 * a retry or another process may have spent it), and a person is at the terminal, asks for the
 * next code and tries again.
 */
export async function withMfaRetry<T>(io: CliIO, req: CredentialProcessArgs, fn: (r: CredentialProcessArgs) => Promise<T>): Promise<T> {
  let request = req;
  for (let prompts = 0; ; prompts++) {
    try {
      return await fn(request);
    } catch (caught) {
      const e = adoptError(caught);
      const refused = isMfaCodeRefused(e);
      const needed = isRolecallError(e) && e.code === 'mfa-required' && !request.mfaCode;
      if ((!refused && !needed) || prompts >= MFA_PROMPTS) throw e;
      const { canPrompt, promptMfaCode } = await import('../prompt');
      if (!canPrompt(io)) throw e;
      if (refused) io.stderr.write('rolecall: AWS refused that MFA code: each code works once, and it was already used; enter the next one\n');
      request = { ...request, mfaCode: await promptMfaCode(io, request.profile) };
    }
  }
}

async function obtain(req: CredentialProcessArgs, io: CliIO): Promise<Credentials> {
  const { profile, ...request } = req;
  const paths = resolvePaths(io.env);
  // The caller's AWS settings go with each request: the agent's own environment is not ours.
  const agent = new AgentClient(paths, { env: io.env });
  // The agent's broker hands back its notices; print them as the in-process broker does (core-factory).
  const say = (m: string) => void io.stderr.write(`rolecall: ${m}\n`);
  // What a person must do while the agent waits on them (sign in) is said once, as it happens.
  const viaAgent = { ...request, onNotice: say, onProgress: say };
  // An agent that fails the owner checks or the handshake, or does not answer it (stopped, hung),
  // or cannot reach the keychain this caller can, is not asked again in this run (nor is one
  // started in its place): say so, and do the work here.
  let trusted = true;
  const ask = async (): Promise<Credentials | undefined> => {
    try {
      return await agent.credentials(profile, viaAgent);
    } catch (e) {
      if (e instanceof AgentNotTrusted || e instanceof AgentUnresponsive) {
        trusted = false;
        say(e instanceof AgentUnresponsive ? `${e.message}; working without it` : e.message);
      } else if (isRolecallError(e) && e.code === 'keychain' && keychainReachable(paths.keychainService)) {
        trusted = false;
        say(`the Rolecall agent cannot reach the keychain (${e.message}); working in-process (restart it from this shell: rolecall agent stop)`);
      } else if (!(e instanceof AgentUnavailable)) throw e;
      return undefined;
    }
  };
  const first = await ask();
  if (first) return first;
  const settings = await readHotSettings(paths.stateFile);
  if (!request.forceRefresh) {
    const cached = readFreshSession(paths, profile, io.env);
    if (cached) return cached;
  }
  const autostart = trusted && settings.autostartAgent && io.env.ROLECALL_NO_AUTOSTART !== '1';
  if (autostart && (await (await import('./autostart')).ensureAgent(paths, settings.agentIdleSeconds, io.env))) {
    const second = await ask();
    if (second) return second;
  }
  const { inProcessCredentials } = await import('./in-process');
  return inProcessCredentials(io, paths, profile, request, () => readFreshSession(paths, profile, io.env));
}
