// A broker of its own for one test, fast: the sandbox in this process, the state file in a
// temp dir, secrets in memory (no keychain). For the core's policy: what is fetched, cached,
// refreshed and when. Tests of the real keychain and of other processes use harness.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { Broker, type BrokerOptions } from '../../src-main/core/broker/broker';
import { RolecallError } from '../../src-main/core/errors';
import { StateStore } from '../../src-main/core/files/state-store';
import { ensureDataDir, resolvePaths, type RolecallPaths } from '../../src-main/core/paths';
import type { AppState, Profile } from '../../src-shared/profile';
import type { Organization } from '../sandbox/org';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { demoOrg } from './harness';
import { MemorySecretStore } from './memory-secret-store';

export interface MemoryHarness {
  org: Organization;
  sandbox: Sandbox;
  env: NodeJS.ProcessEnv;
  paths: RolecallPaths;
  state: StateStore;
  secrets: MemorySecretStore;
  broker: Broker;
  notices: string[];
  /** Another broker over the same state and secrets, as a second core in this process would be. */
  newBroker(o?: Partial<BrokerOptions>): Broker;
  addProfiles(...profiles: Profile[]): Promise<void>;
  setSettings(settings: Partial<AppState['settings']>): Promise<void>;
  close(): Promise<void>;
}

export const ALICE_MFA = 'arn:aws:iam::111122223333:mfa/alice';

export async function startMemoryHarness(opts: { org?: Organization } = {}): Promise<MemoryHarness> {
  const org = opts.org ?? demoOrg();
  const sandbox = await startSandbox({ org });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-mem-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ROLECALL_HOME: dataDir, AWS_ENDPOINT_URL: sandbox.url, AWS_REGION: 'us-east-1', ROLECALL_NO_AUTOSTART: '1' };
  const paths = resolvePaths(env);
  await ensureDataDir(paths);
  const state = new StateStore(paths);
  const secrets = new MemorySecretStore();
  // alice's long-term key, under the entry name `rolecall iam-user add` uses (keychain layout:
  // iam-user/<profile>), for any iam-user profile of hers.
  const key = org.users.find((u) => u.name === 'alice')?.accessKeys[0];
  if (!key) throw new Error('the organization has no key for alice');
  const notices: string[] = [];
  const sso = { accessToken: () => Promise.reject(new Error('no Identity Center in this harness')) };
  const newBroker = (o: Partial<BrokerOptions> = {}) => new Broker({ paths, state, secrets, sso, env, onNotice: (m) => notices.push(m), ...o });
  return {
    org,
    sandbox,
    env,
    paths,
    state,
    secrets,
    broker: newBroker(),
    notices,
    newBroker,
    async addProfiles(...profiles) {
      for (const p of profiles) {
        if (p.kind === 'iam-user') await secrets.set(`iam-user/${p.name}`, JSON.stringify({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
      }
      await state.update((s) => {
        s.profiles.push(...profiles);
      });
    },
    async setSettings(settings) {
      await state.update((s) => {
        Object.assign(s.settings, settings);
      });
    },
    async close() {
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo organization plus two roles (Reports, Billing in acme-prod) that trust dev's ReadOnly
 * role, so chains without MFA have a shared parent hop: alice -> ReadOnly -> Reports | Billing.
 */
export function sharedParentOrg(): Organization {
  const org = demoOrg();
  for (const name of ['Reports', 'Billing']) {
    org.roles.push({
      accountId: '777788889999',
      name,
      path: '/',
      maxSessionDuration: 7200,
      trustPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/ReadOnly' }, Action: 'sts:AssumeRole' }] },
    });
  }
  return org;
}

export const sharedParentProfiles: Profile[] = [
  { name: 'alice', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001' },
  { name: 'dev/ReadOnly', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' },
  { name: 'prod/Reports', kind: 'assume-role', sourceProfile: 'dev/ReadOnly', roleArn: 'arn:aws:iam::777788889999:role/Reports' },
  { name: 'prod/Billing', kind: 'assume-role', sourceProfile: 'dev/ReadOnly', roleArn: 'arn:aws:iam::777788889999:role/Billing' },
];

/** The RolecallError a broker call rejects with (the test fails if it resolves or rejects with anything else). */
export async function failure(p: Promise<unknown>): Promise<RolecallError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RolecallError);
  return e as RolecallError;
}
