// `npm run demo`: Rolecall against the built-in sandbox, end to end, as a newcomer would use it.
// Starts the sandbox (demo organization), signs in to its Identity Center (approving as the
// sandbox user alice, the way a person would in the browser), syncs accounts and roles, adds
// the IAM user alice and a 3-hop cross-account chain, writes credential_process profiles into
// a demo AWS config, and shows real AWS tools using them. Then it keeps the sandbox and a
// Rolecall broker running (and opens the desktop app when Electron's binary is present) until Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOTP } from 'otpauth';
import { approve } from '../test/sandbox/browser';
import { loadOrganization } from '../test/sandbox/org';
import { startSandbox } from '../test/sandbox/server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/rolecall.cjs');
// Everything the demo makes lives here (ROLECALL_DEMO_DIR for a test's own): Rolecall's data dir
// (and so its own keychain entries), the AWS config, and a HOME for the tools it runs, so the
// person's own data dir, keychain entries and ~/.aws are never read or written.
const demoDir = path.resolve(process.env.ROLECALL_DEMO_DIR || path.join(root, '.demo'));
const org = loadOrganization(path.join(root, 'test/sandbox/demo-org.json'));
const alice = org.users.find((u) => u.name === 'alice')!;
const key = alice.accessKeys[0]!;
const mfa = alice.mfaDevices[0]!;
const ic = org.identityCenter[0]!;

const step = (s: string) => console.log(`\n\x1b[1m== ${s}\x1b[0m`);

async function main(): Promise<void> {
  rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(path.join(demoDir, 'home'), { recursive: true });
  spawnSync('node', ['build/build-cli.mjs'], { cwd: root, stdio: 'inherit' });

  const sandbox = await startSandbox({ org });
  step(`Sandbox AWS running at ${sandbox.url} (organization: test/sandbox/demo-org.json)`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: path.join(demoDir, 'home'),
    ROLECALL_HOME: path.join(demoDir, 'rolecall'),
    AWS_CONFIG_FILE: path.join(demoDir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(demoDir, 'aws-credentials'),
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ROLECALL_NO_AUTOSTART: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // Children run asynchronously: the sandbox lives in this process and must keep answering.
  const exec = (cmd: string, args: string[], input?: string) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(cmd, args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'] });
      if (input !== undefined) child.stdin?.end(input);
      child.on('exit', resolve);
    });
  const run = async (args: string[], input?: string) => {
    console.log(`$ rolecall ${args.join(' ')}`);
    const status = await exec(process.execPath, [cli, ...args], input);
    if (status !== 0) throw new Error(`rolecall ${args[0]} failed (exit ${status})`);
  };

  step('Sign in to IAM Identity Center (device code; the demo approves as the sandbox user alice)');
  console.log(`$ rolecall login sso --start-url ${ic.startUrl} --region ${ic.region} --name acme --device-code --no-browser`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'login', 'sso', '--start-url', ic.startUrl, '--region', ic.region, '--name', 'acme', '--device-code', '--no-browser'], {
      env,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let approved = false;
    child.stderr.on('data', (b: Buffer) => {
      const text = b.toString();
      process.stderr.write(text);
      const url = /open (http\S+user_code=\S+?),? which/.exec(text)?.[1] ?? /(http\S+\?user_code=[A-Z0-9-]+)/.exec(text)?.[1];
      if (url && !approved) {
        approved = true;
        console.log(`(the person opens ${url} and signs in as ${ic.users[0]!.userName})`);
        approve(url, { userName: ic.users[0]!.userName, password: ic.users[0]!.password }).catch(reject);
      }
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`login failed (exit ${code})`))));
  });
  await run(['sync', 'acme']);

  step('An IAM user with MFA, and a 3-hop cross-account role chain on top');
  await run(['iam-user', 'add', 'alice', '--access-key-id', key.accessKeyId], key.secretAccessKey + '\n');
  await run(['profile', 'add', 'dev-developer', '--source', 'alice', '--role-arn', 'arn:aws:iam::444455556666:role/Developer', '--mfa-serial', mfa.serialNumber, '--duration', '7200']);
  await run(['profile', 'add', 'prod-deployer', '--source', 'dev-developer', '--role-arn', 'arn:aws:iam::777788889999:role/Deployer', '--duration', '7200']);
  await run(['profile', 'add', 'audit-auditor', '--source', 'prod-deployer', '--role-arn', 'arn:aws:iam::210987654321:role/Auditor', '--external-id', 'acme-audit-7f3']);
  const code = new TOTP({ secret: mfa.seed }).generate();
  console.log(`(MFA code ${code} from alice's authenticator)`);
  await run(['credential-process', 'audit-auditor', '--mfa-code', code]);

  step('credential_process profiles for every AWS tool');
  await run(['config', 'write']);
  await run(['list']);
  const aws = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
  for (const profile of ['audit-auditor', 'acme-dev/AdministratorAccess']) {
    console.log(`$ aws --profile ${profile} --endpoint-url ${sandbox.url} sts get-caller-identity`);
    // Debian's AWS CLI (2.9) predates AWS_ENDPOINT_URL, so it is told the endpoint on the command line.
    await exec(aws, ['--profile', profile, '--endpoint-url', sandbox.url, 'sts', 'get-caller-identity']);
  }
  await run(['doctor', 'audit-auditor']);

  step('Serving: a Rolecall broker for every process (Ctrl+C to stop)');
  const serve = spawn(process.execPath, [cli, 'serve'], { env: { ...env, ROLECALL_NO_AUTOSTART: '0' }, stdio: 'inherit' });
  const electron = path.join(root, 'node_modules/.bin/electron');
  let app: ReturnType<typeof spawn> | undefined;
  if (existsSync(path.join(root, 'node_modules/electron/dist')) && existsSync(electron)) {
    await exec('npx', ['electron-vite', 'build']);
    app = spawn(electron, ['.'], { cwd: root, env, stdio: 'inherit' });
  } else {
    console.log("Electron's binary is not installed here, so the desktop window does not open; everything above is the same core it runs.");
  }
  // Copied as printed into another shell: the variables point it at the demo's Rolecall (whose
  // broker, running above, answers), its AWS config and the sandbox; --endpoint-url because
  // Debian's AWS CLI predates AWS_ENDPOINT_URL; --region because synced profiles name none.
  const vars = (['ROLECALL_HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL'] as const).map((k) => `${k}=${shellWord(env[k] ?? '')}`);
  console.log(`Try: ${vars.join(' ')} aws --endpoint-url ${shellWord(sandbox.url)} --region ${org.region} --profile acme-prod/ReadOnlyAccess sts get-caller-identity`);
  const stop = () => {
    serve.kill();
    app?.kill();
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (process.env.ROLECALL_DEMO_EXIT) stop();
}

/** A word sh reads back as the same string. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
