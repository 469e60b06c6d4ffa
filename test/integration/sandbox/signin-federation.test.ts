// Console sign-in through the sandbox's federation endpoint: getSigninToken for role and
// federation-token credentials, login redirecting to the stand-in console, and the refusals a
// user would hit (IAM user keys, GetSessionToken credentials, expired credentials or token,
// SessionDuration with chained or federation-token credentials), and whether the console session
// has any permissions at all.
import { AssumeRoleCommand, GetFederationTokenCommand, GetSessionTokenCommand, type Credentials } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, identityOf, mfaCode, runAwsCli, stsClient, useDemoSandbox, type AwsCredentialIdentity } from './sts-fixtures';

const sandbox = useDemoSandbox();
let developer: AwsCredentialIdentity;
let deployer: AwsCredentialIdentity;

beforeAll(async () => {
  developer = identityOf(
    (
      await stsClient(sandbox(), DEMO.alice).send(
        new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'alice', SerialNumber: DEMO.mfaSerial, TokenCode: mfaCode(sandbox()), DurationSeconds: 7200 }),
      )
    ).Credentials,
  );
  deployer = identityOf((await stsClient(sandbox(), developer).send(new AssumeRoleCommand({ RoleArn: DEMO.deployer, RoleSessionName: 'alice' }))).Credentials);
});

async function getSigninToken(creds: AwsCredentialIdentity, sessionDuration?: number): Promise<{ status: number; body: string }> {
  const session = JSON.stringify({ sessionId: creds.accessKeyId, sessionKey: creds.secretAccessKey, sessionToken: creds.sessionToken });
  const duration = sessionDuration !== undefined ? `&SessionDuration=${sessionDuration}` : '';
  const res = await fetch(`${sandbox().url}/federation?Action=getSigninToken${duration}&Session=${encodeURIComponent(session)}`);
  return { status: res.status, body: await res.text() };
}

async function signinToken(creds: AwsCredentialIdentity, sessionDuration?: number): Promise<string> {
  const res = await getSigninToken(creds, sessionDuration);
  expect(res.status).toBe(200);
  return (JSON.parse(res.body) as { SigninToken: string }).SigninToken;
}

const login = (token: string, destination: string) =>
  fetch(
    `${sandbox().url}/federation?Action=login&Issuer=${encodeURIComponent('https://rolecall.example')}&Destination=${encodeURIComponent(destination)}&SigninToken=${encodeURIComponent(token)}`,
    { redirect: 'manual' },
  );

/** Logs in and follows the redirect to the console page; returns its text. */
async function consoleAfterLogin(token: string, destination: string): Promise<string> {
  const res = await login(token, destination);
  expect(res.status).toBe(302);
  const location = res.headers.get('location') ?? '';
  expect(location.startsWith(`${sandbox().url}/console?`)).toBe(true);
  const page = await fetch(location);
  expect(page.status).toBe(200);
  return page.text();
}

