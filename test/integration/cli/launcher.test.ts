// The credential_process lines `config write` puts in ~/.aws/config name the data dir's launcher
// (and its copy of the native helper), not a path inside the install: they keep working when the
// install that wrote them moves or is removed, say what to do when only that install could
// answer, and the next `config write` from the new place points them there.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcherScript } from '../../../src-main/core/files/launcher';
import { awsCallerSettings, awsSettingsKey } from '../../../src-main/core/aws/caller-settings';
import { sessionEntryName } from '../../../src-main/core/secrets/keychain-layout';
import { addAliceWithReadOnly, buildCli, useCliHarness } from './harness';

const h = useCliHarness((h) => addAliceWithReadOnly(h, 'us-east-1'));
const PROFILE = 'dev/ReadOnly';
const ARN = 'arn:aws:sts::444455556666:assumed-role/ReadOnly/alice';
const aws = () => h().run('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', PROFILE, '--endpoint-url', h().sandbox.url, '--query', 'Arn', '--output', 'text']);

describe('the launcher in the data dir', () => {
  it('outlives the install that wrote it, and says what to do when only that install could answer', async () => {
    // Another install (a clone elsewhere) writes the config, then goes away.
    const elsewhere = await buildCli();
    const written = await h().run(process.execPath, [elsewhere.script, 'config', 'write']);
    expect(written.code).toBe(0);
    const bin = path.join(h().dataDir, 'bin');
    expect(await readFile(path.join(bin, 'rolecall'), 'utf8')).toBe(launcherScript({ nodePath: process.execPath, script: elsewhere.script }));
    expect((await stat(path.join(bin, 'rolecall'))).mode & 0o777).toBe(0o700);
    expect((await aws()).stdout.trim()).toBe(ARN); // in-process through that install: the cache is now warm
    await elsewhere.remove();

    // The data dir's helper still answers from the keychain cache.
    const cached = await aws();
    expect(cached).toMatchObject({ code: 0, stderr: '' });
    expect(cached.stdout.trim()).toBe(ARN);

    // Nothing cached: only the removed install could do the work, and the launcher says so.
    await h().core.secrets.delete(sessionEntryName(PROFILE, awsSettingsKey(awsCallerSettings(h().env))));
    const gone = await aws();
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain(`rolecall: the Rolecall install your AWS profiles use is gone (${elsewhere.script}): run 'rolecall config write' with Rolecall where it is now`);

    // Written again from where Rolecall is now: the same lines, working.
    const before = await readFile(h().env.AWS_CONFIG_FILE!, 'utf8');
    expect((await h().rolecall(['config', 'write'])).stdout).toMatch(/is up to date \(2 profiles\)$/m);
    expect(await readFile(h().env.AWS_CONFIG_FILE!, 'utf8')).toBe(before);
    expect((await aws()).stdout.trim()).toBe(ARN);
  });

  it('quotes any path for sh, and refuses one it cannot write on one line', () => {
    const script = launcherScript({ nodePath: "/opt/o'brien/node", script: '/home/zoë/Rolecall $(x)/rolecall.cjs' });
    expect(script).toContain(`script='/home/zoë/Rolecall $(x)/rolecall.cjs'\n`);
    expect(script).toContain(`exec '/opt/o'\\''brien/node' "$script" "$@"\n`);
    expect(() => launcherScript({ nodePath: '/usr/bin/node', script: '/a\nb' })).toThrow(/must be absolute and on one line/);
    expect(() => launcherScript({ nodePath: 'node', script: '/x' })).toThrow(/Node.js path "node": it must be absolute/);
    // The packaged app's Electron runs the CLI as Node only when told to.
    expect(launcherScript({ nodePath: '/opt/Rolecall/rolecall', script: '/opt/Rolecall/resources/cli/rolecall.cjs', electronAsNode: true })).toContain(
      `ELECTRON_RUN_AS_NODE=1\nexport ELECTRON_RUN_AS_NODE\nexec '/opt/Rolecall/rolecall' "$script" "$@"\n`,
    );
  });
});
