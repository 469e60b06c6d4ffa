// Bad-input corpus through the built `rolecall`, as a user runs it: hostile ~/.aws/config,
// state.json, ~/.aws/sso/cache files and arguments (garbage bytes, truncated JSON, 5 MB lines,
// NUL bytes, deep nesting, unbalanced markers, duplicate sections, CRLF, planted secrets) under
// `config write`, `config import`, `list`, `profile add` and `credential-process`. Each run
// either works, changing only what that command owns, or exits non-zero with one or two short
// lines on stderr and no stack trace; no output ever holds a planted secret, and after a refusal
// every file under HOME and ROLECALL_HOME is byte for byte as before.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Entry } from '@napi-rs/keyring';
import { awsCallerSettings, awsSettingsKey } from '../../../src-main/core/aws/caller-settings';
import { resolvePaths } from '../../../src-main/core/paths';
import { sessionEntryName } from '../../../src-main/core/secrets/keychain-layout';
import { cacheFileName } from '../../../src-main/core/sso/aws-cli-cache';
import { findManagedBlock } from '../../../src-main/core/files/aws-ini';
import { runProgram, useCliBuild, type RunResult } from '../cli/harness';
import { count, hostileIni, hostileJson, iniAroundMarkers, leakedSecret, nearMissName, SECRETS, stateLike } from '../../helpers/corpus';

const build = useCliBuild();

// AWS for the runs that get that far: every call refused at once (403, never retried), so no
// case waits on a network and none reaches real AWS; or, when a case sets portalAnswer, the
// Identity Center portal's GetRoleCredentials answers with it.
let aws: Server;
let awsUrl: string;
let portalAnswer: string | undefined;
beforeAll(async () => {
  aws = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (portalAnswer !== undefined && req.url?.startsWith('/federation/credentials')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(portalAnswer);
      }
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnauthorizedException' });
      res.end('{"message":"Session token not found or invalid"}');
    });
  });
  await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
  awsUrl = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => aws.close(() => resolve())));

interface Case {
  root: string;
  home: string;
  data: string;
  config: string;
  state: string;
  ssoCache: string;
  env: NodeJS.ProcessEnv;
}

async function newCase(): Promise<Case> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'rolecall-corpus-cli-'));
  const home = path.join(root, 'home');
  const data = path.join(root, 'data');
  await mkdir(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
  await mkdir(data, { recursive: true });
  // The keyring's D-Bus address and PATH are kept; every AWS and Rolecall setting is the case's own.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|ROLECALL_)/.test(k)));
  const config = path.join(home, '.aws', 'config');
  return {
    root, home, data, config,
    state: path.join(data, 'state.json'),
    ssoCache: path.join(home, '.aws', 'sso', 'cache'),
    env: {
      ...inherited, HOME: home, ROLECALL_HOME: data, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
      AWS_ENDPOINT_URL: awsUrl, AWS_REGION: 'eu-west-1', ROLECALL_NO_AUTOSTART: '1',
    },
  };
}

/** Every file under the case's HOME and ROLECALL_HOME, by path, with a hash of its bytes. */
async function snapshot(c: Case): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(c.root, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out.set(path.relative(c.root, file), createHash('sha256').update(await readFile(file)).digest('hex'));
  }
  return out;
}

/** Files that differ between two snapshots (added, removed or changed). */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

const figures = { runs: 0, refused: 0, accepted: 0, damaged: 0, secrets: 0 };

/**
 * Runs `rolecall args` in the case; checks what every run must hold and, for a refusal, that no
 * file changed. `owned`: files (relative to the case root) the command may change when it works.
 */