describe('federation sign-in', () => {
  it('signs role credentials in to the console in the Destination region', async () => {
    const page = await consoleAfterLogin(await signinToken(developer), 'https://console.aws.amazon.com/ec2/home?region=eu-west-1');
    expect(page).toContain('Signed in as arn:aws:sts::444455556666:assumed-role/Developer/alice in eu-west-1');
    const regional = await consoleAfterLogin(await signinToken(deployer), 'https://us-west-2.console.aws.amazon.com/console/home');
    expect(regional).toContain('Signed in as arn:aws:sts::777788889999:assumed-role/Deployer/alice in us-west-2');
  });

  it('lets SessionDuration set the console session for non-chained role credentials', async () => {
    const page = await consoleAfterLogin(await signinToken(developer, 43200), 'https://console.aws.amazon.com/');
    const expires = Date.parse(/Session expires at (\S+)</.exec(page)?.[1] ?? '');
    expect(expires).toBeGreaterThan(Date.now() + 43100_000);
    expect(page).toContain('in us-east-1');
  });

  it('signs in GetFederationToken credentials, but refuses SessionDuration with them', async () => {
    const fed = identityOf((await stsClient(sandbox(), DEMO.alice).send(new GetFederationTokenCommand({ Name: 'alice-console' }))).Credentials);
    expect(await consoleAfterLogin(await signinToken(fed), 'https://console.aws.amazon.com/')).toContain(
      'Signed in as arn:aws:sts::111122223333:federated-user/alice-console',
    );
    expect((await getSigninToken(fed, 3600)).status).toBe(400);
  });

  it('shows whether a GetFederationToken session can do anything: without a session policy it has no permissions', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] });
    const withPolicy = identityOf((await stsClient(sandbox(), DEMO.alice).send(new GetFederationTokenCommand({ Name: 'alice-ro', Policy: policy }))).Credentials);
    const withArns = identityOf(
      (await stsClient(sandbox(), DEMO.alice).send(new GetFederationTokenCommand({ Name: 'alice-arns', PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] }))).Credentials,
    );
    // The AWS CLI as a person would call it, forgetting the policy.
    const cli = await runAwsCli(sandbox(), ['sts', 'get-federation-token', '--name', 'alice-cli'], DEMO.alice);
    expect(cli.code).toBe(0);
    const bare = identityOf((JSON.parse(cli.stdout) as { Credentials: Credentials }).Credentials);
    const permissions = async (creds: AwsCredentialIdentity) =>
      /<p id="permissions">(.*?)<\/p>/.exec(await consoleAfterLogin(await signinToken(creds), 'https://console.aws.amazon.com/'))?.[1];
    expect(await permissions(bare)).toBe('This session has no permissions: GetFederationToken was called without a session policy (Policy or PolicyArns).');
    for (const creds of [withPolicy, withArns]) {
      expect(await permissions(creds)).toBe(`Permissions: the session policy passed to GetFederationToken, within those of ${DEMO.aliceArn}.`);
    }
    expect(await permissions(developer)).toBe(`Permissions: those of ${DEMO.developer}.`);
  });

  it('refuses IAM user keys and GetSessionToken credentials', async () => {
    const iamUser = await getSigninToken(DEMO.alice);
    expect(iamUser.status).toBe(400);
    expect(iamUser.body).toContain('Only federation tokens or assume role tokens may be used for federated login');
    const sessionToken = identityOf((await stsClient(sandbox(), DEMO.alice).send(new GetSessionTokenCommand({}))).Credentials);
    const refused = await getSigninToken(sessionToken);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Only federation tokens or assume role tokens may be used for federated login');
  });

  it('refuses SessionDuration with role-chained credentials, and unknown or expired credentials', async () => {
    expect((await getSigninToken(deployer, 3600)).status).toBe(400);
    expect((await getSigninToken(deployer)).status).toBe(200);
    expect((await getSigninToken({ ...developer, secretAccessKey: 'wrong' })).status).toBe(400);
    sandbox().state.clockOffsetMs = 7201_000;
    expect((await getSigninToken(developer)).status).toBe(400);
  });

  it('takes a SigninToken for 15 minutes only, and no made-up one', async () => {
    const token = await signinToken(developer);
    sandbox().state.clockOffsetMs = 16 * 60_000;
    expect((await login(token, 'https://console.aws.amazon.com/')).status).toBe(400);
    sandbox().state.clockOffsetMs = 0;
    expect((await login('made-up', 'https://console.aws.amazon.com/')).status).toBe(400);
    expect((await login(token, 'not a url')).status).toBe(400);
  });

  it('titles its error pages after their status: 400 Bad Request, 405 Method Not Allowed', async () => {
    const title = (body: string) => /<title>(.*?)<\/title>/.exec(body)?.[1];
    const badRequest = await getSigninToken(DEMO.alice);
    expect(badRequest.status).toBe(400);
    expect(title(badRequest.body)).toBe('Bad Request');
    const post = await fetch(`${sandbox().url}/federation?Action=getSigninToken`, { method: 'POST' });
    expect(post.status).toBe(405);
    const body = await post.text();
    expect(title(body)).toBe('Method Not Allowed');
    expect(body).toContain('<p id="message">The federation endpoint takes GET requests.</p>');
  });
});
