// The credential-process hot path's own parsing (arguments, the keychain cache entry), the JSON
// it prints, what `env` prints for each shell, and that the built entry loads no npm package
// before it knows it needs one.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROFILE_NAME_PATTERN } from '../../../src-shared/names';
import { render } from '../../../src-main/cli/commands/env';
import { HOT_PROFILE_NAME, parseHotArgs } from '../../../src-main/cli/hot/credential-process';
import { freshFromCacheEntry } from '../../../src-main/cli/hot/keychain-cache';
import { credentialProcessJson } from '../../../src-main/cli/output';
import { useCliBuild } from '../../integration/cli/harness';

describe('hot path arguments', () => {
  it('accepts the name as --profile, --profile=, or positional, and leaves anything unusual to the full program', () => {
    expect(parseHotArgs(['--profile', 'dev/Admin'])).toEqual({ profile: 'dev/Admin' });
    expect(parseHotArgs(['--profile=dev'])).toEqual({ profile: 'dev' });
    expect(parseHotArgs(['dev', '--mfa-code', '123456'])).toEqual({ profile: 'dev', mfaCode: '123456' });
    expect(parseHotArgs(['--force-refresh', 'dev'])).toEqual({ profile: 'dev', forceRefresh: true });
    expect(parseHotArgs(['--mfa-code=123456', '--profile', 'dev'])).toEqual({ profile: 'dev', mfaCode: '123456' });
    for (const args of [
      [],
      ['--help'],
      ['a', 'b'],
      ['--profile'],
      ['--profile='],
      ['a', '--profile', 'b'],
      ['--profile=a', '--profile=a'],
      ['a;b'],
      ['dev', '--mfa-code', '12'],
      ['dev', '--mfa-code'],
      // An MFA code is exactly six digits.
      ['dev', '--mfa-code', '1234567'],
      ['dev', '--mfa-code=x123456'],
      ['dev', '-x'],
      ['dev', '--force-refresh=yes'],
    ]) {
      expect(parseHotArgs(args)).toBeUndefined();
    }
  });

  it('checks profile names by the same rule as the shared model', () => {
    expect(HOT_PROFILE_NAME.source).toBe(PROFILE_NAME_PATTERN.source);
    expect(HOT_PROFILE_NAME.flags).toBe(PROFILE_NAME_PATTERN.flags);
  });
});

describe('keychain cache entries', () => {
  const now = Date.parse('2030-01-01T12:00:00Z');
  const entry = (o: Record<string, unknown>) =>
    JSON.stringify({ accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', credentialType: 'role', ...o });

  it("are fresh until the broker's refreshAt", () => {
    const fresh = freshFromCacheEntry(entry({ expiration: '2030-01-01T13:00:00Z', refreshAt: '2030-01-01T12:45:00Z' }), now);
    expect(fresh).toEqual({ accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T13:00:00Z') });
    expect(freshFromCacheEntry(entry({ expiration: '2030-01-01T13:00:00Z', refreshAt: '2030-01-01T11:59:59Z' }), now)).toBeUndefined();
    // Without refreshAt the broker's reader refuses the entry too (keychain-layout.test holds them equal).
    expect(freshFromCacheEntry(entry({ expiration: '2030-01-01T13:00:00Z' }), now)).toBeUndefined();
  });

  it('are ignored when malformed', () => {
    for (const raw of ['', 'null', '[]', '{"accessKeyId":1}', entry({ expiration: 'soon' }), entry({}), entry({ expiration: '2030-01-01T13:00:00Z', sessionToken: 5 })]) {
      expect(freshFromCacheEntry(raw, now)).toBeUndefined();
    }
  });
});

describe('output', () => {
  it('prints credential_process JSON in the order AWS documents, Expiration in UTC', () => {
    expect(credentialProcessJson({ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) })).toBe(
      '{"Version":1,"AccessKeyId":"ASIA1","SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-02T03:04:05.000Z"}',
    );
    expect(credentialProcessJson({ accessKeyId: 'AKIA1', secretAccessKey: 's' })).toBe('{"Version":1,"AccessKeyId":"AKIA1","SecretAccessKey":"s"}');
  });

  it('quotes env values so a shell reads them back exactly', async () => {
    const tricky = `it's $HOME \`id\` "q" \\ ;`;
    const vars = { AWS_ACCESS_KEY_ID: 'ASIA1', AWS_SECRET_ACCESS_KEY: tricky, AWS_SESSION_TOKEN: undefined };
    const sh = render(vars, 'sh');
    expect(sh).toBe(`export AWS_ACCESS_KEY_ID='ASIA1'\nexport AWS_SECRET_ACCESS_KEY='it'\\''s $HOME \`id\` "q" \\ ;'\nunset AWS_SESSION_TOKEN\n`);
    const { stdout } = await promisify(execFile)('sh', ['-c', `AWS_SESSION_TOKEN=old; ${sh} printf '%s|%s' "$AWS_SECRET_ACCESS_KEY" "\${AWS_SESSION_TOKEN-unset}"`]);
    expect(stdout).toBe(`${tricky}|unset`);
    expect(render(vars, 'fish')).toBe(`set -gx AWS_ACCESS_KEY_ID 'ASIA1';\nset -gx AWS_SECRET_ACCESS_KEY 'it'\\''s $HOME \`id\` "q" \\ ;';\nset -e AWS_SESSION_TOKEN;\n`);
    expect(render(vars, 'powershell')).toBe(
      `$Env:AWS_ACCESS_KEY_ID = 'ASIA1'\n$Env:AWS_SECRET_ACCESS_KEY = 'it''s $HOME \`id\` "q" \\ ;'\nRemove-Item Env:AWS_SESSION_TOKEN -ErrorAction SilentlyContinue\n`,
    );
    expect(JSON.parse(render(vars, 'json'))).toEqual({ AWS_ACCESS_KEY_ID: 'ASIA1', AWS_SECRET_ACCESS_KEY: tricky });
  });
});

describe('the built CLI', () => {
  const build = useCliBuild();

  it('loads only Node built-ins before it decides it needs more (no commander, zod, keyring or AWS SDK)', async () => {
    const entry = await readFile(build().script, 'utf8');
    // Everything the hot path runs is in this one CommonJS file: it requires only node:url (for
    // its own URL); built-ins come from process.getBuiltinModule, the native keyring module is
    // required inside the keychain reader when called, the rest is behind import()s into lib/.
    expect([...entry.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['node:url']);
    expect(entry).not.toMatch(/^import\s/m);
    const lazy = [...entry.matchAll(/\bimport\(["']([^"']+)["']\)/g)].map((m) => m[1]).sort();
    expect(lazy).toEqual(['./lib/autostart.mjs', './lib/in-process.mjs', './lib/program.mjs', './lib/prompt.mjs']);
    expect(entry).toMatch(/^\s+const \{ Entry \} = createRequire\(__importMetaUrl\)\("@napi-rs\/keyring"\);$/m);
    for (const name of ['commander', 'zod', '@aws-sdk']) expect(entry).not.toContain(`"${name}`);
  });
});
