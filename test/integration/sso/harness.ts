// An Identity Center setup for one test: a sandbox with an organization, a Rolecall data dir of
// its own (so its own keychain namespace), its own AWS CLI cache dir, and an SsoManager whose
// person-facing side (printed lines, the browser) the test plays.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StateStore } from '../../../src-main/core/files/state-store';
import { resolvePaths, type RolecallPaths } from '../../../src-main/core/paths';
import { KeyringSecretStore } from '../../../src-main/core/secrets/keyring-store';
import { SsoManager, type SsoManagerOptions } from '../../../src-main/core/sso/manager';
import { approve, type Person } from '../../sandbox/browser';
import type { OrganizationInput } from '../../sandbox/org';
import { startSandbox, type Sandbox } from '../../sandbox/server';

export const ACME = 'https://acme.awsapps.com/start';
export const OTHER = 'https://other.awsapps.com/start';
export const ALICE: Person = { userName: 'alice@acme.example', password: 'correct horse' };
export const BOB: Person = { userName: 'bob@other.example', password: 'battery staple' };

export const accountId = (i: number) => String(100000000000 + i);

/** An organization whose alice holds `roles` roles in each of `accounts` accounts (plus bob at "other", eu-west-1). */
export function orgOf(accounts: number, roles = ['Admin', 'Developer', 'ReadOnly'], drop: (i: number, role: string) => boolean = () => false): OrganizationInput {
  const list = Array.from({ length: accounts }, (_, i) => ({ id: accountId(i), name: `team ${String(i).padStart(4, '0')}`, email: '' }));
  return {
    accounts: list,
    identityCenter: [
      {
        startUrl: ACME,
        region: 'us-east-1',
        users: [{ ...ALICE, assignments: list.flatMap((a, i) => roles.filter((r) => !drop(i, r)).map((roleName) => ({ accountId: a.id, roleName }))) }],
      },
      { startUrl: OTHER, region: 'eu-west-1', users: [{ ...BOB, assignments: [{ accountId: accountId(0), roleName: 'Auditor' }] }] },
    ],
  };
}

export interface SsoHarness {
  sandbox: Sandbox;
  paths: RolecallPaths;
  env: NodeJS.ProcessEnv;
  state: StateStore;
  secrets: KeyringSecretStore;
  manager: SsoManager;
  /** Lines the manager printed for the person. */
  printed: string[];
  /** URLs the manager asked the browser to open. */
  opened: string[];
  /** Profiles whose sessions the manager asked the broker to end. */
  forgotten: string[];
  /** Another manager over the same data dir, as a second process would have. */
  newManager(o?: Partial<SsoManagerOptions>): SsoManager;
  /** Swaps in a new sandbox (e.g. with assignments removed); the old one's tokens die with it. */
  restartSandbox(org: OrganizationInput): Promise<void>;
  close(): Promise<void>;
}

/** A browser in which the person approves whatever page is opened. */
export const approvingBrowser = (person: Person = ALICE) => async (url: string) => {
  void approve(url, person).catch(() => undefined);
};

export async function startSsoHarness(org: OrganizationInput, o: Partial<SsoManagerOptions> = {}): Promise<SsoHarness> {
  let sandbox = await startSandbox({ org });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-sso-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ROLECALL_HOME: path.join(dir, 'data'), AWS_ENDPOINT_URL: sandbox.url };
  const paths = resolvePaths(env, process.platform, path.join(dir, 'home'));
  const state = new StateStore(paths);
  const secrets = new KeyringSecretStore(paths.keychainService);
  const printed: string[] = [];
  const opened: string[] = [];
  const forgotten: string[] = [];
  const newManager = (extra: Partial<SsoManagerOptions> = {}) =>
    new SsoManager({
      paths,
      state,
      secrets,
      env,
      forgetProfile: async (p) => void forgotten.push(p),
      ...o,
      ...extra,
      io: {
        print: (line) => void printed.push(line),
        openBrowser: async (url) => {
          opened.push(url);
          await approvingBrowser()(url);
        },
        browserAvailable: () => true,
        ...o.io,
        ...extra.io,
      },
    });
  return {
    get sandbox() {
      return sandbox;
    },
    paths,
    env,
    state,
    secrets,
    manager: newManager(),
    printed,
    opened,
    forgotten,
    newManager,
    async restartSandbox(next) {
      await sandbox.close();
      sandbox = await startSandbox({ org: next });
      env.AWS_ENDPOINT_URL = sandbox.url;
    },
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The device page URL the manager printed, once it has. */
export async function printedDeviceUrl(printed: string[], timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of printed) {
      const m = /(https?:\/\/\S+\/device\?user_code=[\w-]+)/.exec(line);
      if (m?.[1]) return m[1];
    }
    if (Date.now() > deadline) throw new Error(`no device URL printed: ${printed.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
