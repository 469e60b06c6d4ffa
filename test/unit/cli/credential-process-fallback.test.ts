// credential-process's order of answers, in this process: (a) the running agent, (b) the broker's
// keychain cache, (c) an agent it starts, (d) the broker in-process. The agent client, the
// keychain reader, the autostart and the in-process broker are stand-ins that record what they
// were asked (the real ones have their own tests, and the CLI's process tests run them all); the
// state file is real. What is checked is what an AWS tool and the person behind it see: the
// answer on stdout, each notice on stderr, the exit code, and which step answered.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Credentials } from '../../../src-shared/profile';
import { credentialProcessFast } from '../../../src-main/cli/hot/credential-process';
import type { CliIO } from '../../../src-main/cli/output';
import { AgentNotTrusted, AgentUnavailable, AgentUnresponsive } from '../../../src-main/core/agent/client';
import { MFA_CODE_REFUSED_HINT } from '../../../src-main/core/aws/errors';
import type { CredentialRequest } from '../../../src-main/core/broker/types';
import { RolecallError } from '../../../src-main/core/errors';
import { resolvePaths } from '../../../src-main/core/paths';

type AgentRequest = CredentialRequest & { onProgress?: (m: string) => void };
type AgentAnswer = (req: AgentRequest) => Promise<Credentials>;

const fake = vi.hoisted(() => ({
  /** What the agent does on each request, in order; none left: no agent runs. */
  agent: [] as AgentAnswer[],
  asked: [] as { profile: string; req: AgentRequest; env: NodeJS.ProcessEnv | undefined }[],
  cached: undefined as Credentials | undefined,
  cacheReads: [] as { service: string; profile: string; env: NodeJS.ProcessEnv }[],
  keychainReachable: true,
  /** What ensureAgent reports: true when an agent was started or found. */
  autostart: true,
  started: [] as { idleSeconds: number; env: NodeJS.ProcessEnv }[],
  inProcess: [] as { profile: string; request: CredentialRequest; fresh: Credentials | undefined }[],
}));

vi.mock(import('../../../src-main/core/agent/client'), async (importOriginal) => {
  const real = await importOriginal();
  class AgentClient {
    constructor(
      _paths: unknown,
      private readonly options: { env?: NodeJS.ProcessEnv } = {},
    ) {}
    async credentials(profile: string, req: AgentRequest): Promise<Credentials> {
      fake.asked.push({ profile, req, env: this.options.env });
      const answer = fake.agent.shift();
      if (!answer) throw new real.AgentUnavailable('no agent token');
      return answer(req);
    }
  }
  return { ...real, AgentClient: AgentClient as unknown as typeof real.AgentClient };
});
vi.mock(import('../../../src-main/cli/hot/keychain-cache'), () => ({
  readFreshSession: (paths: { keychainService: string }, profile: string, env: NodeJS.ProcessEnv) => {
    fake.cacheReads.push({ service: paths.keychainService, profile, env });
    return fake.cached;
  },
  keychainReachable: () => fake.keychainReachable,
  freshFromCacheEntry: () => undefined,
}));
vi.mock(import('../../../src-main/cli/hot/autostart'), () => ({
  ensureAgent: async (_paths: unknown, idleSeconds: number, env: NodeJS.ProcessEnv) => {
    fake.started.push({ idleSeconds, env });
    return fake.autostart;
  },
}));
vi.mock(import('../../../src-main/cli/hot/in-process'), () => ({
  inProcessCredentials: async (_io: unknown, _paths: unknown, profile: string, request: CredentialRequest, readFresh: () => Credentials | undefined) => {
    fake.inProcess.push({ profile, request, fresh: readFresh() });
    return fromBroker;
  },
}));

