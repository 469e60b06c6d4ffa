// The per-profile console window's options as data: its persistent partition, title and colour,
// the renderer locked down (no Node, sandbox, context isolation), downloads that ask, and the
// navigation rule (console and sign-in hosts of the partition stay, other sites open in the
// system browser, other schemes are refused).
import { describe, expect, it } from 'vitest';
import { consoleSessionPartition, consoleWindowOptions, navigationDecision } from '../../../src-main/app/console-window';
import { consolePartition } from '../../../src-main/core/console/partitions';
import { CONSOLE_COLORS, accountColor } from '../../../src-main/core/console/switch-role';
import { expectLockedDown } from '../../helpers/remote-content';

describe('console window options', () => {
  const aws = consolePartition('eu-west-1');

  it('one persistent partition per profile, titled with the profile and coloured by its account', () => {
    const o = consoleWindowOptions({ profile: 'acme-prod/Admin', partition: aws, accountId: '777788889999' });
    expect(o.window.webPreferences.partition).toBe('persist:console-acme-prod%2FAdmin');
    expect(o.window.title).toBe('acme-prod/Admin (777788889999, eu-west-1) - AWS console - Rolecall');
    expect(o.accentColor).toBe(CONSOLE_COLORS[accountColor('777788889999')]);
    expect(o.window.backgroundColor).toBe(`#${o.accentColor}`);
    expect(consoleWindowOptions({ profile: 'x', partition: aws, color: 'F2B0A9' }).accentColor).toBe('F2B0A9');
    // Distinct profiles never share a session, and a name cannot reach outside the partition directory.
    const names = ['a/b', 'a%2Fb', 'a_b', 'a.b', '../etc'].map(consoleSessionPartition);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^persist:console-[A-Za-z0-9_.@+%-]+$/.test(n) && !n.includes('/'))).toBe(true);
  });

  it('no Node, a sandboxed, context-isolated renderer; downloads ask where to save', () => {
    const o = consoleWindowOptions({ profile: 'p', partition: aws });
    expectLockedDown(o.window.webPreferences, 'persist:console-p');
    expect(o.downloads).toBe('ask');
  });

  it("keeps navigation inside the partition's console and sign-in hosts; other sites open externally; other schemes are refused", () => {
    const nav = consoleWindowOptions({ profile: 'p', partition: aws }).navigation;
    const stay = [
      'https://eu-west-1.console.aws.amazon.com/ec2/home',
      'https://console.aws.amazon.com/iam/home',
      'https://123456789012-abcdef.eu-west-1.console.aws.amazon.com/s3/buckets',
      'https://signin.aws.amazon.com/oauth?Action=logout',
      'https://eu-west-1.signin.aws.amazon.com/federation?Action=login',
    ];
    const external = [
      'https://docs.aws.amazon.com/ec2/',
      'https://console.amazonaws.cn/',
      'https://console.aws.amazon.com.evil.example/',
      'https://user:pw@console.aws.amazon.com/',
      'http://eu-west-1.console.aws.amazon.com/',
      'https://example.com/',
    ];
    const refused = ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'not a url'];
    expect(stay.map(nav)).toEqual(stay.map(() => 'stay'));
    expect(external.map(nav)).toEqual(external.map(() => 'open-externally'));
    expect(refused.map(nav)).toEqual(refused.map(() => 'refuse'));
    // In the China partition its own hosts stay and the aws ones go out.
    const cn = consolePartition('cn-north-1');
    expect(navigationDecision({ partition: cn }, 'https://cn-north-1.console.amazonaws.cn/ec2/home')).toBe('stay');
    expect(navigationDecision({ partition: cn }, 'https://console.aws.amazon.com/')).toBe('open-externally');
    // A sign-in endpoint set by AWS_ENDPOINT_URL_SIGNIN (the sandbox) stays too.
    expect(navigationDecision({ partition: aws, signinOrigin: 'http://127.0.0.1:4566' }, 'http://127.0.0.1:4566/console?session=x')).toBe('stay');
  });
});
