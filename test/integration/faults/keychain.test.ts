// A keychain that cannot answer must say so, not send the user to re-add their keys. Each case
// runs the built CLI inside a private D-Bus session with its own gnome-keyring (the "knob": the
// login collection locked over D-Bus, or no login collection at all), so the outer test keyring
// is never touched.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE_KEY, runProgram, useCliBuild } from '../cli/harness';

const cli = useCliBuild();
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rc-keychain-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const LOCK_LOGIN = `gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \\
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null`;

/**
 * Runs `script` (bash) in a fresh D-Bus session whose gnome-keyring keeps its files under
 * `keyringHome`; `login: false` starts it without a login collection. rc runs the CLI.
 */
async function inKeyringSession(keyringHome: string, login: boolean, script: string) {
  await mkdir(path.join(keyringHome, '.local', 'share', 'keyrings'), { recursive: true });
  const start = login ? 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null' : 'gnome-keyring-daemon --components=secrets --daemonize >/dev/null';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: keyringHome,
    ROLECALL_HOME: path.join(root, 'rolecall'),
    ROLECALL_NO_AUTOSTART: '1',
    AWS_CONFIG_FILE: path.join(root, 'aws-config'),
    AWS_REGION: 'us-east-1',
    // Nothing here may reach AWS; a closed port makes sure.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    RC_NODE: process.execPath,
    RC_SCRIPT: cli().script,
    SECRET: ALICE_KEY.secretAccessKey,
  };
  // gnome-keyring's prompter complaints (no display) go to the bus's stderr: keep only the CLI's.
  return runProgram('dbus-run-session', ['--', 'bash', '-c', `rc() { "$RC_NODE" "$RC_SCRIPT" "$@"; }\n${start}\n${script}`], { env, timeoutMs: 60_000 });
}

const ADD_ALICE = `echo "$SECRET" | rc iam-user add alice --access-key-id ${ALICE_KEY.accessKeyId} >/dev/null || { echo "add failed" >&2; exit 9; }`;

describe('a keychain that cannot answer', () => {
  it('locked: credential-process says the keychain is locked and how to unlock it, not to re-add the key', async () => {
    const r = await inKeyringSession(path.join(root, 'kh'), true, `${ADD_ALICE}\n${LOCK_LOGIN}\nrc credential-process alice 2>"$HOME/err"; echo "exit=$?"; cat "$HOME/err"`);
    const [exit, ...err] = r.stdout.trim().split('\n');
    expect(exit).toBe('exit=1');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^rolecall: profile 'alice': The OS keychain is locked: Rolecall cannot read "iam-user\/alice" .*; unlock it: .*gnome-keyring-daemon --replace --unlock/);
    expect(err[0]).not.toMatch(/iam-user add|no secret access key/);
    expect(r.stdout).not.toContain(ALICE_KEY.secretAccessKey);
  }, 60_000);

  it('no login collection: a key stored earlier reads as "no default keyring", not as missing', async () => {
    const added = await inKeyringSession(path.join(root, 'kh-with-login'), true, ADD_ALICE);
    expect(added.code).toBe(0);
    // The same Rolecall data, now over a Secret Service that has no login collection.
    const r = await inKeyringSession(path.join(root, 'kh-empty'), false, `rc credential-process alice 2>"$HOME/err"; echo "exit=$?"; cat "$HOME/err"`);
    const [exit, ...err] = r.stdout.trim().split('\n');
    expect(exit).toBe('exit=1');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^rolecall: profile 'alice': The Secret Service has no default keyring \(no "login" collection\): Rolecall cannot read "iam-user\/alice" .*; create one: /);
    expect(err[0]).not.toMatch(/iam-user add|no secret access key/);
  }, 60_000);

  it('no login collection: iam-user add says so instead of "no result found"', async () => {
    const r = await inKeyringSession(path.join(root, 'kh-empty'), false, `echo "$SECRET" | rc iam-user add alice --access-key-id ${ALICE_KEY.accessKeyId} 2>"$HOME/err"; echo "exit=$?"; cat "$HOME/err"`);
    const [exit, ...err] = r.stdout.trim().split('\n');
    expect(exit).not.toBe('exit=0');
    expect(err.join('\n')).toMatch(/^rolecall: The Secret Service has no default keyring \(no "login" collection\): Rolecall cannot write "iam-user\/alice"/);
    expect(r.stdout).not.toContain(ALICE_KEY.secretAccessKey);
  }, 60_000);
});