const creds = (accessKeyId: string): Credentials => ({ accessKeyId, secretAccessKey: `secret-of-${accessKeyId}`, sessionToken: 'token', expiration: new Date('2030-01-01T13:00:00Z') });
const fromAgent = creds('ASIAAGENT');
const fromCache = creds('ASIACACHE');
const fromBroker = creds('ASIABROKER');
const json = (c: Credentials) =>
  `{"Version":1,"AccessKeyId":"${c.accessKeyId}","SecretAccessKey":"${c.secretAccessKey}","SessionToken":"token","Expiration":"2030-01-01T13:00:00.000Z"}\n`;

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'rc-hot-fallback-'));
  env = { ROLECALL_HOME: home, HOME: home };
  Object.assign(fake, { agent: [], asked: [], cached: undefined, cacheReads: [], keychainReachable: true, autostart: true, started: [], inProcess: [] });
});
afterEach(() => rm(home, { recursive: true, force: true }));

/** Runs `rolecall credential-process ARGS` as an AWS tool would; with `codes`, a person at a terminal types each one when asked. */
async function run(args: string[], o: { codes?: string[] } = {}): Promise<{ code: number | undefined; out: string; err: string }> {
  const tty = o.codes !== undefined;
  const codes = [...(o.codes ?? [])];
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  const stdout = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    // What the person sees: readline's cursor moves dropped, the typed code echoed.
    const seen = stripVTControlCharacters(d.toString()).replaceAll('\r', '');
    err += seen;
    if (/MFA code for profile '[^']+': $/.test(seen)) {
      const next = codes.shift();
      setImmediate(() => (next === undefined ? stdin.end() : stdin.write(`${next}\n`)));
    }
  });
  const io: CliIO = { stdin, stdout, stderr, env };
  const code = await credentialProcessFast(args, io);
  return { code, out, err };
}

const settings = (s: Record<string, unknown>) => writeFile(resolvePaths(env).stateFile, JSON.stringify({ version: 1, settings: s }));

describe('credential-process: the running agent first', () => {
  it("prints the agent's answer, with the agent's notices and sign-in progress on stderr, and reads nothing else", async () => {
    fake.agent.push(async (req) => {
      req.onNotice?.('role chaining: asked AWS for 3600 s');
      req.onProgress?.('sign in at https://device.example/');
      return fromAgent;
    });
    env.AWS_REGION = 'eu-west-1';
    expect(await run(['--profile', 'dev/Admin', '--mfa-code', '123456', '--force-refresh'])).toEqual({
      code: 0,
      out: json(fromAgent),
      err: 'rolecall: role chaining: asked AWS for 3600 s\nrolecall: sign in at https://device.example/\n',
    });
    // The caller's environment goes with the request (its AWS settings, not the agent's own).
    expect(fake.asked).toMatchObject([{ profile: 'dev/Admin', req: { mfaCode: '123456', forceRefresh: true }, env: { AWS_REGION: 'eu-west-1' } }]);
    expect(fake.asked[0]?.req).not.toHaveProperty('profile');
    expect({ cacheReads: fake.cacheReads, started: fake.started, inProcess: fake.inProcess }).toEqual({ cacheReads: [], started: [], inProcess: [] });
  });

  it('prints an error the agent answers with, naming the profile, and tries nothing else', async () => {
    fake.agent.push(async () => {
      throw new RolecallError('AccessDenied: not allowed to assume the role', 'access-denied');
    });
    expect(await run(['dev'])).toEqual({ code: 1, out: '', err: "rolecall: profile 'dev': AccessDenied: not allowed to assume the role\n" });
    expect(fake.asked).toHaveLength(1);
    expect({ cacheReads: fake.cacheReads, started: fake.started, inProcess: fake.inProcess }).toEqual({ cacheReads: [], started: [], inProcess: [] });
  });

  it('leaves arguments it does not handle to the full program', async () => {
    expect(await run(['--help'])).toEqual({ code: undefined, out: '', err: '' });
    expect(fake.asked).toEqual([]);
  });
});

