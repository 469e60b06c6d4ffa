import { mkdtemp, mkdir, chmod, stat, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDataDir, ensureSocketDir, resolvePaths } from '../../../src-main/core/paths';

describe('resolvePaths', () => {
  it.each([
    ['linux default', {}, 'linux', '/home/ann', '/home/ann/.config/rolecall'],
    ['linux XDG_CONFIG_HOME', { XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann', '/xdg/rolecall'],
    ['linux relative XDG_CONFIG_HOME is ignored', { XDG_CONFIG_HOME: 'rel' }, 'linux', '/home/ann', '/home/ann/.config/rolecall'],
    ['macOS', { XDG_CONFIG_HOME: '/xdg' }, 'darwin', '/Users/ann', '/Users/ann/Library/Application Support/Rolecall'],
    ['Windows APPDATA', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann', 'C:\\Users\\ann\\AppData\\Roaming\\Rolecall'],
    ['Windows without APPDATA', {}, 'win32', 'C:\\Users\\ann', 'C:\\Users\\ann\\AppData\\Roaming\\Rolecall'],
    ['ROLECALL_HOME wins', { ROLECALL_HOME: '/srv/rc', XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann', '/srv/rc'],
    ['ROLECALL_HOME with ~/', { ROLECALL_HOME: '~/rc' }, 'darwin', '/Users/ann', '/Users/ann/rc'],
  ] as const)('%s', (_, env, platform, home, dataDir) => {
    const p = resolvePaths(env, platform, home);
    expect(p.dataDir).toBe(dataDir);
    const join = platform === 'win32' ? path.win32.join : path.posix.join;
    expect(p.stateFile).toBe(join(dataDir, 'state.json'));
    expect(p.agentTokenFile).toBe(join(dataDir, 'agent.token'));
    expect(p.locksDir).toBe(join(dataDir, 'locks'));
  });

  it('uses AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE as the SDK does, else ~/.aws', () => {
    expect(resolvePaths({}, 'linux', '/home/ann')).toMatchObject({
      awsConfigFile: '/home/ann/.aws/config',
      awsCredentialsFile: '/home/ann/.aws/credentials',
      awsSsoCacheDir: '/home/ann/.aws/sso/cache',
    });
    expect(resolvePaths({ AWS_CONFIG_FILE: '/etc/aws.conf', AWS_SHARED_CREDENTIALS_FILE: '~/creds' }, 'linux', '/home/ann')).toMatchObject({
      awsConfigFile: '/etc/aws.conf',
      awsCredentialsFile: '/home/ann/creds',
    });
  });

  it('keeps keychain entries of a custom data dir apart from the default install', () => {
    expect(resolvePaths({}, 'linux', '/home/ann').keychainService).toBe('rolecall');
    expect(resolvePaths({ ROLECALL_HOME: '/tmp/a' }, 'linux', '/home/ann').keychainService).toBe('rolecall (/tmp/a)');
    expect(resolvePaths({ ROLECALL_HOME: '/tmp/b' }, 'linux', '/home/ann').keychainService).not.toBe(
      resolvePaths({ ROLECALL_HOME: '/tmp/a' }, 'linux', '/home/ann').keychainService,
    );
  });

  it('puts the agent socket in the data dir, or a named pipe per data dir on Windows', () => {
    expect(resolvePaths({}, 'linux', '/home/ann').agentSocket).toBe('/home/ann/.config/rolecall/agent.sock');
    const a = resolvePaths({ APPDATA: 'C:\\A' }, 'win32', 'C:\\Users\\ann').agentSocket;
    const b = resolvePaths({ APPDATA: 'C:\\B' }, 'win32', 'C:\\Users\\ann').agentSocket;
    expect(a).toMatch(/^\\\\\.\\pipe\\rolecall-[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
  });

  it('moves the socket to the per-user runtime dir when the data dir is too deep for a Unix socket path', () => {
    const deep = '/home/ann/' + 'very-long-directory-name/'.repeat(5) + 'rolecall';
    const p = resolvePaths({ ROLECALL_HOME: deep, XDG_RUNTIME_DIR: '/run/user/1000', TMPDIR: '/tmp' }, 'linux', '/home/ann');
    expect(p.agentSocket).toMatch(/^\/run\/user\/1000\/rolecall-[0-9a-f]{16}\/agent\.sock$/);
    // Not when the data dir fits; and a relative or itself too deep runtime dir is passed over.
    expect(resolvePaths({ ROLECALL_HOME: '/srv/rc', XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux', '/home/ann').agentSocket).toBe('/srv/rc/agent.sock');
    expect(resolvePaths({ ROLECALL_HOME: deep, XDG_RUNTIME_DIR: 'run/user/1000', TMPDIR: '/tmp' }, 'linux', '/home/ann').agentSocket).toMatch(/^\/tmp\/rolecall-[0-9a-f]{16}\/agent\.sock$/);
    expect(resolvePaths({ ROLECALL_HOME: deep, XDG_RUNTIME_DIR: '/' + 'r'.repeat(80), TMPDIR: '/tmp' }, 'linux', '/home/ann').agentSocket).toMatch(/^\/tmp\/rolecall-[0-9a-f]{16}\/agent\.sock$/);
  });

  it('else moves the socket under the temp dir', () => {
    const deep = '/home/ann/' + 'very-long-directory-name/'.repeat(5) + 'rolecall';
    const p = resolvePaths({ ROLECALL_HOME: deep, TMPDIR: '/tmp' }, 'darwin', '/home/ann');
    expect(p.agentSocket).toMatch(/^\/tmp\/rolecall-[0-9a-f]{16}\/agent\.sock$/);
    expect(Buffer.byteLength(p.agentSocket)).toBeLessThan(104);
    const other = resolvePaths({ ROLECALL_HOME: deep + '2', TMPDIR: '/tmp' }, 'darwin', '/home/ann');
    expect(other.agentSocket).not.toBe(p.agentSocket);
  });
});

describe('ensureDataDir', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const tmp = async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'rc-paths-'));
    dirs.push(d);
    return d;
  };

  it('creates the data dir and locks dir private to the user, tightening an existing one', async () => {
    const root = await tmp();
    const p = resolvePaths({ ROLECALL_HOME: path.join(root, 'data') });
    await mkdir(p.dataDir, { mode: 0o755 });
    await chmod(p.dataDir, 0o755);
    await ensureDataDir(p);
    expect((await stat(p.dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(p.locksDir)).mode & 0o777).toBe(0o700);
  });

  it('leaves a relocated socket dir to the agent (ensureSocketDir): private, and refused when others can enter', async () => {
    const root = await tmp();
    const deep = path.join(root, 'x'.repeat(120));
    const p = resolvePaths({ ROLECALL_HOME: deep, TMPDIR: root });
    const socketDir = path.dirname(p.agentSocket);
    expect(socketDir).not.toBe(p.dataDir);
    await ensureDataDir(p);
    await expect(stat(socketDir)).rejects.toMatchObject({ code: 'ENOENT' });
    await ensureSocketDir(p);
    expect((await stat(socketDir)).mode & 0o777).toBe(0o700);

    await chmod(socketDir, 0o777);
    await expect(ensureSocketDir(p)).rejects.toMatchObject({ code: 'file', message: expect.stringContaining(socketDir) });
    // Every other command still works: the data dir does not depend on it.
    await expect(ensureDataDir(p)).resolves.toBeUndefined();
  });
});