async function run(c: Case, args: string[], owned: string[], extra: { accept?: (r: RunResult) => void } = {}): Promise<RunResult> {
  const before = await snapshot(c);
  const r = await runProgram(process.execPath, [build().script, ...args], { env: c.env, timeoutMs: 20_000 });
  const diff = changed(before, await snapshot(c));
  figures.runs++;
  const label = `rolecall ${args.map((a) => (a.length > 40 ? `${a.slice(0, 40)}...(${a.length})` : a)).join(' ')}`;
  const leaked = leakedSecret(r.stdout + r.stderr);
  if (leaked) figures.secrets++;
  expect(leaked, `${label}: a planted secret in the output`).toBeUndefined();
  expect(r.stderr, `${label}: no stack trace`).not.toMatch(/\n\s+at |^\s+at /m);
  // eslint-disable-next-line no-control-regex -- a lone CR overwrites the line, ESC steers the terminal
  expect(r.stderr, `${label}: no carriage return or escape sequence`).not.toMatch(/\r|\u001b/);
  expect(r.code, `${label}: killed or crashed`).toBeGreaterThanOrEqual(0);
  if (r.code !== 0) {
    figures.refused++;
    if (diff.length) figures.damaged++;
    expect(diff, `${label} exited ${r.code} (${r.stderr.trim()}) but changed files`).toEqual([]);
    expect(r.stderr.length, `${label}: a short message, got ${JSON.stringify(r.stderr.slice(0, 300))}`).toBeLessThan(500);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length, `${label}: one or two lines`).toBeGreaterThanOrEqual(1);
    expect(lines.length, `${label}: one or two lines, got ${JSON.stringify(r.stderr.slice(0, 300))}`).toBeLessThanOrEqual(2);
    expect(lines[0], `${label}: says it is rolecall`).toMatch(/^rolecall: /);
  } else {
    figures.accepted++;
    const foreign = diff.filter((f) => !owned.includes(f));
    if (foreign.length) figures.damaged++;
    expect(foreign, `${label} worked but changed files it does not own`).toEqual([]);
    extra.accept?.(r);
  }
  return r;
}

const rel = (c: Case, file: string) => path.relative(c.root, file);
/** What `config write` may change when it works: the AWS config (and its backup), and the data dir's launcher. */
const configWriteOwns = (c: Case) => [rel(c, c.config), rel(c, c.config + '.rolecall.bak'), 'data/bin/rolecall', 'data/bin/rolecall-credential-process'];

/** What a command reports on success is for reading: no line is longer than a few names and a reason. */
function expectShortLines(stdout: string): void {
  const long = stdout.split('\n').find((l) => l.length > 600);
  expect(long, `a long line on stdout: ${JSON.stringify(long?.slice(0, 200))}...`).toBeUndefined();
  expect(stdout, 'no carriage return on stdout').not.toMatch(/\r/);
}

// Hostile texts for whole files, with the large cases the generators rarely make.
const FIVE_MB = 5 * 1024 * 1024;
const hugeConfigs = [
  () => `[default]\nregion = ${'x'.repeat(FIVE_MB)}\n`,
  () => `[profile ${'a'.repeat(FIVE_MB)}]\nregion = eu-west-1\n`,
  () => `[default]\r\nregion = eu-west-1\r\n\u0000\u0000\u0000\r\n[default]\r\nregion = us-east-1\r\n`,
  () => `# BEGIN ROLECALL\n[profile acme/Admin]\ncredential_process = x\n# BEGIN ROLECALL\n# END ROLECALL\n`,
  () => `[profile dev]\nregion = eu-west-1\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = dev\n`,
  () => `\uFEFF[default]\r\naws_secret_access_key = ${SECRETS[0]}\r\n# END ROLECALL\r\n`,
];
const hugeStates = [
  () => JSON.stringify({ version: 1, profiles: [], pad: 'x'.repeat(FIVE_MB) }),
  () => '['.repeat(200_000) + ']'.repeat(200_000),
  () => `{"version":1,"profiles":[{"kind":"iam-user","name":"dev","accessKeyId":"AKIAIOSFODNN7EXAMPLE","secretAccessKey":"${SECRETS[0]}"`,
  () => `{"version":1,"profiles":[]}\u0000\u0000`,
  () => JSON.stringify({ version: 1, profiles: [{ kind: 'iam-user', name: 'dev', accessKeyId: SECRETS[0] }] }),
];

const configText = fc.oneof(hostileIni, iniAroundMarkers);
const stateText = hostileJson(stateLike);