describe('credential-process without a running agent', () => {
  it("serves the broker's keychain cache of this caller's settings without starting an agent", async () => {
    fake.cached = fromCache;
    expect(await run(['dev'])).toEqual({ code: 0, out: json(fromCache), err: '' });
    expect(fake.cacheReads).toEqual([{ service: resolvePaths(env).keychainService, profile: 'dev', env }]);
    expect({ started: fake.started, inProcess: fake.inProcess }).toEqual({ started: [], inProcess: [] });
  });

  it('on a cold cache starts an agent with the idle time of the settings and asks it', async () => {
    await settings({ agentIdleSeconds: 120 });
    fake.agent.push(async () => {
      throw new AgentUnavailable('no agent token');
    });
    fake.agent.push(async () => fromAgent);
    expect(await run(['dev'])).toEqual({ code: 0, out: json(fromAgent), err: '' });
    expect(fake.started).toEqual([{ idleSeconds: 120, env }]);
    expect(fake.asked).toHaveLength(2);
    expect(fake.inProcess).toEqual([]);
  });

  it.each<[string, Record<string, unknown> | undefined, NodeJS.ProcessEnv]>([
    ['autostart is off in the settings', { autostartAgent: false }, {}],
    ['ROLECALL_NO_AUTOSTART=1', undefined, { ROLECALL_NO_AUTOSTART: '1' }],
  ])('works in-process, starting no agent, when %s', async (_what, s, extra) => {
    if (s) await settings(s);
    Object.assign(env, extra);
    expect(await run(['dev'])).toEqual({ code: 0, out: json(fromBroker), err: '' });
    expect(fake.started).toEqual([]);
    expect(fake.asked).toHaveLength(1);
    expect(fake.inProcess).toEqual([{ profile: 'dev', request: {}, fresh: undefined }]);
  });

  it('starts an agent when ROLECALL_NO_AUTOSTART is anything but 1', async () => {
    env.ROLECALL_NO_AUTOSTART = '0';
    await run(['dev']);
    expect(fake.started).toHaveLength(1);
  });

  it.each<[string, boolean]>([
    ['no agent could be started', false],
    ['the agent it started does not answer', true],
  ])('works in-process when %s', async (_what, started) => {
    fake.autostart = started;
    expect(await run(['dev'])).toEqual({ code: 0, out: json(fromBroker), err: '' });
    expect(fake.started).toHaveLength(1);
    expect(fake.asked).toHaveLength(started ? 2 : 1);
    expect(fake.inProcess).toHaveLength(1);
  });

  it('goes past the keychain cache on --force-refresh, and the broker in-process may still take what another process stored', async () => {
    fake.cached = fromCache;
    await settings({ autostartAgent: false });
    expect(await run(['dev', '--force-refresh'])).toEqual({ code: 0, out: json(fromBroker), err: '' });
    // Its only keychain read is the one the in-process gate makes (which the gate ignores on --force-refresh).
    expect(fake.inProcess).toEqual([{ profile: 'dev', request: { forceRefresh: true }, fresh: fromCache }]);
    expect(fake.cacheReads).toHaveLength(1);
  });
});

