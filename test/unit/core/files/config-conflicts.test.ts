// A Rolecall profile may not take a name the user already defines anywhere outside the managed
// block: above it, below it, or in a file with no block yet. The file is then left exactly as it
// was (no write, no backup), and the message names the profile and the section to rename.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, credentialProcessCommand, renderManagedBlock, writeManagedBlock } from '../../../../src-main/core/files/aws-config';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-conflicts-'));
  file = path.join(dir, 'config');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const block = (...names: string[]) => renderManagedBlock(names.map((name) => ({ name, credentialProcess: `rolecall credential-process --profile ${name}` })));
const oldBlock = block('old');
const mine = (section: string) => `${section}\nregion = eu-west-1\n`;

describe('writeManagedBlock name conflicts', () => {
  it.each([
    ['above the block', (s: string) => `${s}\n${oldBlock}`],
    ['below the block', (s: string) => `${oldBlock}\n${s}`],
    ['between two of the user\'s profiles below it', (s: string) => `${mine('[profile a]')}${oldBlock}${mine('[profile b]')}${s}${mine('[profile c]')}`],
    ['in a file with no block yet', (s: string) => `${mine('[profile a]')}${s}`],
  ])('refuses a profile the user defines %s, changing nothing', async (_where, layout) => {
    for (const [name, section] of [['dev', '[profile dev]'], ['default', '[default]'], ['default', '[profile default]']] as const) {
      const before = layout(mine(section));
      await writeFile(file, before);
      await expect(writeManagedBlock(file, block('x', name))).rejects.toMatchObject({
        code: 'conflict',
        message: `Profile "${name}" is already defined in ${file} outside Rolecall's block`,
        hint: `remove your [${name === 'default' ? 'default' : 'profile dev'}] section, or rename the Rolecall profile: rolecall profile rename ${name} NEW-NAME`,
      });
      expect(await readFile(file, 'utf8')).toBe(before);
      expect(await readdir(dir)).toEqual(['config']); // no backup, no temp file left
    }
  });

  it('names every conflict at once, each with the command that resolves it', async () => {
    const before = `${mine('[profile a]')}${mine('[default]')}${mine('[profile b]')}${mine('[profile c]')}`;
    await writeFile(file, before);
    await expect(writeManagedBlock(file, block('a', 'x', 'default', 'c'))).rejects.toMatchObject({
      code: 'conflict',
      message: `3 profiles are already defined in ${file} outside Rolecall's block: "default", "a", "c"`,
      hint: 'remove your [default], [profile a], [profile c] sections, or rename the Rolecall profiles: rolecall profile rename default NEW-NAME; rolecall profile rename a NEW-NAME; rolecall profile rename c NEW-NAME',
    });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('lets the block keep names that only the old block had, and names the user has in a comment or sub-section', async () => {
    const before = `${mine('[profile a]')}# [profile dev] is commented out\n${oldBlock}[sso-session dev]\nsso_region = eu-west-1\n[services dev]\nsts =\n  endpoint_url = http://127.0.0.1:1\n`;
    await writeFile(file, before);
    expect(await writeManagedBlock(file, block('old', 'dev'))).toBe(true);
    const after = await readFile(file, 'utf8');
    expect(after).toBe(before.replace(oldBlock, block('old', 'dev')));
    expect(after.indexOf(BEGIN_MARKER)).toBeLessThan(after.indexOf(END_MARKER));
  });
});

describe('renderManagedBlock and credentialProcessCommand refusals', () => {
  const cp = 'rolecall credential-process --profile x';
  it.each<[string, () => unknown, string]>([
    ['a bad profile name', () => renderManagedBlock([{ name: 'a b', credentialProcess: cp }]), 'Invalid profile name "a b": a profile name is'],
    ['a name twice', () => renderManagedBlock([{ name: 'x', credentialProcess: cp }, { name: 'x', credentialProcess: cp }]), 'Profile "x" appears twice in the managed block'],
    ['a bad region', () => renderManagedBlock([{ name: 'x', region: 'mars', credentialProcess: cp }]), 'Profile "x": invalid region "mars"'],
    ['an empty credential_process', () => renderManagedBlock([{ name: 'x', credentialProcess: ' ' }]), 'Profile "x": credential_process must be one non-empty line'],
    ['a two-line credential_process', () => renderManagedBlock([{ name: 'x', credentialProcess: 'a\nb' }]), 'Profile "x": credential_process must be one non-empty line'],
    ['a bad profile name for the command', () => credentialProcessCommand('/usr/bin/node', '/x.mjs', 'a;b', 'linux'), 'Invalid profile name "a;b": a profile name is'],
  ])('refuses %s as invalid input (exit 2)', (_what, fn, message) => {
    expect(fn).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining(message) }));
  });

  it('says how to fix a path credential_process cannot carry', () => {
    expect(() => credentialProcessCommand('/opt/$HOME/node', '/x.mjs', 'dev', 'linux')).toThrow(
      expect.objectContaining({ code: 'invalid-input', hint: 'install Node.js and Rolecall under a path without those characters' }),
    );
  });
});
