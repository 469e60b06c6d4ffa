// Shared by the sandbox tests: a sandbox started for a file's tests (the demo organization unless
// told), SDK clients pointed at it, MFA codes, and Debian's AWS CLI v2 run in an isolated environment.
import { execFile } from 'node:child_process';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STSClient, type Credentials } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { parseOrganization, type Organization, type OrganizationInput } from '../../sandbox/org';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { unusedMfaCode } from '../../sandbox/sts/mfa';

/** Static AWS credentials, as the SDK takes them. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export function loadDemoOrg(): Organization {
  return parseOrganization(JSON.parse(readFileSync(new URL('../../sandbox/demo-org.json', import.meta.url), 'utf8')));
}

export interface UseSandboxOptions {
  /** The organization to serve: demo-org.json unless told. */
  org?: Organization | OrganizationInput;
  /** A fresh sandbox for every test, instead of one the file's tests share. */
  perTest?: boolean;
}

/**
 * Starts a sandbox for the calling file's tests and closes it after them: one shared by all of them
 * (beforeAll/afterAll, with the clock and knobs reset before each test), or with `perTest` a fresh
 * one for each (beforeEach/afterEach). Hooks the file registers afterwards see it running.
 * The answer is an accessor for the running sandbox.
 */
export function useDemoSandbox(opts: UseSandboxOptions = {}): () => Sandbox {
  let sandbox: Sandbox | undefined;
  const current = () => {
    if (!sandbox) throw new Error('the sandbox runs only inside the tests and their hooks');
    return sandbox;
  };
  const start = async () => {
    sandbox = await startSandbox({ org: opts.org ?? loadDemoOrg() });
  };
  const stop = async () => {
    await sandbox?.close();
    sandbox = undefined;
  };
  if (opts.perTest) {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
    beforeEach(() => {
      current().state.clockOffsetMs = 0;
      current().knobs.set({});
    });
  }
  return current;
}

const demo = loadDemoOrg();
const alice = demo.users.find((u) => u.name === 'alice');
if (!alice?.accessKeys[0] || !alice.mfaDevices[0]) throw new Error('demo-org.json: alice needs an access key and an MFA device');

export const DEMO = {
  alice: { accessKeyId: alice.accessKeys[0].accessKeyId, secretAccessKey: alice.accessKeys[0].secretAccessKey },
  aliceArn: 'arn:aws:iam::111122223333:user/alice',
  mfaSerial: alice.mfaDevices[0].serialNumber,
  mfaSeed: alice.mfaDevices[0].seed,
  developer: 'arn:aws:iam::444455556666:role/Developer',
  readOnly: 'arn:aws:iam::444455556666:role/ReadOnly',
  ciDeployer: 'arn:aws:iam::444455556666:role/CiDeployer',
  deployer: 'arn:aws:iam::777788889999:role/Deployer',
  samlAdmin: 'arn:aws:iam::777788889999:role/SamlAdmin',
  samlProvider: 'arn:aws:iam::777788889999:saml-provider/corp-idp',
  auditor: 'arn:aws:iam::210987654321:role/Auditor',
  auditorExternalId: 'acme-audit-7f3',
};

/** An SDK client for the sandbox; one attempt unless told otherwise, so errors surface as they are. */
export function stsClient(endpoint: { url: string }, credentials?: AwsCredentialIdentity, maxAttempts = 1): STSClient {
  return new STSClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    maxAttempts,
    // Unsigned operations need no credentials; a placeholder keeps the SDK from searching the environment.
    credentials: credentials ?? { accessKeyId: 'AKIAUNUSEDUNUSEDUNUS', secretAccessKey: 'unused' },
  });
}

export function identityOf(c: Credentials | undefined): AwsCredentialIdentity {
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('response had no Credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/**
 * A code alice's authenticator shows by the sandbox clock that the sandbox has not seen used: AWS
 * takes each code once, so every call gets its own (the sandbox clock moves on a step when needed).
 */
export const mfaCode = (sandbox: Sandbox) => unusedMfaCode(sandbox.state, DEMO.mfaSerial);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Debian's AWS CLI v2 against the sandbox, with nothing of the user's environment leaking in. */
export function runAwsCli(sandbox: Sandbox, args: string[], credentials: AwsCredentialIdentity): Promise<CliResult> {
  const home = mkdtempSync(join(tmpdir(), 'rolecall-awscli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/aws',
      ['--endpoint-url', sandbox.url, '--region', 'us-east-1', '--output', 'json', ...args],
      { env, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData) =>
  typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);

/** SHA-256 (and HMAC) as the signer wants it, from node:crypto. */
class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

/** A SigV4 signer for STS in us-east-1, for tests that build requests by hand. */
export const stsSigner = (credentials: AwsCredentialIdentity) => new SignatureV4({ service: 'sts', region: 'us-east-1', credentials, sha256: Sha256 });