describe('credential-process with an agent it cannot use', () => {
  it.each<[string, () => Error, string]>([
    [
      'fails the owner checks or the handshake',
      () => new AgentNotTrusted('/run/rolecall/agent.sock', 'the socket belongs to uid 1001'),
      'rolecall: not using the agent at /run/rolecall/agent.sock: the socket belongs to uid 1001; working in-process\n',
    ],
    ['does not answer (stopped or hung)', () => new AgentUnresponsive(1500), 'rolecall: the Rolecall agent did not answer within 1.5 s (stopped or hung?); working without it\n'],
    [
      'cannot reach the keychain this caller can',
      () => new RolecallError('the keychain is locked', 'keychain'),
      'rolecall: the Rolecall agent cannot reach the keychain (the keychain is locked); working in-process (restart it from this shell: rolecall agent stop)\n',
    ],
  ])('says so once and works in-process, neither asking it again nor starting another, when it %s', async (_what, error, said) => {
    fake.agent.push(async () => {
      throw error();
    });
    fake.agent.push(async () => fromAgent);
    expect(await run(['dev'])).toEqual({ code: 0, out: json(fromBroker), err: said });
    expect(fake.asked).toHaveLength(1);
    expect(fake.started).toEqual([]);
    expect(fake.inProcess).toHaveLength(1);
  });

  it('still serves the keychain cache after saying so', async () => {
    fake.agent.push(async () => {
      throw new AgentUnresponsive(1500);
    });
    fake.cached = fromCache;
    const r = await run(['dev']);
    expect(r.out).toBe(json(fromCache));
    expect(fake.inProcess).toEqual([]);
  });

  it("lets the agent's keychain error stand when this caller cannot reach the keychain either", async () => {
    fake.keychainReachable = false;
    fake.agent.push(async () => {
      throw new RolecallError('the keychain is locked', 'keychain', 'unlock it');
    });
    expect(await run(['dev'])).toEqual({ code: 1, out: '', err: "rolecall: profile 'dev': the keychain is locked; unlock it\n" });
    expect({ started: fake.started, inProcess: fake.inProcess }).toEqual({ started: [], inProcess: [] });
  });
});

describe('credential-process and MFA codes at a terminal', () => {
  const needsCode = () => new RolecallError("profile 'dev' needs an MFA code from arn:aws:iam::1:mfa/a", 'mfa-required', 'pass --mfa-code CODE');
  const refused = () => new RolecallError('AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code', 'access-denied', MFA_CODE_REFUSED_HINT);

  it("asks for a code when the agent's broker needs one, and asks the agent again with it", async () => {
    fake.agent.push(async () => {
      throw needsCode();
    });
    fake.agent.push(async () => fromAgent);
    const r = await run(['dev'], { codes: ['123456'] });
    expect(r).toEqual({ code: 0, out: json(fromAgent), err: "MFA code for profile 'dev': 123456\n" });
    expect(fake.asked.map((a) => a.req.mfaCode)).toEqual([undefined, '123456']);
  });

  it('says why when AWS refused the code given, and asks for the next one', async () => {
    fake.agent.push(async () => {
      throw refused();
    });
    fake.agent.push(async () => fromAgent);
    const r = await run(['dev', '--mfa-code', '111111'], { codes: ['222222'] });
    expect(r).toEqual({
      code: 0,
      out: json(fromAgent),
      err: "rolecall: AWS refused that MFA code: each code works once, and it was already used; enter the next one\nMFA code for profile 'dev': 222222\n",
    });
    expect(fake.asked.map((a) => a.req.mfaCode)).toEqual(['111111', '222222']);
  });

  it('gives up after three codes AWS refused, with the refusal', async () => {
    for (let i = 0; i < 5; i++) {
      fake.agent.push(async () => {
        throw refused();
      });
    }
    const r = await run(['dev', '--mfa-code', '111111'], { codes: ['222222', '333333', '444444', '555555'] });
    expect(fake.asked.map((a) => a.req.mfaCode)).toEqual(['111111', '222222', '333333', '444444']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.match(/MFA code for profile 'dev': /g)).toHaveLength(3);
    expect(r.err.endsWith(`rolecall: profile 'dev': AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code; ${MFA_CODE_REFUSED_HINT}\n`)).toBe(true);
  });

  it('lets a refusal stand without a terminal', async () => {
    fake.agent.push(async () => {
      throw refused();
    });
    const r = await run(['dev', '--mfa-code', '111111']);
    expect(r).toEqual({ code: 1, out: '', err: `rolecall: profile 'dev': AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code; ${MFA_CODE_REFUSED_HINT}\n` });
    expect(fake.asked).toHaveLength(1);
  });
});
