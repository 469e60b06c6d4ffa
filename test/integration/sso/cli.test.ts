// The built `rolecall` CLI for Identity Center, as a person at a terminal uses it: sign in (the
// test plays the browser from what the CLI prints), sync, status, sign out; bad input refused
// with one line and nothing written.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approve } from '../../sandbox/browser';
import { filesUnder, useCliBuild, type RunResult } from '../cli/harness';
import { ACME, ALICE, orgOf, printedDeviceUrl, startSsoHarness, type SsoHarness } from './harness';

const build = useCliBuild();
let h: SsoHarness;
beforeEach(async () => {
  h = await startSsoHarness(orgOf(2));
});
afterEach(() => h.close());

/** Starts `rolecall ARGS`; `stderr` grows as it prints, `done` resolves when it exits. */
function rolecall(args: string[]) {
  const home = path.dirname(path.dirname(path.dirname(h.paths.awsSsoCacheDir)));
  const child = spawn(process.execPath, [build().script, ...args], { env: { ...h.env, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: [] as string[] };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => out.stderr.push(...d.split('\n').filter(Boolean)));
  const done = new Promise<RunResult>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout: out.stdout, stderr: out.stderr.join('\n') })));
  return { stderr: out.stderr, done };
}
const run = (...args: string[]) => rolecall(args).done;

async function waitFor(lines: string[], pattern: RegExp): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const m = lines.map((l) => pattern.exec(l)).find(Boolean);
    if (m) return m[0];
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never printed ${pattern}: ${lines.join(' | ')}`);
}

describe('rolecall login sso / sync / logout', () => {
  it('signs in with --no-browser, syncs, shows status and signs out, never printing a token', async () => {
    const login = rolecall(['login', 'sso', '--start-url', ACME, '--region', 'us-east-1', '--no-browser']);
    await approve(await waitFor(login.stderr, /http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/), ALICE);
    const signedIn = await login.done;
    expect(signedIn).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Signed in to acme \(access token valid until \S+Z\)\n$/) });
    const { accessToken, refreshToken } = JSON.parse((await h.secrets.get('sso-token/acme')) ?? '{}') as Record<string, string>;

    const sync = await run('sync');
    expect(sync).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^acme: 2 accounts, 6 roles; 6 profiles added, 0 removed \(\d+\.\d s\)\nTo use them from AWS tools \(aws --profile NAME\): rolecall config write\n$/) });
    expect((await h.state.load()).profiles.map((p) => p.name)).toContain('team-0000/Admin');
    expect((await run('sso', 'status')).stdout).toMatch(/^acme\thttps:\/\/acme\.awsapps\.com\/start\tus-east-1\tsigned in until \S+Z\n$/);

    expect(await run('logout')).toEqual({ code: 0, stdout: 'Signed out of acme\n', stderr: '' });
    expect((await run('sso', 'status')).stdout).toBe(`acme\t${ACME}\tus-east-1\tsign in again: rolecall login sso acme\n`);
    expect(await run('sync', 'acme')).toEqual({
      code: 1, stdout: '', stderr: 'rolecall: not signed in to the Identity Center instance acme; sign in again; run: rolecall login sso acme',
    });

    const everything = [signedIn.stdout, signedIn.stderr, sync.stdout, ...(await filesUnder(path.dirname(h.paths.dataDir))).map((f) => f.text)].join('\n');
    for (const secret of [accessToken, refreshToken]) expect(everything).not.toContain(secret);
  });

  it('signs in with a device code printed on stderr', async () => {
    const login = rolecall(['login', 'sso', 'acme', '--start-url', ACME, '--region', 'us-east-1', '--device-code', '--no-browser']);
    await approve(await printedDeviceUrl(login.stderr), ALICE);
    expect(await login.done).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Signed in to acme /) });
    expect(login.stderr.join('\n')).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/device and enter the code: [A-Z0-9]{4}-[A-Z0-9]{4}/);
  });

  it('refuses bad input with one line and writes nothing', async () => {
    const cases: [string[], string][] = [
      [['login', 'sso'], 'rolecall: which Identity Center instance?; run: rolecall login sso NAME, or give --start-url URL --region REGION'],
      [['login', 'sso', 'acme'], "rolecall: the Identity Center instance 'acme' is new to Rolecall; give its --start-url and --region"],
      [['login', 'sso', '--start-url', 'acme.awsapps.com', '--region', 'us-east-1'], 'rolecall: login sso (startUrl): Invalid URL'],
      [['login', 'sso', '--start-url', 'http://acme.awsapps.com/start', '--region', 'us-east-1'], 'rolecall: login sso: the start URL must be an https:// URL'],
      [['login', 'sso', '--start-url', ACME, '--region', 'Mars'], 'rolecall: login sso (region): a region looks like us-east-1'],
      [['login', 'sso', '--name', 'a;b', '--start-url', ACME, '--region', 'us-east-1'], expect.stringMatching(/^rolecall: invalid Identity Center instance name "a;b": /) as unknown as string],
      [['login', 'sso', 'acme', '--name', 'other'], "rolecall: login sso: the instance is named twice ('acme' and --name 'other'); give one name"],
      [['logout', 'nobody'], "rolecall: no Identity Center instance named 'nobody'; run: rolecall login sso --start-url URL --region REGION --name NAME"],
    ];
    for (const [args, stderr] of cases) {
      const r = await run(...args);
      expect(r.stderr).toEqual(stderr);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(args[0] === 'logout' ? 1 : 2);
    }
    expect(await readFile(h.paths.stateFile, 'utf8').catch(() => 'absent')).toBe('absent');
    expect(h.sandbox.knobs.count('sso-oidc:RegisterClient')).toBe(0);
  });
});
