// The console's smaller rules as data: destinations per partition (and the refusals that keep the
// sign-in link from redirecting anywhere else), getSigninToken's answers and failures (never with
// a secret in the message), GetFederationToken's Name, and the Switch Role link.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { CONSOLE_SERVICES, destinationUrl } from '../../../src-main/core/console/destinations';
import { getSigninToken } from '../../../src-main/core/console/federation';
import { federatedUserName, userNameOf } from '../../../src-main/core/console/federation-token';
import { consolePartition } from '../../../src-main/core/console/partitions';
import { consoleSourceOf } from '../../../src-main/core/console/session-rules';
import { accountColor, colorHex, CONSOLE_COLORS, switchRoleLink, switchRoleTarget } from '../../../src-main/core/console/switch-role';

describe('destinations', () => {
  it('the home page, a service page or a console URL of the partition, in the region', () => {
    const cn = consolePartition('cn-northwest-1');
    expect(destinationUrl(cn)).toBe('https://cn-northwest-1.console.amazonaws.cn/console/home?region=cn-northwest-1');
    expect(destinationUrl(cn, 'EC2')).toBe('https://cn-northwest-1.console.amazonaws.cn/ec2/home?region=cn-northwest-1');
    // The region goes in the query, before the console's #fragment.
    expect(destinationUrl(consolePartition('eu-west-1'), 'logs')).toBe('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:');
    expect(destinationUrl(cn, 'https://console.amazonaws.cn/s3/buckets')).toBe('https://console.amazonaws.cn/s3/buckets');
    expect(destinationUrl(consolePartition('us-gov-east-1'), 'https://us-gov-east-1.console.amazonaws-us-gov.com/iam/home')).toBe(
      'https://us-gov-east-1.console.amazonaws-us-gov.com/iam/home',
    );
    expect(Object.keys(CONSOLE_SERVICES).length).toBeGreaterThanOrEqual(30);
  });

  it("refuses anything but the partition's console over https", () => {
    const aws = consolePartition('us-east-1');
    const refused = [
      'https://console.amazonaws.cn/',
      'https://console.aws.amazon.com.evil.example/',
      'https://evilconsole.aws.amazon.com/',
      'https://signin.aws.amazon.com/federation?Action=login',
      'https://aws.amazon.com/',
      'http://console.aws.amazon.com/',
      'https://user:pass@console.aws.amazon.com/',
      'javascript:alert(1)',
      'data:text/html,hi',
    ];
    for (const d of refused) expect(() => destinationUrl(aws, d), d).toThrow(/^--destination: /);
    expect(() => destinationUrl(aws, 'not-a-service')).toThrow('--destination: unknown service "not-a-service"');
    expect(() => destinationUrl(consolePartition('eusc-de-east-1'), 'https://console.aws.amazon.com/')).toThrow(
      '--destination: console.aws.amazon.com is not the AWS console of the aws-eusc partition (https://console.amazonaws-eusc.eu or a subdomain of it)',
    );
  });
});

describe('getSigninToken', () => {
  const creds = { accessKeyId: 'ASIAKEY', secretAccessKey: 'SECRET-KEY', sessionToken: 'SESSION-TOKEN' };
  const answering = (status: number, body: string) => (async () => new Response(body, { status })) as unknown as typeof fetch;
  const endpoint = 'https://us-east-1.signin.aws.amazon.com/federation';

  it('returns the SigninToken of a 200 answer', async () => {
    expect(await getSigninToken({ endpoint, credentials: creds, fetch: answering(200, '{"SigninToken":"abc"}') })).toBe('abc');
  });

  it('says what the endpoint refused, why, and never a secret', async () => {
    const failures = await Promise.all([
      getSigninToken({ endpoint, credentials: creds, fetch: answering(400, '<p id="message">Only federation tokens or assume role tokens may be used for federated login</p>') }).catch((e: Error) => e.message),
      getSigninToken({ endpoint, credentials: creds, fetch: answering(200, '<html>not json</html>') }).catch((e: Error) => e.message),
      getSigninToken({ endpoint, credentials: creds, fetch: (async () => { throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }); }) as unknown as typeof fetch }).catch((e: Error) => e.message),
      getSigninToken({ endpoint, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'SECRET-KEY' } }).catch((e: Error) => e.message),
    ]);
    expect(failures).toEqual([
      `the AWS sign-in endpoint at ${endpoint} refused getSigninToken (HTTP 400): Only federation tokens or assume role tokens may be used for federated login`,
      `the AWS sign-in endpoint at ${endpoint} answered without a SigninToken`,
      `could not reach the AWS sign-in endpoint at ${endpoint}: ECONNREFUSED`,
      'the federation endpoint takes only temporary credentials (a role or GetFederationToken session)',
    ]);
    for (const m of failures) expect(m).not.toMatch(/SECRET-KEY|SESSION-TOKEN|Session=/);
  });
});

