// A Rolecall install of its own for one test: a fresh data dir (and so its own keychain
// namespace), the demo organization's sandbox, and env pointing AWS endpoints at it.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOTP } from 'otpauth';
import { createCore, type Core, type CoreOptions } from '../../src-main/core/core';
import { iamUserEntryName } from '../../src-main/core/secrets/keychain-layout';
import type { Profile } from '../../src-shared/profile';
import { loadOrganization, type Organization } from '../sandbox/org';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { unusedMfaCode } from '../sandbox/sts/mfa';

export const demoOrgFile = fileURLToPath(new URL('../sandbox/demo-org.json', import.meta.url));
export const demoOrg = (): Organization => loadOrganization(demoOrgFile);

export interface Harness {
  sandbox: Sandbox;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  core: Core;
  notices: string[];
  /** Creates another core over the same data dir, as a second process would. */
  newCore(opts?: CoreOptions): Promise<Core>;
  addProfiles(...profiles: Profile[]): Promise<void>;
  /** Stores alice's demo key in the keychain for an iam-user profile. */
  storeIamUserKey(profile: string, userName?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(opts: { org?: Organization; core?: CoreOptions } = {}): Promise<Harness> {
  const org = opts.org ?? demoOrg();
  const sandbox = await startSandbox({ org });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-test-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROLECALL_HOME: dataDir,
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_REGION: 'us-east-1',
    ROLECALL_NO_AUTOSTART: '1',
  };
  const notices: string[] = [];
  const newCore = (o: CoreOptions = {}) => createCore({ env, onNotice: (m) => notices.push(m), ...opts.core, ...o });
  const core = await newCore();
  return {
    sandbox,
    dataDir,
    env,
    core,
    notices,
    newCore,
    async addProfiles(...profiles) {
      await core.state.update((s) => {
        s.profiles.push(...profiles);
      });
    },
    async storeIamUserKey(profile, userName = 'alice') {
      const user = org.users.find((u) => u.name === userName);
      const key = user?.accessKeys[0];
      if (!key) throw new Error(`no key for ${userName} in the organization`);
      await core.secrets.set(iamUserEntryName(profile), JSON.stringify({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
    },
    async close() {
      await sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A code of an MFA device of the organization, as its authenticator app shows it. Given the
 * sandbox, one the sandbox has not seen used (AWS takes each code once; the sandbox clock moves on
 * a 30-second step when every code it accepts now was used). Given only the organization, the code
 * of this moment, which a second call within the same 30 seconds would send again: prefer the sandbox.
 */
export function mfaCode(source: Sandbox | Organization, serialNumber: string): string {
  if ('state' in source) return unusedMfaCode(source.state, serialNumber);
  const device = source.users.flatMap((u) => u.mfaDevices).find((d) => d.serialNumber === serialNumber);
  if (!device) throw new Error(`no MFA device ${serialNumber}`);
  return new TOTP({ secret: device.seed, digits: 6, period: 30, algorithm: 'SHA1' }).generate();
}
