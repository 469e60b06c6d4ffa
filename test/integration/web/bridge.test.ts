// The web bridge over a real core and the sandbox: the API over HTTP with the per-start token,
// the contract's checks both ways, the Host/Origin guards, static files without traversal, and
// no secret in any answer.
import http from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileView } from '../../../src-shared/api';
import { RENDERER_CSP } from '../../../src-shared/csp';
import type { Profile } from '../../../src-shared/profile';
import { createRolecallApi } from '../../../src-main/core/api';
import { ROWS_MEDIA_TYPE, decodeRows, type RowsWire } from '../../../src-shared/rows-wire';
import { startWebBridge, type WebBridge } from '../../../src-main/web/server';
import { demoOrg, startHarness, type Harness } from '../../helpers/harness';

const ALICE_KEY = demoOrg().users.find((u) => u.name === 'alice')!.accessKeys[0]!;
const alice: Profile = { name: 'alice', kind: 'iam-user', accessKeyId: ALICE_KEY.accessKeyId };
const readOnly: Profile = { name: 'dev/ReadOnly', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' };
const OUTSIDE = 'the-file-outside-the-renderer-dir';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

let h: Harness;
let tmp: string;
let rendererDir: string;
let bridge: WebBridge;
let port: number;
/** Every answer the bridge gave in the test, headers and body, for the secret check. */
let seen: string[];

/** A raw HTTP request: the path is sent as given (no URL normalization), headers as given. */
function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => {
          seen.push(JSON.stringify(res.headers), text);
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // not JSON: static files
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const call = (method: string, args: unknown, headers: Record<string, string> = {}) =>
  request({
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bridge.token}`, ...headers },
    body: JSON.stringify({ args }),
  });

async function restart(): Promise<void> {
  await bridge.close();
  bridge = await startWebBridge({ api: createRolecallApi(h.core), rendererDir });
  port = Number(new URL(bridge.url).port);
}

beforeEach(async () => {
  seen = [];
  h = await startHarness();
  await h.addProfiles(alice, readOnly);
  await h.storeIamUserKey('alice');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rolecall-web-'));
  rendererDir = path.join(tmp, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Rolecall</title></head><body><div id="root"></div></body></html>');
  await writeFile(path.join(rendererDir, 'assets', 'index-abc.js'), 'console.log("hi");');
  await writeFile(path.join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(path.join(rendererDir, 'assets', 'start-Bx_3k-9Q.js'), 'export {};');
  await writeFile(path.join(tmp, 'secret.txt'), OUTSIDE);
  await symlink(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  bridge = await startWebBridge({ api: createRolecallApi(h.core), rendererDir });
  port = Number(new URL(bridge.url).port);
});
afterEach(async () => {
  await bridge.close();
  await h.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('web bridge', () => {
  it('listens on 127.0.0.1 with a fresh 32-byte token per start', async () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(bridge.token).toMatch(/^[0-9a-f]{64}$/);
    const first = bridge.token;
    await restart();
    expect(bridge.token).not.toBe(first);
  });

  it('lists profiles over HTTP with the token', async () => {
    const r = await call('listProfiles', []);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    const views = ProfileView.array().parse(r.json.result);
    expect(views.map((v) => [v.name, v.kind, v.accountId, v.roleName, v.expiresAt])).toEqual([
      ['alice', 'iam-user', null, null, null],
      ['dev/ReadOnly', 'assume-role', '444455556666', 'ReadOnly', null],
    ]);
  });

  it('lists what another process wrote to the state since the last listing (the listing is cached, not stale)', async () => {
    expect(ProfileView.array().parse((await call('listProfiles', [])).json.result).map((v) => v.name)).toEqual(['alice', 'dev/ReadOnly']);
    // A second core over the same data dir, as the CLI would be: its writes reach this bridge's next answer.
    const cli = await h.newCore();
    await cli.state.update((s) => {
      s.profiles.push({ name: 'dev/Admin', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/Admin' });
      s.profiles.find((p) => p.name === 'dev/ReadOnly')!.region = 'eu-west-1';
    });
    const after = ProfileView.array().parse((await call('listProfiles', [])).json.result);
    // In name order, wherever the new profile sits in the file.
    expect(after.map((v) => [v.name, v.region])).toEqual([
      ['alice', null],
      ['dev/Admin', null],
      ['dev/ReadOnly', 'eu-west-1'],
    ]);
  });

  it('keeps every unchanged row the same object when another process changes one profile, and gives the changed one anew', async () => {
    // The bridge checks and writes a row's JSON once per row object: an unchanged row kept is work not redone, a changed row kept would be stale.
    const api = createRolecallApi(h.core);
    const first = await api.listProfiles();
    await (await h.newCore()).state.update((s) => {
      s.profiles.find((p) => p.name === 'dev/ReadOnly')!.alias = 'read-only';
    });
    const second = await api.listProfiles();
    expect(second).not.toBe(first);
    expect(second.find((r) => r.name === 'alice')).toBe(first.find((r) => r.name === 'alice'));
    const changed = second.find((r) => r.name === 'dev/ReadOnly')!;
    expect(changed).not.toBe(first.find((r) => r.name === 'dev/ReadOnly'));
    expect(changed.alias).toBe('read-only');
    expect(Object.isFrozen(changed)).toBe(true);
  });

  it('tells the window when another process changed the state file, and the listing it then asks for shows the change', async () => {
    const api = createRolecallApi(h.core);
    await bridge.close();
    bridge = await startWebBridge({ api, rendererDir });
    port = Number(new URL(bridge.url).port);
    expect((await call('listProfiles', [])).status).toBe(200);
    const changed = new Promise<void>((resolve) => {
      const off = api.onProfilesChanged(() => (off(), resolve()));
    });
    const cli = await h.newCore();
    await cli.state.update((s) => {
      s.profiles.find((p) => p.name === 'dev/ReadOnly')!.alias = 'read-only';
    });
    await changed;
    const rows = (await call('listProfiles', [])).json.result as { name: string; alias: string | null }[];
    expect(rows.map((r) => [r.name, r.alias])).toEqual([
      ['alice', null],
      ['dev/ReadOnly', 'read-only'],
    ]);
  });

  it("checks the core's answer even for rows it has seen: unknown keys never leave, a wrong row is a 500", async () => {
    const row = (await createRolecallApi(h.core).listProfiles())[0]!;
    let answer: unknown[] = [];
    await bridge.close();
    bridge = await startWebBridge({ api: { ...createRolecallApi(h.core), listProfiles: async () => answer as never }, rendererDir });
    port = Number(new URL(bridge.url).port);
    const leaky = Object.freeze({ ...row, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    for (let i = 0; i < 2; i++) {
      answer = [leaky, { ...row, name: 'plain', sessionToken: 'FwoGZXIvYXdzEXAMPLE' }];
      const r = await call('listProfiles', []);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain('EXAMPLE');
      expect((r.json.result as { name: string }[]).map((x) => x.name)).toEqual([row.name, 'plain']);
      // The window's compact form is checked the same way.
      const compact = await call('listProfiles', [], { Accept: ROWS_MEDIA_TYPE });
      expect([compact.status, compact.headers['content-type']]).toEqual([200, `${ROWS_MEDIA_TYPE}; charset=utf-8`]);
      expect(compact.text).not.toContain('EXAMPLE');
      expect(decodeRows(compact.json as unknown as RowsWire)).toEqual(r.json.result);
    }
    answer = [leaky, Object.freeze({ ...row, chainDepth: -1 })];
    expect((await call('listProfiles', [])).status).toBe(500);
    expect((await call('listProfiles', [], { Accept: ROWS_MEDIA_TYPE })).status).toBe(500);
  });

  it('sends the window the profile list compact, the keys said once, decoding to the same rows', async () => {
    // 10,000 rows as objects were 3 MB: most of the window's first paint went to receiving and parsing them.
    const many = Array.from({ length: 200 }, (_x, i) =>
      Object.freeze({ name: `acme-${Math.floor(i / 10)}/Role${i % 10}`, kind: 'sso-role', accountId: String(444400000000 + Math.floor(i / 10)), roleName: `Role${i % 10}`, roleArn: null, region: i === 3 ? 'eu-west-1' : null, source: 'acme', favorite: i === 7, expiresAt: null, accountName: `acme-${Math.floor(i / 10)}`, alias: null, isDefault: false, refreshAt: null, chainDepth: 0, lastUsedAt: i === 5 ? 1_700_000_000_000 : null }),
    );
    await bridge.close();
    bridge = await startWebBridge({ api: { ...createRolecallApi(h.core), listProfiles: async () => Object.freeze(many) as never }, rendererDir });
    port = Number(new URL(bridge.url).port);
    const plain = await call('listProfiles', []);
    const compact = await call('listProfiles', [], { Accept: `${ROWS_MEDIA_TYPE}, application/json` });
    expect(decodeRows(compact.json as unknown as RowsWire)).toEqual(plain.json.result);
    expect(decodeRows(compact.json as unknown as RowsWire)).toEqual(many);
    expect(compact.text.length).toBeLessThan(plain.text.length * 0.6);
  });

  it('starts a session: the profile view with an expiresAt, and the list shows it', async () => {
    // Listed before too: the answer kept for an unchanged listing must not outlive the session change.
    expect(ProfileView.array().parse((await call('listProfiles', [])).json.result).find((p) => p.name === 'dev/ReadOnly')?.expiresAt).toBeNull();
    const r = await call('startSession', ['dev/ReadOnly']);
    expect(r.status).toBe(200);
    const view = ProfileView.parse(r.json.result);
    expect(view.name).toBe('dev/ReadOnly');
    const left = (Date.parse(view.expiresAt ?? '') - Date.now()) / 1000;
    expect(left).toBeGreaterThan(3000);
    expect(left).toBeLessThanOrEqual(3600);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(1);
    const list = ProfileView.array().parse((await call('listProfiles', [])).json.result);
    expect(list.find((p) => p.name === 'dev/ReadOnly')?.expiresAt).toBe(view.expiresAt);
    // stopSession ends it.
    expect((await call('stopSession', ['dev/ReadOnly'])).json).toEqual({ result: null });
    const after = ProfileView.array().parse((await call('listProfiles', [])).json.result);
    expect(after.find((p) => p.name === 'dev/ReadOnly')?.expiresAt).toBeNull();
  });

  it('answers a RolecallError with its message and a 4xx, never a stack', async () => {
    const r = await call('startSession', ['nobody']);
    expect(r.status).toBe(404);
    // The core's error code goes along, so the page can offer the fix (sign in, MFA code).
    expect(r.json).toEqual({ error: expect.stringMatching(/nobody/), code: 'not-found' });
    expect(r.text).not.toMatch(/\n\s+at |\.ts:\d+/);
  });

  it('refuses calls without the token or with a wrong one (401), before the core runs', async () => {
    const wrong = bridge.token.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    for (const authorization of [undefined, `Bearer ${wrong}`, 'Bearer short', `Basic ${bridge.token}`, `Bearer  ${bridge.token}`, `bearer ${bridge.token}x`, bridge.token]) {
      const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
      const r = await request({ method: 'POST', path: '/api/startSession', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"args":["dev/ReadOnly"]}' });
      expect(r.status, String(authorization)).toBe(401);
      expect(r.json).toEqual({ error: 'a valid token is required' });
    }
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(0);
  });

  it('checks arguments with the contract (400), names methods (404) and verbs (405)', async () => {
    const bad = await call('startSession', ['dev;rm -rf']);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^bad arguments for startSession \(0\): a profile name is/);
    expect((await call('startSession', [])).status).toBe(400);
    expect((await call('startSession', ['a', 'b'])).status).toBe(400);
    expect((await call('listProfiles', 'x')).json).toEqual({ error: 'the body must be {"args": [...]}' });
    const notJson = await request({ method: 'POST', path: '/api/listProfiles', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bridge.token}` }, body: '{' });
    expect(notJson).toMatchObject({ status: 400, json: { error: 'the body is not JSON' } });
    const textPlain = await request({ method: 'POST', path: '/api/listProfiles', headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${bridge.token}` }, body: '{"args":[]}' });
    expect(textPlain.status).toBe(415);
    for (const m of ['deleteEverything', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect((await call(m, [])).status, m).toBe(404);
    for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS']) {
      const r = await request({ method, path: '/api/listProfiles', headers: { Authorization: `Bearer ${bridge.token}` } });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('POST');
    }
    expect((await request({ method: 'POST', path: '/index.html' })).status).toBe(405);
    const huge = await call('listProfiles', ['x'.repeat(100_000)]);
    expect(huge.status).toBe(413);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(0);
  });

  it('refuses a foreign Host (DNS rebinding) and, on POST, a foreign Origin', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`]) {
      expect((await request({ path: '/', headers: { Host: host } })).status, host).toBe(403);
      const r = await call('listProfiles', [], { Host: host });
      expect(r.status, host).toBe(403);
      expect(r.text).not.toContain(bridge.token);
    }
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`, 'null']) {
      expect((await call('listProfiles', [], { Origin: origin })).status, origin).toBe(403);
    }
    expect((await call('listProfiles', [], { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await call('listProfiles', [], { Host: `localhost:${port}`, Origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('serves the renderer with content types, and index.html as it is, without the token', async () => {
    const index = await request({ path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['x-frame-options']).toBe('DENY');
    // Anyone who can reach the port can fetch the page; the token comes only in the starter's URL fragment.
    expect(index.text).toBe('<!doctype html><html><head><title>Rolecall</title></head><body><div id="root"></div></body></html>');
    expect(index.text).not.toContain(bridge.token);
    expect((await request({ path: '/index.html' })).text).toBe(index.text);
    const js = await request({ path: '/assets/index-abc.js' });
    expect([js.status, js.headers['content-type'], js.text]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log("hi");']);
    const css = await request({ path: '/assets/index-abc.css?v=1' });
    expect([css.status, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    const head = await request({ method: 'HEAD', path: '/assets/index-abc.js' });
    expect([head.status, head.text]).toEqual([200, '']);
    expect((await request({ path: '/assets/missing.js' })).status).toBe(404);
    expect((await request({ path: '/assets' })).status).toBe(404);
    expect((await request({ path: '/api' })).status).toBe(404);
  });

  it('lets the browser keep a script named by its content hash, never the page that names it', async () => {
    // A reload then neither fetches nor compiles the window's code again; a rebuilt renderer has new names.
    expect((await request({ path: '/assets/start-Bx_3k-9Q.js' })).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const p of ['/', '/index.html', '/assets/index-abc.js']) expect((await request({ path: p })).headers['cache-control'], p).toBe('no-store');
  });

  it('refuses directory traversal in every spelling, and symlinks that point out', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%252e%252e/secret.txt',
      `/${'..%2f'.repeat(12)}etc%2fpasswd`,
      '/index.html%00.js',
      '/%E0%A4%A',
      '/assets/link.txt',
      `/${encodeURIComponent(path.join(tmp, 'secret.txt'))}`,
      '//etc/passwd',
    ];
    for (const p of attempts) {
      const r = await request({ path: p });
      expect([400, 404], p).toContain(r.status);
      expect(r.text, p).not.toContain(OUTSIDE);
      expect(r.text, p).not.toContain('root:');
    }
  });

  it('never returns a secret: not the IAM user key, not the issued session', async () => {
    expect((await call('startSession', ['alice'])).status).toBe(200);
    expect((await call('startSession', ['dev/ReadOnly'])).status).toBe(200);
    expect((await call('listProfiles', [])).status).toBe(200);
    await request({ path: '/' });
    // The broker's cached session is the one the bridge started.
    const issued = await h.core.broker.credentials('dev/ReadOnly');
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(1);
    const secrets = [ALICE_KEY.accessKeyId, ALICE_KEY.secretAccessKey, issued.accessKeyId, issued.secretAccessKey, issued.sessionToken ?? 'no token?'];
    const all = seen.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    for (const s of secrets) expect(all.split(s).length - 1, `${s.slice(0, 4)}...`).toBe(0);
  });

  it('streams the API events as server-sent events, with the token only, and no secret in them', async () => {
    expect((await request({ path: '/api/events' })).status).toBe(401);
    expect((await request({ path: '/api/events', headers: { Authorization: `Bearer ${bridge.token}`, Origin: 'http://evil.example' } })).status).toBe(403);
    const got: string[] = [];
    let res: http.IncomingMessage | undefined;
    const streamed = new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/events', headers: { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${bridge.token}` } }, (r) => {
        res = r;
        r.setEncoding('utf8').on('data', (d: string) => {
          got.push(d);
          if (got.join('').includes('event: sessionChanged')) resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(res?.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect((await call('startSession', ['dev/ReadOnly'])).status).toBe(200);
    await streamed;
    const text = got.join('');
    const data = /event: sessionChanged\ndata: (.+)\n\n/.exec(text)?.[1];
    expect(JSON.parse(data!)).toEqual({ profile: 'dev/ReadOnly', expiresAt: expect.stringMatching(/Z$/) });
    const issued = await h.core.broker.credentials('dev/ReadOnly');
    for (const secret of [issued.accessKeyId, issued.secretAccessKey, issued.sessionToken!]) expect(text).not.toContain(secret);
    res?.destroy();
  });

  it('serves the page with the strict CSP, and says how to build the window when it is missing', async () => {
    const page = await request({ path: '/' });
    expect(page.headers['content-security-policy']).toBe(RENDERER_CSP);
    await bridge.close();
    bridge = await startWebBridge({ api: createRolecallApi(h.core) });
    port = Number(new URL(bridge.url).port);
    const missing = await request({ path: '/' });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'the Rolecall window is not built here: run npm run build (or npx electron-vite build) and start again' });
    expect((await request({ path: '/assets/x.js' })).json).toEqual({ error: 'not found' });
  });

  it('copy and open console answer without a secret: a command line, a one-time local link', async () => {
    await bridge.close();
    bridge = await startWebBridge({ api: createRolecallApi(h.core, { env: h.env }), rendererDir });
    port = Number(new URL(bridge.url).port);
    expect((await call('copy', ['dev/ReadOnly', 'env'])).json.result).toEqual({ text: 'eval "$(rolecall env dev/ReadOnly)"', description: "the command that sets 'dev/ReadOnly''s credentials in a shell" });
    expect((await call('copy', ['dev/ReadOnly', 'credential-process'])).json.result).toEqual({
      text: 'credential_process = rolecall credential-process --profile dev/ReadOnly',
      description: "the credential_process line for 'dev/ReadOnly'",
    });
    const consoleAnswer = await call('openConsole', ['dev/ReadOnly']);
    const link = (consoleAnswer.json.result as { redirectUrl: string }).redirectUrl;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/[\w-]{32}$/);
    // The link answers once, with the sign-in redirect, then never again (its server is gone).
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toContain('SigninToken=');
    expect(await fetch(link, { redirect: 'manual' }).then((r) => r.status, () => 'refused')).not.toBe(302);
    const issued = await h.core.broker.credentials('dev/ReadOnly');
    const all = seen.join('\n');
    for (const secret of [issued.accessKeyId, issued.secretAccessKey, issued.sessionToken!, 'SigninToken']) expect(all).not.toContain(secret);
  });
});
