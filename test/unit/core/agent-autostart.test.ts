// The autostarted agent's environment: an allow-list of the caller's (its files, the keychain,
// the browser decision, locale), never the caller's Node flags or AWS settings, which travel per
// request. The real spawn is checked through /proc in test/integration/agent/trust.test.ts.
import { describe, expect, it } from 'vitest';
import { agentEnvironment } from '../../../src-main/cli/hot/autostart';

describe('agentEnvironment', () => {
  it('keeps what the agent needs and drops the rest', () => {
    // Its files, the keychain's session bus, the locale, and what decides whether it may open a browser.
    const needed = {
      HOME: '/home/ann',
      PATH: '/usr/bin',
      TMPDIR: '/tmp/ann',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
      XDG_RUNTIME_DIR: '/run/user/1000',
      XDG_CONFIG_HOME: '/home/ann/.cfg',
      DISPLAY: ':0',
      LANG: 'de_DE.UTF-8',
      LC_TIME: 'en_GB.UTF-8',
      SSH_CONNECTION: '10.0.0.1 22 10.0.0.2 5000',
    };
    // Node flags, AWS settings and credentials (they travel per request), other secrets, loader tricks.
    const dropped = {
      NODE_OPTIONS: '--inspect=127.0.0.1:0',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_REGION: 'eu-west-1',
      AWS_PROFILE: 'prod',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      GITHUB_TOKEN: 'ghp_x',
      ROLECALL_NO_AUTOSTART: '',
      LD_PRELOAD: '/tmp/evil.so',
    };
    expect(agentEnvironment({ ...needed, ...dropped }, { dataDir: '/home/ann/.config/rolecall' })).toEqual(needed);
  });

  it('passes ROLECALL_HOME as the absolute data dir (the agent does not share the caller cwd)', () => {
    expect(agentEnvironment({ ROLECALL_HOME: 'rel/dir', HOME: '/h' }, { dataDir: '/work/rel/dir' })).toEqual({ ROLECALL_HOME: '/work/rel/dir', HOME: '/h' });
    expect(agentEnvironment({ HOME: '/h' }, { dataDir: '/h/.config/rolecall' })).toEqual({ HOME: '/h' });
  });
});
