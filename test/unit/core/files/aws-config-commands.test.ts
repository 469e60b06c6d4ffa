// The rest of aws-config.ts: credential_process lines through the data dir's launcher (what
// `config write` writes on Linux and macOS), which argument a refusal names, the profiles a user
// defines outside the block (config write keeps a [default] of the user's), and a managed block
// text that is not one well-formed block refused before anything is written.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialProcessCommand, launcherCommand, profilesOutsideBlock, renderManagedBlock, writeManagedBlock } from '../../../../src-main/core/files/aws-config';

describe('launcherCommand', () => {
  it('runs the launcher, after the native helper when there is one', () => {
    expect(launcherCommand('/home/ann/.config/rolecall/bin/rolecall', 'dev/Read', 'linux')).toBe('/home/ann/.config/rolecall/bin/rolecall credential-process --profile dev/Read');
    expect(launcherCommand('/Users/ann/Library/Application Support/Rolecall/bin/rolecall', 'dev', 'darwin', '/Users/ann/Library/Application Support/Rolecall/bin/rolecall-credential-process')).toBe(
      '"/Users/ann/Library/Application Support/Rolecall/bin/rolecall-credential-process" "/Users/ann/Library/Application Support/Rolecall/bin/rolecall" credential-process --profile dev',
    );
  });

  it('names the path it cannot put on the line', () => {
    expect(() => launcherCommand('/home/$USER/bin/rolecall', 'dev', 'linux')).toThrow(/^Cannot put the rolecall launcher path \("\/home\/\$USER\/bin\/rolecall"\) into credential_process/);
    expect(() => credentialProcessCommand('/usr/bin/node', '/opt/100%/rolecall.cjs', 'dev', 'linux')).toThrow(/^Cannot put the rolecall script path \("\/opt\/100%\/rolecall.cjs"\) into credential_process/);
  });
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-aws-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('profilesOutsideBlock', () => {
  it("lists the user's own profiles, not the block's nor sso-sessions", async () => {
    const file = path.join(dir, 'config');
    const block = renderManagedBlock([{ name: 'rc', credentialProcess: '/bin/rolecall credential-process --profile rc' }]);
    await writeFile(file, '[default]\nregion = eu-west-1\n' + block + '[profile mine]\nregion = x\n[sso-session s]\nsso_region = us-east-1\n');
    expect([...(await profilesOutsideBlock(file))].sort()).toEqual(['default', 'mine']);
  });

  it('is empty when there is no config file', async () => {
    expect([...(await profilesOutsideBlock(path.join(dir, 'none')))]).toEqual([]);
  });
});

describe('writeManagedBlock refuses a block text that is not one well-formed block', () => {
  const good = renderManagedBlock([{ name: 'rc', credentialProcess: '/bin/rolecall credential-process --profile rc' }]);
  it.each([
    ['text before the block', '[profile x]\nregion = y\n' + good, 'The managed block must start with "# BEGIN ROLECALL" and end with "# END ROLECALL"'],
    ['text after the block', good + '[profile x]\nregion = y\n', 'The managed block must start with "# BEGIN ROLECALL" and end with "# END ROLECALL"'],
    ['no markers', '[profile x]\nregion = y\n', 'The managed block must start with "# BEGIN ROLECALL" and end with "# END ROLECALL"'],
    ['a second BEGIN', good.replace('\n', '\n# BEGIN ROLECALL\n'), 'the managed block: more than one "# BEGIN ROLECALL" line (lines 1, 2)'],
    ['a line that is no setting', good.replace('credential_process =', 'credential_process'), 'the managed block line 4: expected "name = value"'],
  ])('%s, changing nothing', async (_, blockText, message) => {
    const file = path.join(dir, 'config');
    await writeFile(file, '[profile mine]\nregion = x\n');
    await expect(writeManagedBlock(file, blockText)).rejects.toMatchObject({ message });
    expect(await readdir(dir)).toEqual(['config']);
  });
});
