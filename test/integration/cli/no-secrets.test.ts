// After a day's work through every CLI face (IAM user + MFA, a chain, the agent, the keychain
// cache, env, exec, exec --server, config write + the AWS CLI, list, doctor, failures), no
// secret the sandbox issued, nor the IAM user's key, is in the data dir, in HOME, or in any
// output except the ones whose job is to hand credentials over (credential-process, env).
import { describe, expect, it } from 'vitest';
import { mfaCode } from '../../helpers/harness';
import { ALICE_KEY, ALICE_MFA, filesUnder, useCliHarness } from './harness';

const h = useCliHarness();

describe('secrets stay in the keychain and in memory', () => {
  it('leaves no issued secret in the data dir, HOME or the logs', { timeout: 120_000 }, async () => {
    const rc = h().rolecall;
    const handedOver: string[] = [];
    const creds = async (args: string[], env?: NodeJS.ProcessEnv) => {
      const r = await rc(['credential-process', ...args], { secretOutput: true, env });
      expect(r.code).toBe(0);
      handedOver.push(r.stdout);
    };
    const aws = (args: string[]) => [...args, '--endpoint-url', h().sandbox.url, '--output', 'json'];

    await rc(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId, '--region', 'us-east-1'], { input: ALICE_KEY.secretAccessKey });
    await rc(['iam-user', 'add', 'alice-mfa', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA, '--region', 'us-east-1'], { input: ALICE_KEY.secretAccessKey });
    await rc(['profile', 'add', 'dev/ReadOnly', '--source', 'alice', '--role-arn', 'arn:aws:iam::444455556666:role/ReadOnly']);
    await rc(['profile', 'add', 'dev/Developer', '--source', 'alice-mfa', '--role-arn', 'arn:aws:iam::444455556666:role/Developer', '--duration', '7200']);
    await rc(['profile', 'add', 'prod/Deployer', '--source', 'dev/Developer', '--role-arn', 'arn:aws:iam::777788889999:role/Deployer', '--duration', '7200']);

    await creds(['dev/ReadOnly']); // cold, in-process
    await creds(['dev/ReadOnly']); // keychain cache
    await creds(['prod/Deployer', '--mfa-code', mfaCode(h().sandbox, ALICE_MFA)]);
    await creds(['alice']);
    await creds(['dev/ReadOnly', '--force-refresh'], { ROLECALL_NO_AUTOSTART: '' }); // starts the agent
    await creds(['prod/Deployer']); // from the agent
    handedOver.push((await rc(['env', 'prod/Deployer'], { secretOutput: true })).stdout);
    handedOver.push((await rc(['env', 'dev/ReadOnly', '--format', 'json'], { secretOutput: true })).stdout);
    expect((await rc(['exec', 'prod/Deployer', '--', ...aws(['/usr/bin/aws', 'sts', 'get-caller-identity'])])).code).toBe(0);
    expect((await rc(['exec', '--server', 'dev/ReadOnly', '--', ...aws(['/usr/bin/aws', 'sts', 'get-caller-identity'])])).code).toBe(0);
    expect((await rc(['config', 'write'])).code).toBe(0);
    const viaConfig = await h().run('/usr/bin/aws', aws(['--profile', 'prod/Deployer', 'sts', 'get-caller-identity']));
    expect(viaConfig.stdout).toContain('assumed-role/Deployer/');
    await rc(['list']);
    await rc(['list', '--json']);
    await rc(['doctor', 'prod/Deployer']);
    await rc(['doctor', 'dev/ReadOnly']);
    await rc(['credential-process', 'alice-mfa', '--force-refresh']); // fails: needs an MFA code
    await rc(['iam-user', 'add', 'bad', '--access-key-id', ALICE_KEY.accessKeyId], { input: 'not-a-secret-key-of-the-right-shape' });
    await rc(['agent', 'status']);
    await h().stopAgent();

    const secrets = [ALICE_KEY.secretAccessKey];
    for (const c of h().sandbox.state.credentials.values()) {
      if (c.kind === 'iam-user') continue; // long-term keys of the organization: alice's is above
      secrets.push(c.secretAccessKey);
      if (c.sessionToken) secrets.push(c.sessionToken);
    }
    // Sessions for alice-mfa, Developer, Deployer, ReadOnly (twice: --force-refresh), and the doctor's.
    expect(secrets.length).toBeGreaterThan(10);
    // The search finds what is there: the outputs meant to carry credentials do.
    expect(secrets.filter((s) => handedOver.some((o) => o.includes(s))).length).toBeGreaterThan(4);

    const places = [
      ...(await filesUnder(h().dataDir)),
      ...(await filesUnder(h().home)),
      ...h().outputs.map((text, i) => ({ file: `output #${i}`, text })),
    ];
    expect(places.some((p) => p.file.endsWith('state.json'))).toBe(true);
    expect(places.some((p) => p.file.endsWith('.aws/config'))).toBe(true);
    const hits = places.flatMap((p) => secrets.filter((s) => p.text.includes(s)).map(() => p.file));
    expect(hits).toEqual([]);
  });
});