describe('GetFederationToken Name', () => {
  it("is the IAM user's name, fitted to 2-32 of [\\w+=,.@-]", () => {
    expect(federatedUserName(userNameOf('arn:aws:iam::111122223333:user/alice'))).toBe('alice');
    expect(federatedUserName(userNameOf('arn:aws-cn:iam::111122223333:user/team/ops/bob.smith@example.com'))).toBe('bob.smith@example.com');
    expect(federatedUserName('x')).toBe('x-');
    expect(federatedUserName('a'.repeat(64))).toBe('a'.repeat(32));
    expect(federatedUserName('ünïcode name')).toBe('-n-code-name');
    expect(() => userNameOf('arn:aws:sts::111122223333:assumed-role/R/s')).toThrow("these keys are not an IAM user's");
  });
});

describe('how a profile is signed in', () => {
  const profiles = [
    { kind: 'iam-user', name: 'u', accessKeyId: 'AKIAEXAMPLE000000001' },
    { kind: 'iam-user', name: 'u-mfa', accessKeyId: 'AKIAEXAMPLE000000001', mfaSerial: 'arn:aws:iam::111122223333:mfa/u' },
    { kind: 'assume-role', name: 'hop1', sourceProfile: 'u', roleArn: 'arn:aws:iam::111122223333:role/A' },
    { kind: 'assume-role', name: 'mfa-hop', sourceProfile: 'u-mfa', roleArn: 'arn:aws:iam::111122223333:role/A' },
    { kind: 'assume-role', name: 'hop2', sourceProfile: 'hop1', roleArn: 'arn:aws:iam::111122223333:role/B' },
    { kind: 'assume-role', name: 'orphan', sourceProfile: 'gone', roleArn: 'arn:aws:iam::111122223333:role/B' },
  ] as Profile[];
  const chained = (name: string) => {
    const s = consoleSourceOf(profiles, name);
    return s.kind === 'role' ? s.chained : s.kind;
  };
  it('IAM users through GetFederationToken; roles chained unless assumed with long-term keys', () => {
    expect(['u', 'u-mfa', 'hop1', 'mfa-hop', 'hop2'].map(chained)).toEqual(['federation-token', 'federation-token', false, true, true]);
    expect(() => consoleSourceOf(profiles, 'nope')).toThrow("profile 'nope' does not exist");
    expect(() => consoleSourceOf(profiles, 'orphan')).toThrow("profile 'orphan' names a source profile 'gone' that does not exist");
  });
});

describe('Switch Role link', () => {
  const role = { kind: 'assume-role', name: 'prod admin', sourceProfile: 'u', roleArn: 'arn:aws-cn:iam::123456789012:role/ops/Admin' } as Profile;
  it("names the account, the role with its path, a display name and a colour, at the partition's sign-in host", () => {
    const link = switchRoleLink(consolePartition('cn-north-1'), {}, switchRoleTarget(role), { displayName: 'prod admin', color: colorHex('blue') });
    expect(link).toBe('https://signin.amazonaws.cn/switchrole?account=123456789012&roleName=ops%2FAdmin&displayName=prod+admin&color=99BCE3');
  });
  it('gives each account one of the console colours, always the same; refuses other colours', () => {
    expect(Object.keys(CONSOLE_COLORS)).toContain(accountColor('123456789012'));
    expect(accountColor('123456789012')).toBe(accountColor('123456789012'));
    expect(new Set(['111122223333', '444455556666', '777788889999', '210987654321', '123456789012', '000000000001'].map(accountColor)).size).toBeGreaterThan(1);
    expect(colorHex('#a1b2c3')).toBe('A1B2C3');
    expect(() => colorHex('purple')).toThrow('--color: expected one of red, orange, yellow, green, blue or six hex digits');
    expect(() => switchRoleTarget({ kind: 'sso-role', name: 's', ssoSession: 'a', accountId: '123456789012', roleName: 'R' } as Profile)).toThrow(
      "profile 's': no Switch Role link: an Identity Center role is reached through the access portal, not Switch Role; run: rolecall console s",
    );
  });
});

describe('destinations, whatever is typed', () => {
  it('land on the partition console over https, or are refused with one short line', async () => {
    const fc = (await import('fast-check')).default;
    const { isConsoleHost } = await import('../../../src-main/core/console/partitions');
    const { isRolecallError } = await import('../../../src-main/core/errors');
    const partitions = ['us-east-1', 'cn-north-1', 'us-gov-west-1', 'eusc-de-east-1'].map(consolePartition);
    const typed = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.constantFrom(...Object.keys(CONSOLE_SERVICES)),
      fc.tuple(fc.constantFrom('https://', 'http://', 'javascript:', 'HTTPS://'), fc.domain(), fc.constantFrom('', '.console.aws.amazon.com', '.amazonaws.cn'), fc.string({ maxLength: 40 })).map((t) => t.join('')),
      fc.tuple(fc.constantFrom('console.aws.amazon.com', 'eu-west-1.console.aws.amazon.com', 'console.amazonaws.cn'), fc.string({ maxLength: 40 })).map(([h, rest]) => `https://${h}${rest}`),
    );
    fc.assert(
      fc.property(fc.constantFrom(...partitions), typed, (p, d) => {
        try {
          const url = new URL(destinationUrl(p, d));
          return url.protocol === 'https:' && isConsoleHost(p, url.hostname) && !url.username && !url.password;
        } catch (e) {
          return isRolecallError(e) && e.code === 'invalid-input' && !/[\r\n]/.test(e.message) && e.message.length < 1200;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
