// `rolecall serve --web`: the built CLI starts the agent and the web bridge over one core, and
// prints the address with the token in its fragment only; the page itself carries no token.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileView } from '../../../src-shared/api';
import { addAliceWithReadOnly, repoRoot, useCliHarness } from '../cli/harness';

const h = useCliHarness((x) => addAliceWithReadOnly(x, 'us-east-1'));

/** Starts `rolecall serve ARGS` and waits until its stderr matches `ready`. */
function serve(args: string[], ready: RegExp) {
  const child = spawn(process.execPath, [h().script, 'serve', ...args], { env: h().env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const started = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = ready.exec(stderr);
      if (m) resolve(m);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
  });
  started.catch(() => undefined);
  return { started, exited, output: () => ({ stdout, stderr }), kill: () => child.kill('SIGTERM') };
}

describe('rolecall serve --web', () => {
  it('serves the API over the same core, the token only in the printed fragment', async () => {
    const s = serve(['--web'], /web UI on (http:\/\/127\.0\.0\.1:\d+\/)#token=([0-9a-f]{64}) /);
    try {
      const [, url, token] = await s.started;
      const post = (method: string, args: unknown[], auth = `Bearer ${token}`) =>
        fetch(new URL(`api/${method}`, url), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: auth }, body: JSON.stringify({ args }) });
      const list = await post('listProfiles', []);
      expect(list.status).toBe(200);
      expect(ProfileView.array().parse(((await list.json()) as { result: unknown }).result).map((p) => p.name)).toEqual(['alice', 'dev/ReadOnly']);
      const started = (await (await post('startSession', ['dev/ReadOnly'])).json()) as { result: ProfileView };
      expect(started.result.expiresAt).toMatch(/Z$/);
      expect((await post('listProfiles', [], 'Bearer nope')).status).toBe(401);
      // The agent in the same process holds that session: the CLI gets it without another AssumeRole.
      expect((await h().rolecall(['credential-process', 'dev/ReadOnly'], { secretOutput: true })).code).toBe(0);
      expect(h().sandbox.knobs.count('sts:AssumeRole')).toBe(1);

      const page = await fetch(url!);
      if (existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))) {
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      } else {
        expect(page.status).toBe(404);
      }
      expect(await page.text()).not.toContain(token);

      expect((await h().rolecall(['agent', 'stop'])).code).toBe(0);
      expect(await s.exited).toBe(0);
      const { stdout, stderr } = s.output();
      expect(stdout).toBe('');
      expect(stderr.split(token!).length - 1).toBe(1);
      expect(stderr).toContain(`rolecall: agent listening on ${h().core.paths.agentSocket} (Ctrl-C to stop)\n`);
    } finally {
      s.kill();
    }
  });

  it('keeps ~/.aws/config following the profiles the page changes while writeAwsConfig is on, as the app does, and writes at once when it is turned on again', async () => {
    const s = serve(['--web'], /web UI on (http:\/\/127\.0\.0\.1:\d+\/)#token=([0-9a-f]{64}) /);
    try {
      const [, url, token] = await s.started;
      const post = async (method: string, args: unknown[]) => {
        const r = await fetch(new URL(`api/${method}`, url), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ args }) });
        expect(r.status, `${method}: ${await r.clone().text()}`).toBe(200);
        return ((await r.json()) as { result: unknown }).result;
      };
      const config = h().env.AWS_CONFIG_FILE!;
      const regionOf = async () => (await h().run('/usr/bin/aws', ['configure', 'get', 'region', '--profile', 'dev/ReadOnly'])).stdout.trim();
      await post('listProfiles', []);
      await post('editProfile', ['dev/ReadOnly', { region: 'eu-west-1' }]);
      await expect.poll(regionOf, { timeout: 15_000 }).toBe('eu-west-1');
      // A real AWS client runs the line written there and gets the role.
      const aws = await h().run('/usr/bin/aws', ['--profile', 'dev/ReadOnly', 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--query', 'Arn', '--output', 'text']);
      expect(aws.stdout.trim()).toMatch(/^arn:aws:sts::444455556666:assumed-role\/ReadOnly\//);

      await post('saveSettings', [{ writeAwsConfig: false }]);
      await post('editProfile', ['dev/ReadOnly', { region: 'us-west-2' }]);
      expect((await post('listProfiles', [])) as { name: string; region: string | null }[]).toContainEqual(expect.objectContaining({ name: 'dev/ReadOnly', region: 'us-west-2' }));
      const before = await readFile(config, 'utf8');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await readFile(config, 'utf8')).toBe(before);
      expect(await regionOf()).toBe('eu-west-1');
      await post('saveSettings', [{ writeAwsConfig: true }]);
      await expect.poll(regionOf, { timeout: 15_000 }).toBe('us-west-2');
      expect(s.output().stderr).not.toContain('AWS config not written');
      expect((await h().rolecall(['agent', 'stop'])).code).toBe(0);
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
  });

  it('takes --port, and refuses a bad one or --port without --web', async () => {
    expect(await h().rolecall(['serve', '--port', '8080'])).toMatchObject({ code: 2, stderr: 'rolecall: --port goes with --web\n' });
    expect(await h().rolecall(['serve', '--web', '--port', '70000'])).toMatchObject({ code: 2, stderr: 'rolecall: --port: expected a port number 1-65535, got "70000"\n' });
    expect(await serve(['--web', '--port', '0'], /never/).exited).toBe(2);

    const free = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const s = serve(['--web', '--port', String(free)], /web UI on (\S+)#token=/);
    try {
      expect((await s.started)[1]).toBe(`http://127.0.0.1:${free}/`);
      expect((await h().rolecall(['agent', 'stop'])).code).toBe(0);
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
  });
});
