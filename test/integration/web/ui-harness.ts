// The window's world for UI tests, the UI bench and `npm run demo:web`: the sandbox, a core over
// a fresh data dir pointed at it, the RolecallApi over the web bridge serving the built renderer
// (built here when missing), and optionally the demo state (signed in to Identity Center, synced,
// the IAM user alice with MFA and a 3-hop chain, some live sessions).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRolecallApi, type ApiHost, type CoreApi } from '../../../src-main/core/api';
import { createCore, type Core } from '../../../src-main/core/core';
import { addIamUser } from '../../../src-main/core/iam-users';
import { addProfile } from '../../../src-main/core/profiles';
import { startWebBridge, type WebBridge } from '../../../src-main/web/server';
import { approve } from '../../sandbox/browser';
import { loadOrganization, type Organization } from '../../sandbox/org';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { mfaCode } from '../../helpers/harness';

// The SDK warns on stderr about Node < 22; not about Rolecall.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const rendererDir = path.join(repoRoot, 'out/renderer');

/** electron-vite's renderer build, made once when out/renderer is missing. */
export function ensureRenderer(): string {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: repoRoot, stdio: 'pipe' });
    if (r.status !== 0) throw new Error(`electron-vite build failed: ${r.stderr.toString().slice(-2000)}`);
  }
  return rendererDir;
}

export interface UiWorld {
  sandbox: Sandbox;
  org: Organization;
  core: Core;
  api: CoreApi;
  bridge: WebBridge;
  /** The address to open, token in the fragment. */
  url: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startUiWorld(o: { dataDir?: string; port?: number; host?: ApiHost } = {}): Promise<UiWorld> {
  const org = loadOrganization(path.join(repoRoot, 'test/sandbox/demo-org.json'));
  const sandbox = await startSandbox({ org });
  const dataDir = o.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'rolecall-ui-')));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROLECALL_HOME: dataDir,
    AWS_CONFIG_FILE: path.join(dataDir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dataDir, 'aws-credentials'),
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_REGION: 'us-east-1',
    ROLECALL_NO_AUTOSTART: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const sessionEvents: ((p: string, e: Date | undefined) => void)[] = [];
  const core = await createCore({ env, onSession: (p, s) => sessionEvents.forEach((f) => f(p, s.expiration)) });
  const api = createRolecallApi(core, { env, ...o.host });
  sessionEvents.push((profile, e) => api.events.emit('sessionChanged', { profile, expiresAt: e ? e.toISOString() : null }));
  const bridge = await startWebBridge({ api, rendererDir: ensureRenderer(), port: o.port });
  return {
    sandbox,
    org,
    core,
    api,
    bridge,
    url: `${bridge.url}#token=${bridge.token}`,
    env,
    async close() {
      await bridge.close();
      core.broker.close();
      await sandbox.close();
      if (!o.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Approves every device code the API shows, as the sandbox user would in a browser. */
export function autoApprove(w: UiWorld): () => void {
  const person = w.org.identityCenter[0]!.users[0]!;
  return w.api.onDeviceCode((d) => {
    if (!d.done) void approve(d.verificationUriComplete ?? d.verificationUri, { userName: person.userName, password: person.password });
  });
}

/** The demo state: Identity Center signed in and synced, alice with MFA and a 3-hop chain, live sessions. */
export async function seedDemo(w: UiWorld): Promise<void> {
  const ic = w.org.identityCenter[0]!;
  const alice = w.org.users.find((u) => u.name === 'alice')!;
  const stop = autoApprove(w);
  try {
    await w.api.signIn({ name: 'acme', startUrl: ic.startUrl, region: ic.region });
  } finally {
    stop();
  }
  await w.api.sync('acme');
  const mfa = alice.mfaDevices[0]!;
  await addIamUser(w.core, { name: 'alice', accessKeyId: alice.accessKeys[0]!.accessKeyId, secretAccessKey: alice.accessKeys[0]!.secretAccessKey });
  await addProfile(w.core.state, { kind: 'assume-role', name: 'dev-developer', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/Developer', mfaSerial: mfa.serialNumber, durationSeconds: 7200 });
  await addProfile(w.core.state, { kind: 'assume-role', name: 'prod-deployer', sourceProfile: 'dev-developer', roleArn: 'arn:aws:iam::777788889999:role/Deployer', durationSeconds: 7200 });
  await addProfile(w.core.state, { kind: 'assume-role', name: 'audit-auditor', sourceProfile: 'prod-deployer', roleArn: 'arn:aws:iam::210987654321:role/Auditor', externalId: 'acme-audit-7f3', alias: 'audit (chained)' });
  await w.api.startSession('audit-auditor', { mfaCode: mfaCode(w.sandbox, mfa.serialNumber) });
  const synced = (await w.api.listProfiles()).filter((p) => p.kind === 'sso-role');
  const admin = synced.find((p) => p.roleName === 'AdministratorAccess') ?? synced[0];
  if (admin) {
    await w.api.startSession(admin.name);
    await w.api.setFavorite(admin.name, true);
    await w.api.makeDefault(admin.name);
  }
}
