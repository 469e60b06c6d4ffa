// Sharing a sign-in with the real AWS CLI through ~/.aws/sso/cache: a token `aws sso login`
// wrote is picked up, and with the opt-in setting Rolecall's token is one the CLI can use.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approve } from '../../sandbox/browser';
import { ACME, ALICE, orgOf, startSsoHarness, type SsoHarness } from './harness';

const SCRIPT = fileURLToPath(new URL('./aws-cli.py', import.meta.url));
let h: SsoHarness;
beforeEach(async () => {
  h = await startSsoHarness(orgOf(2));
});
afterEach(() => h.close());

const home = () => path.dirname(path.dirname(path.dirname(h.paths.awsSsoCacheDir)));
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Runs the AWS CLI's Python with the test's home; calls onLine for each stdout line. */
function awsCli(args: string[], onLine: (line: string) => void = () => undefined): Promise<string> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home(), AWS_CONFIG_FILE: path.join(home(), 'config') };
  const child = spawn('/usr/bin/python3', [SCRIPT, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const l of d.toString().split('\n')) if (l.trim()) onLine(l.trim());
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`aws-cli.py ${args[0]} exited ${code}: ${err}`)))));
}

async function awsSsoLogin(sessionName?: string): Promise<void> {
  const approvals: Promise<unknown>[] = [];
  await awsCli(['login', h.sandbox.url, ACME, 'us-east-1', ...(sessionName ? [sessionName] : [])], (line) => {
    if (line.startsWith('http')) approvals.push(approve(line, ALICE));
  });
  await Promise.all(approvals);
}

describe('the AWS CLI token cache', () => {
  it('picks up sign-ins made by `aws sso login`, keyed by sso-session name and by start URL (legacy)', async () => {
    await h.state.update((s) => {
      s.ssoSessions.push({ name: 'corp', startUrl: ACME, region: 'us-east-1' }, { name: 'legacy', startUrl: ACME, region: 'us-east-1' });
    });
    // The CLI polls twice back to back and then waits out a slow_down: run both sign-ins at once.
    // Two CLIs creating the cache dir at the same moment race in botocore's own makedirs
    // (FileExistsError): the dir is there already, as after any earlier sign-in.
    await mkdir(h.paths.awsSsoCacheDir, { recursive: true });
    await Promise.all([awsSsoLogin('corp'), awsSsoLogin()]);
    for (const [name, key] of [['corp', 'corp'], ['legacy', ACME]] as const) {
      const cached = JSON.parse(await readFile(path.join(h.paths.awsSsoCacheDir, `${sha1(key)}.json`), 'utf8')) as { accessToken: string; expiresAt: string };
      expect(cached.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/); // the CLI's format, no fraction
      expect((await h.manager.accessToken(name)).accessToken).toBe(cached.accessToken);
      expect(await h.manager.status(name)).toMatchObject({ state: 'signed-in', source: 'aws-cli' });
    }
    expect((await h.manager.sync('corp')).roles).toBe(6);
    expect(h.opened).toEqual([]); // no sign-in of Rolecall's own
    expect(h.sandbox.knobs.count('sso-oidc:StartDeviceAuthorization')).toBe(2);
  }, 30_000);

  it('writes nothing there by default; with writeAwsCliSsoCache on, the AWS CLI uses Rolecall\'s sign-in', async () => {
    await h.manager.login({ startUrl: ACME, region: 'us-east-1' });
    expect(await readdir(h.paths.awsSsoCacheDir).catch(() => [])).toEqual([]);

    await h.state.update((s) => void (s.settings.writeAwsCliSsoCache = true));
    await h.manager.login({ name: 'acme' });
    const { accessToken } = await h.manager.accessToken('acme');
    const file = path.join(h.paths.awsSsoCacheDir, `${sha1('acme')}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    const record = JSON.parse((await h.secrets.get('sso-token/acme')) ?? '{}') as { refreshToken: string; clientSecret: string };
    expect(text).not.toContain(record.refreshToken);
    expect(text).not.toContain(record.clientSecret);

    await writeFile(path.join(home(), 'config'), `[profile dev]\nsso_session = acme\n\n[sso-session acme]\nsso_start_url = ${ACME}\nsso_region = us-east-1\n`);
    expect((await awsCli(['token', 'dev'])).trim()).toBe(sha256(accessToken));

    // Signing out takes it away again.
    await h.manager.logout('acme');
    expect(await readdir(h.paths.awsSsoCacheDir)).toEqual([]);
  }, 30_000);
});