const VALID_STATE = JSON.stringify({
  version: 1,
  profiles: [{ kind: 'sso-role', name: 'acme/Admin', ssoSession: 'acme', accountId: '123456789012', roleName: 'Admin' }],
  ssoSessions: [{ name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' }],
});

const RUNS = 16;
const opts = { numRuns: RUNS, endOnFailure: true };

describe('rolecall over hostile files and arguments', () => {
  afterAll(() => {
    console.log(`bad-input corpus (CLI): ${figures.runs} runs: ${figures.refused} refused, ${figures.accepted} accepted, ${figures.damaged} with files damaged, ${figures.secrets} with a secret in the output`);
  });

  it('config write over a hostile ~/.aws/config keeps every byte outside its block, or refuses changing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(configText, async (text) => {
        count('CLI config write, hostile config');
        const c = await newCase();
        try {
          await writeFile(c.state, VALID_STATE);
          const before = Buffer.from(text);
          await writeFile(c.config, before);
          await run(c, ['config', 'write'], configWriteOwns(c), {
            // Accepted: the file had no broken markers; the block went in and nothing else moved.
            accept: () => undefined,
          });
          const after = await readFile(c.config);
          if (!after.equals(before)) {
            const t = before.toString('latin1');
            const bom = t.startsWith('\xef\xbb\xbf') ? 3 : 0;
            const old = findManagedBlock(t.slice(bom), 'x');
            const head = old ? before.subarray(0, old.start + bom) : before;
            const tail = old ? before.subarray(old.end + bom) : Buffer.alloc(0);
            expect(after.subarray(0, head.length).equals(head)).toBe(true);
            expect(after.subarray(after.length - tail.length).equals(tail)).toBe(true);
          }
        } finally {
          await rm(c.root, { recursive: true, force: true });
        }
      }),
      opts,
    );
  });

  it('config write, list and credential-process over a hostile state.json refuse it changing nothing (or work when it is valid)', async () => {
    await fc.assert(
      fc.asyncProperty(stateText, fc.constantFrom('config write', 'list', 'credential-process'), async (text, command) => {
        count('CLI over hostile state.json');
        const c = await newCase();
        try {
          await writeFile(c.state, text);
          await writeFile(c.config, '[default]\nregion = eu-west-1\n');
          const args = command === 'credential-process' ? ['credential-process', '--profile', 'dev'] : command.split(' ');
          // credential-process never succeeds here: no profile has credentials to give.
          const r = await run(c, args, command === 'config write' ? [rel(c, c.config), rel(c, c.config + '.rolecall.bak')] : []);
          if (command === 'credential-process') expect(r.code).not.toBe(0);
        } finally {
          await rm(c.root, { recursive: true, force: true });
        }
      }),
      { ...opts, numRuns: 24 },
    );
  });

  // The large and odd files every run should meet, not only when the generators happen on them.
  it.each(hugeConfigs.map((f, i) => [i, f] as const))('config write and import over special config file %i', async (_i, make) => {
    for (const command of [['config', 'write'], ['config', 'import']]) {
      count('CLI special config files');
      const c = await newCase();
      try {
        await writeFile(c.state, VALID_STATE);
        await writeFile(c.config, make());
        const r = await run(c, command, command[1] === 'write' ? configWriteOwns(c) : [rel(c, c.state)]);
        expectShortLines(r.stdout);
      } finally {
        await rm(c.root, { recursive: true, force: true });
      }
    }
  });

  it.each(hugeStates.map((f, i) => [i, f] as const))('list, config write and credential-process over special state file %i', async (_i, make) => {
    for (const command of [['list'], ['config', 'write'], ['credential-process', 'dev']]) {
      count('CLI special state files');
      const c = await newCase();
      try {
        await writeFile(c.state, make());
        const r = await run(c, command, command[1] === 'write' ? configWriteOwns(c) : []);
        if (command[0] === 'credential-process') expect(r.code).not.toBe(0);
      } finally {
        await rm(c.root, { recursive: true, force: true });
      }
    }
  });

  it('config import of a hostile ~/.aws/config touches only state.json, never copies a secret, or refuses changing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(configText, hostileIni, async (config, credentials) => {
        count('CLI config import, hostile config');
        const c = await newCase();
        try {
          await writeFile(c.config, config);
          await writeFile(c.env.AWS_SHARED_CREDENTIALS_FILE!, credentials);
          const r = await run(c, ['config', 'import'], [rel(c, c.state)]);
          if (r.code === 0) {
            expect(r.stdout).toMatch(/^Imported \d+ profile/);
            expectShortLines(r.stdout);
            const state = await readFile(c.state, 'utf8').catch(() => '');
            expect(leakedSecret(state), 'state.json holds no secret').toBeUndefined();
          }
        } finally {
          await rm(c.root, { recursive: true, force: true });
        }
      }),
      opts,
    );
  });

  it('profile add with hostile names, sources and ARNs: added when valid, else refused changing nothing', async () => {
    const arn = fc.oneof(
      fc.constantFrom('arn:aws:iam::123456789012:role/R', 'arn:aws:iam::123456789012:role/R\n', 'arn:aws:iam::12345678901:role/R', 'arn:aws:s3:::b', `arn:aws:iam::123456789012:role/${'r'.repeat(100_000)}`),
      fc.string({ maxLength: 60 }),
    );
    // Arguments cannot hold NUL, and a leading "-" is an option.
    const arg = (a: fc.Arbitrary<string>) => a.filter((n) => !n.includes('\u0000') && !n.startsWith('-'));
    await fc.assert(
      fc.asyncProperty(arg(fc.oneof(fc.constantFrom('dev', 'prod/Admin', 'p'.repeat(100_000), 'a\rb'), nearMissName)), arg(fc.oneof(fc.constantFrom('acme/Admin', 'missing', ''), nearMissName)), arg(arn), async (profile, source, roleArn) => {
        count('CLI profile add, hostile arguments');
        const c = await newCase();
        try {
          await writeFile(c.state, VALID_STATE);
          await run(c, ['profile', 'add', profile, '--source', source, '--role-arn', roleArn], [rel(c, c.state)]);
        } finally {
          await rm(c.root, { recursive: true, force: true });
        }
      }),
      { ...opts, numRuns: 24 },
    );
  });

  it("credential-process over a hostile session entry in the keychain: the entry's credentials when it is well-formed and fresh, else refused changing no file", async () => {
    const when = fc.oneof(
      fc.constantFrom(new Date(Date.now() + 3600_000).toISOString(), new Date(Date.now() - 60_000).toISOString(), '2030-02-30T00:00:00Z', 'soon', ''),
      fc.string({ maxLength: 25 }),
    );
    const entry = fc.record(
      {
        accessKeyId: fc.oneof(fc.constant('ASIAIOSFODNN7EXAMPLE'), fc.anything()),
        secretAccessKey: fc.oneof(fc.constant('cached/secret'), fc.anything()),
        sessionToken: fc.oneof(fc.constant('cached-token'), fc.integer()),
        expiration: when,
        refreshAt: when,
        credentialType: fc.constantFrom('role', 'iam-user', 'Role', 7),
      },
      { requiredKeys: [] },
    );
    const VALID_ENTRY = {
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 'cached/secret', sessionToken: 'cached-token',
      expiration: new Date(Date.now() + 3600_000).toISOString(), refreshAt: new Date(Date.now() + 1800_000).toISOString(), credentialType: 'role',
    };
    await fc.assert(
      // No secret planted at random: a well-formed entry's values are printed, by design.
      fc.asyncProperty(fc.oneof(hostileJson(entry, { plant: false }), fc.constant(JSON.stringify(VALID_ENTRY))), async (text) => {
        count('CLI credential-process, hostile keychain session entry');
        const c = await newCase();
        const keychain = new Entry(resolvePaths(c.env).keychainService, sessionEntryName('acme/Admin', awsSettingsKey(awsCallerSettings(c.env))), { linux: { store: 'secret-service' } });
        try {
          await writeFile(c.state, VALID_STATE);
          keychain.setPassword(text);
          await run(c, ['credential-process', '--profile', 'acme/Admin'], [], {
            accept: (r) => {
              const out = JSON.parse(r.stdout) as Record<string, unknown>;
              expect(out.Version).toBe(1);
              expect(out.AccessKeyId).toBe((JSON.parse(text) as Record<string, unknown>).accessKeyId);
            },
          });
        } finally {
          keychain.deletePassword();
          await rm(c.root, { recursive: true, force: true });
        }
      }),
      { ...opts, numRuns: 12 },
    );
  });

  it('credential-process against a hostile Identity Center portal: well-formed credentials, or refused changing no file', async () => {
    const fresh = new Date(Date.now() + 3600_000);
    // Keys of any type and expiries of any kind, the past included ("secretAccessKey":{} and
    // "expiration":1 once got exit 0 with that printed).
    const credentials = fc.record(
      {
        accessKeyId: fc.oneof(fc.constant('ASIAIOSFODNN7EXAMPLE'), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })),
        secretAccessKey: fc.oneof(fc.constant('issued/secret'), fc.string({ maxLength: 20 }), fc.constantFrom({}, [], 0, true), fc.jsonValue({ maxDepth: 2 })),
        sessionToken: fc.oneof(fc.constant('issued-token'), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })),
        expiration: fc.oneof(fc.constant(fresh.getTime()), fc.constantFrom(' ', 'soon', 1e300, null, 'x'.repeat(100_000), 1, 0, -1, Date.now() - 60_000, String(fresh.getTime())), fc.integer()),
      },
      { requiredKeys: [] },
    );
    const wellFormed = JSON.stringify({ roleCredentials: { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 'issued/secret', sessionToken: 'issued-token', expiration: fresh.getTime() } });
    await fc.assert(
      // Mostly whole answers of that shape (hostileJson alone reaches it about one run in twelve).
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: fc.record({ roleCredentials: credentials }).map((v) => JSON.stringify(v)) }, hostileJson(fc.record({ roleCredentials: credentials }), { plant: false }), fc.constant(wellFormed)), async (answer) => {
        count('CLI credential-process, hostile SSO portal answers');
        const c = await newCase();
        try {
          await writeFile(c.state, VALID_STATE);
          // A sign-in made with the AWS CLI, so the profile gets as far as GetRoleCredentials.
          const token = { startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1', accessToken: SECRETS[2], expiresAt: fresh.toISOString().replace(/\.\d{3}Z$/, 'Z') };
          await writeFile(path.join(c.ssoCache, cacheFileName('acme')), JSON.stringify(token));
          portalAnswer = answer;
          await run(c, ['credential-process', '--profile', 'acme/Admin'], [], {
            accept: (r) => {
              const out = JSON.parse(r.stdout) as Record<string, unknown>;
              expect(out.Version).toBe(1);
              expect(typeof out.AccessKeyId).toBe('string');
              expect(typeof out.SecretAccessKey, `SecretAccessKey in ${answer}`).toBe('string');
              expect(typeof out.SessionToken).toBe('string');
              expect(Date.parse(String(out.Expiration)), `Expiration in ${answer}`).toBeGreaterThan(Date.now());
            },
          });
        } finally {
          portalAnswer = undefined;
          await rm(c.root, { recursive: true, force: true });
        }
      }),
      { ...opts, numRuns: 16 },
    );
  });

  it('credential-process with a hostile AWS CLI SSO cache file and hostile profile names: refused, nothing changed, no token printed', async () => {
    const fresh = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const cached = fc.record(
      {
        startUrl: fc.constantFrom('https://acme.awsapps.com/start', 'https://acme.awsapps.com/start/', 'https://evil.example/'),
        region: fc.constantFrom('eu-west-1', 'us-east-1'),
        accessToken: fc.constantFrom(SECRETS[2], ''),
        expiresAt: fc.constantFrom(fresh, '2000-01-01T00:00:00Z', 'never'),
        refreshToken: fc.constant(SECRETS[2]),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(hostileJson(cached), fc.oneof(fc.constant('acme/Admin'), nearMissName.filter((n) => !n.includes('\u0000') && !n.startsWith('-'))), async (cacheText, profile) => {
        count('CLI credential-process, hostile SSO cache');
        const c = await newCase();
        try {
          await writeFile(c.state, VALID_STATE);
          await writeFile(path.join(c.ssoCache, cacheFileName('acme')), cacheText);
          const r = await run(c, ['credential-process', '--profile', profile], []);
          expect(r.code).not.toBe(0);
        } finally {
          await rm(c.root, { recursive: true, force: true });
        }
      }),
      opts,
    );
  });
});

// The reported inputs of issue 14, as a user meets them, with what is printed now.
describe('bugs the corpus found, pinned', () => {
  const fresh = new Date(Date.now() + 3600_000);
  const signedIn = async (c: Case) => {
    await writeFile(c.state, VALID_STATE);
    const token = { startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1', accessToken: SECRETS[2], expiresAt: fresh.toISOString().replace(/\.\d{3}Z$/, 'Z') };
    await writeFile(path.join(c.ssoCache, cacheFileName('acme')), JSON.stringify(token));
  };

  it.each([
    ['"secretAccessKey":{}', { secretAccessKey: {} }, 'secretAccessKey is not a string'],
    ['"expiration":1', { expiration: 1 }, "their expiration has passed; check this computer's clock"],
    ['"expiration":" "', { expiration: ' ' }, 'expiration is not a number of epoch milliseconds'],
  ])('credential-process when the portal answers %s: exit 1 and one line, no credentials printed', async (_, change, why) => {
    const c = await newCase();
    try {
      await signedIn(c);
      portalAnswer = JSON.stringify({ roleCredentials: { accessKeyId: 'ASIAX', secretAccessKey: 'issued/secret', sessionToken: 't', expiration: fresh.getTime(), ...change } });
      const r = await run(c, ['credential-process', '--profile', 'acme/Admin'], []);
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr: `rolecall: profile 'acme/Admin': the IAM Identity Center portal sent credentials Rolecall cannot use (sso:GetRoleCredentials: ${why}); if it persists, check what answers at ${awsUrl}\n`,
      });
    } finally {
      portalAnswer = undefined;
      await rm(c.root, { recursive: true, force: true });
    }
  });

  it('credential-process when the portal answer breaks off inside the secret key: no part of it printed', async () => {
    const c = await newCase();
    try {
      await signedIn(c);
      portalAnswer = `{"roleCredentials":{"accessKeyId":"ASIAIOSFODNN7EXAMPLE","secretAccessKey:"${SECRETS[0]}","sessionToken":"t","expiration":${fresh.getTime()}}}`;
      const r = await run(c, ['credential-process', '--profile', 'acme/Admin'], []);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`rolecall: profile 'acme/Admin': the IAM Identity Center portal sent an answer Rolecall could not read (sso:GetRoleCredentials); check what answers at ${awsUrl} (a proxy, or the AWS_ENDPOINT_URL settings)\n`);
    } finally {
      portalAnswer = undefined;
      await rm(c.root, { recursive: true, force: true });
    }
  });

  it('profile add with a 100 KB name: exit 2 and a short line with the length', async () => {
    const c = await newCase();
    try {
      await writeFile(c.state, VALID_STATE);
      const r = await run(c, ['profile', 'add', 'p'.repeat(100_000), '--source', 'acme/Admin', '--role-arn', 'arn:aws:iam::123456789012:role/R'], []);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^rolecall: invalid profile name "p{64}…" \(100000 characters\): a profile name is 1-128 characters[^\n]*\n$/);
      expect(r.stderr.length).toBeLessThan(300);
    } finally {
      await rm(c.root, { recursive: true, force: true });
    }
  });

  it('credential-process given two profiles, one of 100 KB: exit 2 and a short line', async () => {
    const c = await newCase();
    try {
      await writeFile(c.state, VALID_STATE);
      const r = await run(c, ['credential-process', 'q'.repeat(100_000), '--profile', 'acme/Admin'], []);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `rolecall: two profiles given ('${'q'.repeat(64)}… (100000 characters)' and --profile 'acme/Admin'); give one\n` });
    } finally {
      await rm(c.root, { recursive: true, force: true });
    }
  });

  it('config import of [profile <5 MB name>], and [a<ESC>[2Jb] in the credentials file: both skipped, each in one short line', async () => {
    const c = await newCase();
    try {
      await writeFile(c.config, `[profile ${'a'.repeat(FIVE_MB)}]\nregion = eu-west-1\n`);
      // The credentials file's sections may be named anything; a terminal's clear-screen is not printed.
      await writeFile(c.env.AWS_SHARED_CREDENTIALS_FILE!, '[a\u001b[2Jb]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n');
      const r = await run(c, ['config', 'import'], [rel(c, c.state)]);
      expect(r.code).toBe(0);
      const reason = 'profile name: a profile name is 1-128 characters of letters, digits and _ . + @ / -, starting with a letter or digit (no spaces, brackets, quotes, ; # $ or backticks)';
      expect(r.stdout).toBe(`Imported 0 profiles from ${c.config}\n  skipped "${'a'.repeat(64)}…" (${FIVE_MB} characters): ${reason}\n  skipped "a\\u001b[2Jb": ${reason}\n`);
    } finally {
      await rm(c.root, { recursive: true, force: true });
    }
  });
});
